"""A corpus of broken data sets, each made by mutating a copy of the shipped data.

Every one must be refused as a whole with a DataError whose every problem reads
`file:line: column: message`, never with a traceback or a half-built model. A handful also go
through the real command line, which must exit 1 on its own, print no traceback, and never
start serving.
"""
from __future__ import annotations

import csv
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.processes import free_port
from components.domain.data import DEFAULT_DATA_DIR, DataError, load_model

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PROBLEM_LINE = re.compile(r"^.+\.csv:\d+: [^:]+: .+")
TP1, TP2 = "gastrocnemius-tp1", "gastrocnemius-tp2"
HUGE = 16 * 1024 * 1024 + 1024


# --------------------------------------------------------------------------- editing helpers


def rows_of(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(table: str, row_id: str, column: str, value: str):
    def mutate(d: Path):
        path = d / f"{table}.csv"
        rows = rows_of(path)
        index = rows[0].index(column)
        hits = [row for row in rows[1:] if row and row[0] == row_id]
        assert hits, (table, row_id)
        hits[0][index] = value
        write(path, rows)

    return mutate


def drop_column(table: str, column: str):
    def mutate(d: Path):
        path = d / f"{table}.csv"
        rows = rows_of(path)
        index = rows[0].index(column)
        write(path, [row[:index] + row[index + 1:] if row else row for row in rows])

    return mutate


def rename_column(table: str, column: str, new: str):
    def mutate(d: Path):
        path = d / f"{table}.csv"
        rows = rows_of(path)
        rows[0][rows[0].index(column)] = new
        write(path, rows)

    return mutate


def duplicate_row(table: str, row_id: str):
    def mutate(d: Path):
        path = d / f"{table}.csv"
        rows = rows_of(path)
        rows.append(list(next(r for r in rows if r and r[0] == row_id)))
        write(path, rows)

    return mutate


def append_line(table: str, text: str):
    def mutate(d: Path):
        path = d / f"{table}.csv"
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text + "\n", encoding="utf-8")

    return mutate


def replace_bytes(table: str, old: bytes, new: bytes):
    def mutate(d: Path):
        path = d / f"{table}.csv"
        raw = path.read_bytes()
        assert old in raw, (table, old)
        path.write_bytes(raw.replace(old, new, 1))

    return mutate


def content(table: str, data: bytes):
    def mutate(d: Path):
        (d / f"{table}.csv").write_bytes(data)

    return mutate


def delete(table: str):
    def mutate(d: Path):
        (d / f"{table}.csv").unlink()

    return mutate


def huge(table: str):
    def mutate(d: Path):
        with open(d / f"{table}.csv", "ab") as handle:
            line = b"padding-row,web,padding,http://example.org/\n"
            handle.write(line * (HUGE // len(line) + 1))

    return mutate


def random_bytes(table: str, seed: int):
    def mutate(d: Path):
        generator = random.Random(seed)
        (d / f"{table}.csv").write_bytes(bytes(generator.randrange(256) for _ in range(4096)))

    return mutate


def header_only(table: str):
    def mutate(d: Path):
        path = d / f"{table}.csv"
        write(path, rows_of(path)[:1])

    return mutate


def all_of(*mutations):
    def mutate(d: Path):
        for mutation in mutations:
            mutation(d)

    return mutate


def every_file_empty(d: Path):
    for path in d.glob("*.csv"):
        path.write_bytes(b"")


# --------------------------------------------------------------------------- the corpus: (name, mutation, file named)

CORPUS = [
    ("missing-column", drop_column("trigger_points", "x"), "trigger_points.csv"),
    ("missing-id-column", drop_column("sources", "id"), "sources.csv"),
    ("renamed-column", rename_column("regions", "shape", "outline"), "regions.csv"),
    ("renamed-column-case", rename_column("referral_zones", "intensity", "Intensity"), "referral_zones.csv"),
    ("duplicated-column", rename_column("views", "note", "name"), "views.csv"),
    ("text-in-x", set_cell("trigger_points", TP1, "x", "abc"), "trigger_points.csv"),
    ("text-in-view-width", set_cell("views", "back", "width", "wide"), "views.csv"),
    ("comma-decimal", set_cell("trigger_points", TP2, "y", "74,5"), "trigger_points.csv"),
    ("nan-y", set_cell("trigger_points", TP2, "y", "NaN"), "trigger_points.csv"),
    ("inf-height", set_cell("views", "sole", "height", "inf"), "views.csv"),
    ("minus-inf-x", set_cell("trigger_points", TP1, "x", "-inf"), "trigger_points.csv"),
    ("overflow-x", set_cell("views", "back", "x", "1e999"), "views.csv"),
    ("nan-in-shape", set_cell("regions", "knee-back", "shape", "25 28; nan 28; 74.5 52; 25 52"), "regions.csv"),
    ("text-in-order", set_cell("muscles", "gastrocnemius", "order", "first"), "muscles.csv"),
    ("duplicate-region", duplicate_row("regions", "instep"), "regions.csv"),
    ("duplicate-source", duplicate_row("sources", "s1"), "sources.csv"),
    ("duplicate-zone", duplicate_row("referral_zones", "gastrocnemius-tp3-knee"), "referral_zones.csv"),
    ("duplicate-point", duplicate_row("trigger_points", TP2), "trigger_points.csv"),
    ("zone-unknown-point", set_cell("referral_zones", "gastrocnemius-tp1-knee", "trigger_point", "gastrocnemius-tp9"), "referral_zones.csv"),
    ("zone-unknown-region", set_cell("referral_zones", "gastrocnemius-tp1-calf", "regions", "calf-upper-medial; shin"), "referral_zones.csv"),
    ("unknown-source", set_cell("trigger_points", TP1, "source", "s999"), "trigger_points.csv"),
    ("unknown-muscle", set_cell("trigger_points", TP2, "muscle", "quadriceps"), "trigger_points.csv"),
    ("unknown-view", set_cell("regions", "achilles", "view", "front"), "regions.csv"),
    ("bad-intensity", set_cell("referral_zones", "gastrocnemius-tp1-knee", "intensity", "strong"), "referral_zones.csv"),
    ("bad-prevalence", set_cell("trigger_points", TP1, "prevalence", "very"), "trigger_points.csv"),
    ("bad-yes-no", set_cell("regions", "sole", "smooth", "TRUE"), "regions.csv"),
    ("bow-tie-region", set_cell("regions", "thigh-back-lower", "shape", "30 5; 60 20; 60 5; 30 20"), "regions.csv"),
    ("bow-tie-anatomy", set_cell("anatomy", "back-heel-bone", "shape", "41 176; 59 190; 59 176; 41 190"), "anatomy.csv"),
    ("bow-tie-zone", set_cell("referral_zones", "gastrocnemius-tp4-knee", "shape", "44 36; 66 48; 66 34; 44 49"), "referral_zones.csv"),
    ("two-point-shape", set_cell("regions", "thigh-back-lower", "shape", "30 5; 60 20"), "regions.csv"),
    ("closed-two-point-shape", set_cell("regions", "achilles", "shape", "44 136; 56 136; 44 136"), "regions.csv"),
    ("garbage-shape", set_cell("regions", "heel-back", "shape", "40 176 3; 60"), "regions.csv"),
    ("empty-shape", set_cell("anatomy", "back-fossa", "shape", ""), "anatomy.csv"),
    ("shape-outside-view", set_cell("regions", "thigh-back-lower", "shape", "23 2; 77 2; 76 260; 24 26"), "regions.csv"),
    ("point-outside-view", set_cell("trigger_points", TP1, "x", "500"), "trigger_points.csv"),
    ("negative-point", set_cell("trigger_points", TP2, "y", "-1"), "trigger_points.csv"),
    ("no-essential-zone", set_cell("referral_zones", "gastrocnemius-tp2-local", "intensity", "spillover"), "trigger_points.csv"),
    ("missing-source", set_cell("trigger_points", TP1, "source", ""), "trigger_points.csv"),
    ("separator-only-source", set_cell("referral_zones", "gastrocnemius-tp1-instep", "source", ";;"), "referral_zones.csv"),
    ("empty-file", content("muscles", b""), "muscles.csv"),
    ("blank-file", content("regions", b"\n \n\t\n"), "regions.csv"),
    ("bom-only-file", content("views", b"\xef\xbb\xbf"), "views.csv"),
    ("every-file-empty", every_file_empty, "sources.csv"),
    ("missing-file", delete("views"), "views.csv"),
    ("latin1-text", replace_bytes("trigger_points", b"A deep ache", b"Un caf\xe9 ache"), "trigger_points.csv"),
    ("latin1-header", replace_bytes("regions", b"name", b"n\xe4me"), "regions.csv"),
    ("utf16-file", lambda d: (d / "views.csv").write_bytes((d / "views.csv").read_text(encoding="utf-8").encode("utf-16")), "views.csv"),
    ("random-bytes", random_bytes("referral_zones", 7), "referral_zones.csv"),
    ("huge-file", huge("sources"), "sources.csv"),
    ("short-row", append_line("views", "side,Side view,0"), "views.csv"),
    ("long-row", append_line("muscles", "soleus2,soleus,2,deep,summary,s1,extra,fields"), "muscles.csv"),
    ("unterminated-quote", append_line("views", 'side,"Side view,0,0,10,10,,1'), "views.csv"),
    ("bad-id-case", set_cell("trigger_points", TP2, "id", "Gastrocnemius-TP2"), "trigger_points.csv"),
    ("bad-id-underscore", set_cell("regions", "sole", "id", "mid_sole"), "regions.csv"),
    ("bad-label", set_cell("trigger_points", TP2, "label", "two"), "trigger_points.csv"),
    ("repeated-label", set_cell("trigger_points", TP2, "label", "TP1"), "trigger_points.csv"),
    ("points-header-only", header_only("trigger_points"), "referral_zones.csv"),
    ("bad-agreement", set_cell("referral_zones", "gastrocnemius-tp1-knee", "agreement", "most"), "referral_zones.csv"),
    ("one-source-zone-citing-two", set_cell("referral_zones", "gastrocnemius-tp1-thigh", "source", "s5; s2"), "referral_zones.csv"),
    ("elsewhere-unknown-region", set_cell("elsewhere", "gout", "regions", "ankle-outer"), "elsewhere.csv"),
    ("elsewhere-twice", duplicate_row("elsewhere", "gout"), "elsewhere.csv"),
    ("elsewhere-bad-kind", set_cell("elsewhere", "gout", "kind", "bone"), "elsewhere.csv"),
    ("elsewhere-unknown-source", set_cell("elsewhere", "gout", "source", "s999"), "elsewhere.csv"),
    ("safety-checks-missing", delete("safety_checks"), "self_care.csv"),
    ("red-flag-no-urgency", set_cell("red_flags", "dvt", "urgency", ""), "red_flags.csv"),
    ("red-flag-no-action", set_cell("red_flags", "dvt", "action", ""), "red_flags.csv"),
    ("red-flag-no-source", set_cell("red_flags", "dvt", "source", ""), "red_flags.csv"),
    ("red-flag-old-column", replace_bytes("red_flags", b"id,order,name,", b"id,order,condition,"), "red_flags.csv"),
    ("several-at-once", all_of(set_cell("trigger_points", TP1, "x", "abc"), duplicate_row("regions", "sole"),
                               content("muscles", b"")), "regions.csv"),
]


def make_broken(base: Path, name: str, mutation) -> Path:
    target = base / name
    shutil.copytree(DEFAULT_DATA_DIR, target)
    mutation(target)
    return target


def assert_well_formed(error: DataError) -> None:
    assert error.problems
    for problem in error.problems:
        text = str(problem)
        assert "\n" not in text, text
        assert PROBLEM_LINE.match(text), text
        assert problem.line >= 1


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 30
    assert len({name for name, _, _ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("name, mutation, file", CORPUS, ids=[c[0] for c in CORPUS])
def test_broken_data_is_refused_with_located_problems(tmp_path, name, mutation, file):
    broken = make_broken(tmp_path, name, mutation)
    started = time.monotonic()
    with pytest.raises(DataError) as info:
        load_model(broken)
    assert time.monotonic() - started < 10
    assert_well_formed(info.value)
    assert any(Path(p.file).name == file for p in info.value.problems), str(info.value)
    assert all(Path(p.file).parent == broken for p in info.value.problems), str(info.value)


# --------------------------------------------------------------------------- through the real command line

CLI_CASES = ["duplicate-point", "text-in-x", "latin1-text", "empty-file", "huge-file"]
EXIT_WITHIN = 20.0  # seconds from the process's own start
AT_ONCE = 2  # the test machines have few cores; more at once only measures contention


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory):
    """Start the app (to serve, not only to check) on each broken set; collect how each ended."""
    base = tmp_path_factory.mktemp("cli-corpus")
    by_name = {name: mutation for name, mutation, _ in CORPUS}
    dirs = {name: make_broken(base, name, by_name[name]) for name in CLI_CASES}
    results = {}
    for batch_start in range(0, len(CLI_CASES), AT_ONCE):
        running = []
        for name in CLI_CASES[batch_start:batch_start + AT_ONCE]:
            process = subprocess.Popen(
                [sys.executable, "app.py", "--data-dir", str(dirs[name]), "--port", str(free_port())],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            running.append((name, process, time.monotonic()))
        for name, process, started in running:
            try:
                out, err = process.communicate(timeout=max(0.1, started + EXIT_WITHIN - time.monotonic()))
                results[name] = (process.returncode, out, err)
            except subprocess.TimeoutExpired:
                process.kill()
                out, err = process.communicate()
                results[name] = (None, out, err)
    return results


@pytest.mark.parametrize("name", CLI_CASES)
def test_cli_refuses_to_start_on_broken_data(cli_runs, name):
    code, out, err = cli_runs[name]
    assert code is not None, f"still running after 20 s: a server was started on broken data\n{err}"
    assert code == 1, (code, out, err)
    assert "Traceback" not in out + err
    assert "Running on" not in out + err
    problem_lines = [line for line in err.splitlines() if PROBLEM_LINE.match(line)]
    assert problem_lines, err
    other = [line for line in err.splitlines() if line.strip() and not PROBLEM_LINE.match(line)]
    assert len(other) <= 1, other  # at most one closing summary line
