"""The command line of the contract: --check-data exit codes and messages, flags and defaults."""
from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBLEM_LINE = re.compile(r"^(?P<file>.+\.csv):(?P<line>\d+): (?P<column>[^:]+): .+$")


def run_app(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "app.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )


def set_cell(data_dir: Path, table: str, row_id: str, column: str, value: str) -> int:
    path = data_dir / f"{table}.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    index = rows[0].index(column)
    for number, row in enumerate(rows, start=1):
        if number > 1 and row and row[0] == row_id:
            row[index] = value
            with open(path, "w", newline="", encoding="utf-8") as handle:
                csv.writer(handle, lineterminator="\n").writerows(rows)
            return number
    raise AssertionError(row_id)


def append_copy(data_dir: Path, table: str, row_id: str) -> int:
    path = data_dir / f"{table}.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows.append(next(list(r) for r in rows if r and r[0] == row_id))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return len(rows)


def test_check_data_on_shipped_data():
    result = run_app("--check-data")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    summary = result.stdout.strip()
    assert summary
    for word in ("muscles", "trigger points", "zones", "regions"):
        assert re.search(rf"\d+ [a-z ]*{word}", summary), (word, summary)


def test_check_data_with_explicit_data_dir(data_copy):
    result = run_app("--check-data", "--data-dir", str(data_copy))
    assert result.returncode == 0, result.stderr
    assert "regions" in result.stdout


def _breakages():
    def duplicated_id(d):
        return "regions.csv", append_copy(d, "regions", "instep"), "id"

    def text_coordinate(d):
        return "trigger_points.csv", set_cell(d, "trigger_points", "gastrocnemius-tp1", "x", "abc"), "x"

    def unknown_point(d):
        line = set_cell(d, "referral_zones", "gastrocnemius-tp1-knee", "trigger_point", "gastrocnemius-tp9")
        return "referral_zones.csv", line, "trigger_point"

    return {"duplicated-id": duplicated_id, "text-coordinate": text_coordinate, "zone-for-unknown-point": unknown_point}


@pytest.mark.parametrize("name", list(_breakages()))
def test_check_data_on_broken_data(data_copy, name):
    file, line, column = _breakages()[name](data_copy)
    result = run_app("--check-data", "--data-dir", str(data_copy))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert "data ok" not in result.stdout
    lines = [text for text in result.stderr.splitlines() if PROBLEM_LINE.match(text)]
    assert lines, result.stderr
    matches = [PROBLEM_LINE.match(text) for text in lines]
    assert any(
        Path(m["file"]).name == file and int(m["line"]) == line and m["column"] == column for m in matches
    ), result.stderr
    for match in matches:
        assert Path(match["file"]).parent == data_copy


def test_help_lists_the_flags():
    result = run_app("--help")
    assert result.returncode == 0
    for flag in ("--host", "--port", "--data-dir", "--debug", "--check-data"):
        assert flag in result.stdout, flag


@pytest.fixture(scope="module")
def app_module():
    import app

    return app


def test_defaults(app_module):
    args = app_module.parse_args([])
    assert args.host == "127.0.0.1"
    assert args.port == 8050
    assert args.debug is False
    assert args.check_data is False
    assert Path(args.data_dir).resolve() == (ROOT / "data").resolve()


def test_flags_parse(app_module, tmp_path):
    args = app_module.parse_args(["--host", "0.0.0.0", "--port", "9000", "--debug", "--data-dir", str(tmp_path), "--check-data"])
    assert (args.host, args.port, args.debug, args.check_data) == ("0.0.0.0", 9000, True, True)
    assert Path(args.data_dir) == tmp_path


def test_bad_port_is_a_usage_error(app_module):
    with pytest.raises(SystemExit) as info:
        app_module.parse_args(["--port", "eighty"])
    assert info.value.code == 2


def test_main_returns_1_on_bad_data_without_serving(app_module, data_copy, capsys):
    set_cell(data_copy, "trigger_points", "gastrocnemius-tp2", "y", "nan")
    assert app_module.main(["--data-dir", str(data_copy), "--port", "1"]) == 1
    captured = capsys.readouterr()
    assert "trigger_points.csv:" in captured.err
    assert ": y: " in captured.err


def test_main_check_data_returns_0(app_module, data_copy, capsys):
    assert app_module.main(["--check-data", "--data-dir", str(data_copy)]) == 0
    assert "trigger points" in capsys.readouterr().out


def test_server_is_exposed_for_gunicorn(app_module):
    from flask import Flask

    assert isinstance(app_module.server, Flask)
