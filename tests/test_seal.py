"""The data folder's seal (data/datapackage.json): a cut-off or half-written file is refused by name.

`head -n1 data/red_flags.csv` in place of the file used to print "data ok", and the handout
silently lost every red flag. Each example from issue 10 is pinned here, through load_model and
through the real command line.
"""
from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from components.domain.data import DEFAULT_DATA_DIR, DataError, load_model
from components.domain import datapackage
from components.domain.datapackage import DESCRIPTOR, seal

ROOT = Path(__file__).resolve().parent.parent
PROBLEM_LINE = re.compile(r"^.+:\d+: [^:]+: .+")


def problems_of(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_model(data_dir)
    return [str(p) for p in info.value.problems]


def keep_first_lines(path: Path, count: int) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:count]))


def check_data(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "app.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_sea001_the_shipped_data_is_sealed_and_the_seal_is_a_frictionless_descriptor():
    package = json.loads((DEFAULT_DATA_DIR / DESCRIPTOR).read_text(encoding="utf-8"))
    recorded = {entry["path"]: entry for entry in package["resources"]}
    assert set(recorded) == {path.name for path in DEFAULT_DATA_DIR.glob("*.csv")}
    for name, entry in recorded.items():
        raw = (DEFAULT_DATA_DIR / name).read_bytes()
        assert entry["bytes"] == len(raw), name
        assert re.fullmatch(r"sha256:[0-9a-f]{64}", entry["hash"]), name
        assert re.fullmatch(r"[a-z0-9._-]+", entry["name"]), name  # Frictionless name rule


@pytest.mark.parametrize("table", ["red_flags", "anatomy", "self_care", "loading_factors", "referral_zones"])
def test_sea002_a_file_cut_to_its_header_is_refused_as_truncated(data_copy, table):
    keep_first_lines(data_copy / f"{table}.csv", 1)
    problems = problems_of(data_copy)
    truncated = [p for p in problems if p.startswith(f"{data_copy / table}.csv:1: (file): ") and "truncated" in p]
    assert truncated, problems
    assert "--seal-data" in truncated[0]


def test_sea003_a_file_cut_at_a_line_boundary_names_the_line_it_now_ends_on(data_copy):
    path = data_copy / "referral_zones.csv"
    keep_first_lines(path, 10)
    problems = problems_of(data_copy)
    assert any(p.startswith(f"{path}:10: (file): has ") and "truncated or half-written" in p for p in problems), problems


def test_sea004_a_same_size_change_is_refused(data_copy):
    path = data_copy / "trigger_points.csv"
    path.write_bytes(path.read_bytes().replace(b"most-common", b"MOST-COMMON", 1))
    problems = problems_of(data_copy)
    assert any(p.startswith(f"{path}:1: (file): ") and "sha256" in p for p in problems), problems


def test_sea005_a_new_file_must_be_sealed(data_copy):
    (data_copy / "extra.csv").write_text("id\nx\n", encoding="utf-8")
    assert any("extra.csv:1: (file): this file is not recorded" in p for p in problems_of(data_copy))


@pytest.mark.parametrize("content", [None, b"", b'{"resources": [', b"[]", b'{"resources": [{"path": "../x.csv", "bytes": 1, "hash": "sha256:0"}]}'])
def test_sea006_a_missing_or_broken_descriptor_is_refused(data_copy, content):
    descriptor = data_copy / DESCRIPTOR
    if content is None:
        descriptor.unlink()
    else:
        descriptor.write_bytes(content)
    problems = problems_of(data_copy)
    assert any(p.startswith(f"{descriptor}:1: (file): ") and "--seal-data" in p for p in problems), problems


def test_sea007_other_problems_are_still_reported_beside_the_seal(data_copy):
    keep_first_lines(data_copy / "red_flags.csv", 1)
    problems = problems_of(data_copy)
    assert any("red_flags.csv:1: (file): the file has a header but no rows" in p for p in problems), problems


def test_sea008_sealing_is_idempotent_and_makes_an_intended_edit_load(data_copy):
    before = (data_copy / DESCRIPTOR).read_bytes()
    seal(data_copy)
    assert (data_copy / DESCRIPTOR).read_bytes() == before
    path = data_copy / "loading_factors.csv"
    keep_first_lines(path, 3)
    problems_of(data_copy)
    seal(data_copy)
    assert len(load_model(data_copy).loading_factors) == 2


def test_sea009_red_flags_must_include_the_emergencies(data_copy):
    path = data_copy / "red_flags.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",emergency,", ",urgent,"), encoding="utf-8")
    seal(data_copy)
    assert any("red_flags.csv:1: urgency: no red flag is an emergency" in p for p in problems_of(data_copy))


def test_sea010_red_flags_cannot_be_left_out(data_copy):
    (data_copy / "red_flags.csv").unlink()
    seal(data_copy)
    assert any("red_flags.csv:1: (file): the file is missing" in p for p in problems_of(data_copy))


def test_sea011_every_muscle_has_a_trigger_point(data_copy):
    path = data_copy / "trigger_points.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("soleus-")), encoding="utf-8")
    zones = data_copy / "referral_zones.csv"
    zone_lines = zones.read_text(encoding="utf-8").splitlines(keepends=True)
    zones.write_text("".join(line for line in zone_lines if not line.startswith("soleus-")), encoding="utf-8")
    seal(data_copy)
    assert any("muscle 'soleus' has no trigger point" in p for p in problems_of(data_copy))


def test_sea012_the_command_line_refuses_head_n1_and_reseals_on_request(data_copy):
    keep_first_lines(data_copy / "red_flags.csv", 1)
    refused = check_data("--check-data", "--data-dir", str(data_copy))
    assert refused.returncode == 1
    assert "data ok" not in refused.stdout
    lines = [line for line in refused.stderr.splitlines() if PROBLEM_LINE.match(line)]
    assert any(line.startswith(f"{data_copy / 'red_flags.csv'}:1: (file): has ") and "truncated" in line for line in lines)
    assert "Traceback" not in refused.stderr
    # An intended edit: the documented command seals it, then reports what the content lacks.
    resealed = check_data("--seal-data", "--data-dir", str(data_copy))
    assert "red_flags.csv:1: (file): the file has a header but no rows" in resealed.stderr
    assert "truncated" not in resealed.stderr


# --------------------------------------------------------------------------- races and odd files (issue 19)

RACE_LOADS = int(os.environ.get("SEAL_RACE_LOADS", "25"))  # docs/performance.md: measured with 300


def two_flags(raw: bytes) -> bytes:
    """red_flags.csv cut to its header and two flags, one an emergency: valid apart from the seal."""
    header, *rows = raw.splitlines(keepends=True)
    emergency = next(row for row in rows if b",emergency," in row or row.rstrip().endswith(b",emergency"))
    other = next(row for row in rows if row is not emergency)
    return header + emergency + other


def race(load_from: Path, flip) -> tuple[int, int]:
    """(refused or whole, loads) while ``flip`` runs in a loop beside ``load_model(load_from)``."""
    whole = len(load_model(DEFAULT_DATA_DIR).red_flags)
    stop, good = threading.Event(), 0

    def flipper():
        while not stop.is_set():
            flip()

    thread = threading.Thread(target=flipper, daemon=True)
    thread.start()
    try:
        for _ in range(RACE_LOADS):
            try:
                good += len(load_model(load_from).red_flags) == whole
            except DataError:
                good += 1
    finally:
        stop.set()
        thread.join(10)
    return good, RACE_LOADS


def test_sea013_a_file_rewritten_during_a_load_is_never_accepted_half_checked(data_copy):
    path = data_copy / "red_flags.csv"
    sealed, cut = path.read_bytes(), two_flags(path.read_bytes())

    def rewrite_in_place():
        for content in (cut, sealed):
            with open(path, "r+b") as handle:
                handle.write(content)
                handle.truncate()

    good, loads = race(data_copy, rewrite_in_place)
    print(f"\nin-place rewrite race: refused or whole {good} of {loads}")
    assert good == loads


def test_sea014_a_data_link_flipped_during_a_load_is_never_accepted_half_checked(data_copy, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(data_copy, bad)
    (bad / "red_flags.csv").write_bytes(two_flags((bad / "red_flags.csv").read_bytes()))  # not re-sealed
    link = tmp_path / "current"
    link.symlink_to(data_copy)

    def flip():
        for target in (bad, data_copy):
            temporary = tmp_path / "current.new"
            temporary.unlink(missing_ok=True)
            temporary.symlink_to(target)
            temporary.replace(link)

    good, loads = race(link, flip)
    print(f"\nfolder link race: refused or whole {good} of {loads}")
    assert good == loads


def test_sea015_a_huge_replacement_is_refused_without_being_read(data_copy):
    path = data_copy / "red_flags.csv"
    with open(path, "r+b") as handle:
        handle.truncate(1024 ** 3)  # sparse: 1 GiB on paper, nothing on disk
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    problems = problems_of(data_copy)
    grew_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert any(p.startswith(f"{path}:1: (file): has 1,073,741,824 bytes") for p in problems), problems
    assert grew_kib < 200 * 1024, f"peak memory grew by {grew_kib // 1024} MiB"
    assert time.monotonic() - started < 20


def test_sea016_an_unreadable_data_file_is_a_problem_line_not_a_traceback(data_copy, monkeypatch):
    real_open = open

    def guarded(path, *args, **kwargs):
        if str(path).endswith("red_flags.csv"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(datapackage, "open", guarded, raising=False)  # root ignores chmod 000
    problems = problems_of(data_copy)
    assert any(p.startswith(f"{data_copy / 'red_flags.csv'}:1: (file): the file cannot be read (Permission denied)")
               for p in problems), problems
    assert all(PROBLEM_LINE.match(p) for p in problems)
