"""The seal's words, as the person who edited the data reads them after `--check-data`: which
file, which line, what is wrong, and the command that fixes it.

On a small folder of two CSV files, through ``seal`` and ``verify``; tests/test_seal.py does the
same through the whole loader on the shipped data."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from components.domain import datapackage
from components.domain.datapackage import DESCRIPTOR, seal, verify

ZONES = b"id,point\nz1,tp1\nz2,tp1\nz3,tp2\n"


@pytest.fixture()
def folder(tmp_path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "referral_zones.csv").write_bytes(ZONES)
    (data / "muscles.csv").write_bytes(b"id\nsoleus\n")
    seal(data)
    return data


def said(folder: Path, default_dir: Path | None = None) -> list[str]:
    return [f"{Path(m.file).name}:{m.line}: {m.message}" for m in verify(folder, default_dir)]


def fix(folder: Path) -> str:
    return f"if you edited it on purpose, run `python app.py --seal-data --data-dir {folder}`"


def test_sel001_the_seal_is_a_data_package_descriptor_of_every_csv_file_in_name_order(folder):
    package = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
    assert package["profile"] == "data-package"
    assert package["name"] == "calf-referral-pain-explorer-data"
    assert package["title"] == "Calf referral pain explorer: trigger points, referral zones and education"
    assert [entry["path"] for entry in package["resources"]] == ["muscles.csv", "referral_zones.csv"]
    assert package["resources"][1] == {
        "name": "referral-zones", "path": "referral_zones.csv", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8", "bytes": len(ZONES), "hash": "sha256:" + hashlib.sha256(ZONES).hexdigest()}
    text = (folder / DESCRIPTOR).read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "profile"'), "indented, one newline at the end"
    assert not list(folder.glob(".*.tmp")), "no half-written seal left beside it"


def test_sel002_a_sealed_folder_verifies_clean_and_sealing_again_changes_nothing(folder):
    before = (folder / DESCRIPTOR).read_bytes()
    assert verify(folder) == []
    assert seal(folder) == folder / DESCRIPTOR
    assert (folder / DESCRIPTOR).read_bytes() == before


def test_sel003_the_fix_names_the_data_dir_only_when_it_is_not_the_default(folder, tmp_path):
    (folder / "muscles.csv").write_bytes(b"id\nsoleu\n")
    assert said(folder, default_dir=folder)[0].endswith("run `python app.py --seal-data`")
    assert said(folder, default_dir=tmp_path / "elsewhere")[0].endswith(fix(folder))
    assert said(folder)[0].endswith(fix(folder))


def test_sel004_a_file_cut_short_names_the_line_it_now_ends_on(folder):
    (folder / "referral_zones.csv").write_bytes(ZONES[:ZONES.index(b"z3")])
    assert said(folder) == [f"referral_zones.csv:3: has 23 bytes but datapackage.json records {len(ZONES)}: "
                            f"the file looks truncated or half-written; {fix(folder)}"]
    (folder / "referral_zones.csv").write_bytes(b"id,po")
    assert said(folder)[0].startswith("referral_zones.csv:1: has 5 bytes"), "a file with no newline left ends on line 1"


def test_sel005_a_file_that_grew_or_changed_at_the_same_size_is_refused(folder):
    (folder / "referral_zones.csv").write_bytes(ZONES + b"z4,tp2\n")
    assert said(folder) == [f"referral_zones.csv:1: has {len(ZONES) + 7} bytes but datapackage.json records {len(ZONES)}: "
                            f"the file changed after it was sealed; {fix(folder)}"]
    (folder / "referral_zones.csv").write_bytes(ZONES.replace(b"tp2", b"tp3"))
    assert said(folder) == ["referral_zones.csv:1: its content differs from the sha256 hash that datapackage.json "
                            f"records (same size): the file changed after it was sealed; {fix(folder)}"]


def test_sel006_sizes_are_written_with_thousands_separators(folder):
    (folder / "referral_zones.csv").write_bytes(b"x" * 1234)
    assert said(folder)[0].startswith(f"referral_zones.csv:1: has 1,234 bytes but datapackage.json records {len(ZONES)}:")


def test_sel007_a_missing_file_and_an_unrecorded_file_are_each_named(folder):
    (folder / "muscles.csv").unlink()
    (folder / "extra.csv").write_bytes(b"id\n")
    assert said(folder) == [f"muscles.csv:1: the file is missing, but datapackage.json records it; {fix(folder)}",
                            f"extra.csv:1: this file is not recorded in datapackage.json; {fix(folder)}"]


def test_sel008_an_older_hash_algorithm_is_named(folder):
    package = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
    package["resources"][0]["hash"] = "md5:abc"
    package["resources"][1]["hash"] = "0123"
    (folder / DESCRIPTOR).write_text(json.dumps(package), encoding="utf-8")
    assert said(folder) == [f"muscles.csv:1: datapackage.json records a md5 hash; this app checks sha256; {fix(folder)}",
                            f"referral_zones.csv:1: datapackage.json records a md5 hash; this app checks sha256; {fix(folder)}"]


REFUSED = "; check the data files, then run `python app.py --seal-data --data-dir {}` to seal them as they are"


@pytest.mark.parametrize("content, problem", [
    (None, "the file is missing, so the data files cannot be checked for truncation"),
    (b'{"resources": [', "the file is not valid JSON (is it half-written?)"),
    (b"[" * 100_000 + b"]" * 100_000, "the file is not valid JSON (is it half-written?)"),
    (b"[]", "the file has no 'resources' list"),
    (b'{"resources": {}}', "the file has no 'resources' list"),
    (b'{"resources": ["x"]}', "a resource lacks its 'path', 'bytes' or 'hash'"),
    (b'{"resources": [{"path": "a.csv", "bytes": 1}]}', "a resource lacks its 'path', 'bytes' or 'hash'"),
    (b'{"resources": [{"path": "a.csv", "bytes": "1", "hash": "x"}]}', "a resource lacks its 'path', 'bytes' or 'hash'"),
    (b'{"resources": [{"path": 1, "bytes": 1, "hash": "x"}]}', "a resource lacks its 'path', 'bytes' or 'hash'"),
    (b'{"resources": [{"path": "a.csv", "bytes": 1, "hash": 1}]}', "a resource lacks its 'path', 'bytes' or 'hash'"),
    (b'{"resources": [{"path": "../a.csv", "bytes": 1, "hash": "x"}]}', "resource path '../a.csv' is not a file in this folder"),
    (b'{"resources": [{"path": "b\\\\a.csv", "bytes": 1, "hash": "x"}]}', "resource path 'b\\\\a.csv' is not a file in this folder"),
    (b'{"resources": [{"path": ".a.csv", "bytes": 1, "hash": "x"}]}', "resource path '.a.csv' is not a file in this folder"),
    (b'{"resources": [{"path": "b/a.csv", "bytes": 1, "hash": "x"}]}', "resource path 'b/a.csv' is not a file in this folder"),
    (b" " * (1024 * 1024 + 1), "the file is larger than 1,048,576 bytes"),
])
def test_sel009_a_missing_or_broken_seal_is_refused_with_what_to_do(folder, content, problem):
    descriptor = folder / DESCRIPTOR
    if content is None:
        descriptor.unlink()
    else:
        descriptor.write_bytes(content)
    assert said(folder) == [f"datapackage.json:1: {problem}" + REFUSED.format(folder)]


def test_sel010_a_seal_of_exactly_one_mebibyte_is_read(folder):
    text = (folder / DESCRIPTOR).read_bytes()
    (folder / DESCRIPTOR).write_bytes(text + b" " * (1024 * 1024 - len(text)))
    assert said(folder) == []


def test_sel011_a_file_far_over_its_seal_is_refused_unread_and_a_smaller_one_is_read(folder):
    mismatches, contents = datapackage.read_sealed(folder, max_bytes=40)
    assert mismatches == [] and contents == {"muscles.csv": b"id\nsoleus\n", "referral_zones.csv": ZONES}
    (folder / "referral_zones.csv").write_bytes(b"x" * 41)
    mismatches, contents = datapackage.read_sealed(folder, max_bytes=40)
    assert contents["referral_zones.csv"] is None
    assert [m.message.split(";")[0] for m in mismatches] == [
        f"has 41 bytes but datapackage.json records {len(ZONES)}: the file changed after it was sealed"]
    (folder / "referral_zones.csv").write_bytes(b"x" * 40)
    _, contents = datapackage.read_sealed(folder, max_bytes=40)
    assert contents["referral_zones.csv"] == b"x" * 40, "up to the limit it is read, so its rows can be checked"


def test_sel012_reading_once_refuses_a_file_over_the_limit(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"12345")
    assert datapackage.read_once(path, 5) == b"12345"
    with pytest.raises(datapackage.TooLarge) as error:
        datapackage.read_once(path, 4)
    assert error.value.size == 5


def test_sel013_an_unreadable_seal_says_why(folder, monkeypatch):
    def refuse(path, limit):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(datapackage, "read_once", refuse)
    assert said(folder) == ["datapackage.json:1: the file cannot be read (Permission denied)" + REFUSED.format(folder)]


def test_sel014_a_missing_file_does_not_hide_a_later_file_cut_short(folder):
    (folder / "muscles.csv").unlink()
    (folder / "referral_zones.csv").write_bytes(ZONES[:ZONES.index(b"z3")])
    assert [line.split(": ")[0] for line in said(folder)] == ["muscles.csv:1", "referral_zones.csv:3"]
