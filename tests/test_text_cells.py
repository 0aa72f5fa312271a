"""Text cells are text (issue 19): ``--check-data`` refuses control characters, bidirectional
overrides, non-ASCII digits in numbers, and source links that are not http or https."""
from __future__ import annotations

from pathlib import Path

import pytest

from components.domain.data import DataError, load_model
from components.domain.datapackage import seal


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    seal(path.parent)  # a deliberate edit: only the new rule may refuse it


def problems_of(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_model(data_dir)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("file, old, new, column, words", [
    ("red_flags.csv", "Blood clot in a leg vein", "Blood clot\x00 in a leg vein", "name", "control character (U+0000)"),
    ("red_flags.csv", "call 999.", "call 999.\x07", "action", "control character (U+0007)"),
    ("red_flags.csv", "Blood clot in a leg vein (DVT)", "Blood clot in a leg \u202eTVD\u202c", "name",
     "bidirectional control character (U+202E)"),
    ("trigger_points.csv", "TP1,back,31,", "TP1,back,\uff13\uff11,", "x", "ASCII digits"),
    ("regions.csv", "lower back of the thigh,back,no,9", "lower back of the thigh,back,no,\uff19", "shape", "ASCII digits"),
    ("sources.csv", "http://www.webmanmed.com/", "javascript:alert(1)//www.webmanmed.com/", "reference",
     "is not an http or https link"),
])
def test_txt001_check_data_refuses_cells_that_are_not_plain_text(data_copy, file, old, new, column, words):
    replace_in(data_copy / file, old, new)
    problems = problems_of(data_copy)
    assert any(p.startswith(f"{data_copy / file}:") and f": {column}: " in p and words in p for p in problems), problems


def test_txt002_the_shipped_data_is_plain_text():
    load_model()  # raises DataError otherwise
