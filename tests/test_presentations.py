"""Textbook presentations: the ranking must give the answer the public sources give.

Every ``tests/presentations*.csv`` is read (one table per area of the leg). A row passes when
every candidate that shares rank 1 belongs to one of its ``expected_first`` muscles (a tie is
allowed only among them), and at least one candidate has rank 1. An empty ``expected_first``
makes no claim about the ranking: the map draws no textbook cause of that pain, and the row
checks only that ``expect_elsewhere`` names the causes off the map.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from components.domain.data import split_list
from components.domain.referral import trace

HERE = Path(__file__).resolve().parent
TABLES = sorted(HERE.glob("presentations*.csv"))
COLUMNS = ["id", "pain", "expected_first", "expect_elsewhere", "source", "note"]
# Optional, after those: the off-map causes (elsewhere.csv ids) and the raised red flags a row expects.
OPTIONAL_COLUMNS = ["expect_causes", "expect_flags"]


def _rows():
    rows = []
    for table in TABLES:
        with open(table, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            assert header[:len(COLUMNS)] == COLUMNS and set(header[len(COLUMNS):]) <= set(OPTIONAL_COLUMNS), \
                f"{table.name}: the header must be {','.join(COLUMNS)}, then optionally {','.join(OPTIONAL_COLUMNS)}"
            for line, row in enumerate(reader, start=2):
                rows.append(pytest.param(table.name, line, row, id=f"{table.stem}:{row['id']}"))
    return rows


ROWS = _rows()


def _problems(model, row) -> list[str]:
    problems = []
    for region in split_list(row["pain"]) + split_list(row["expect_elsewhere"]):
        if region not in model.regions:
            problems.append(f"unknown region {region!r}")
    for cause in split_list(row.get("expect_causes") or ""):
        if cause not in model.elsewhere:
            problems.append(f"unknown off-map cause {cause!r}")
    for flag in split_list(row.get("expect_flags") or ""):
        if flag not in {f.id for f in model.red_flags}:
            problems.append(f"unknown red flag {flag!r}")
    for muscle in split_list(row["expected_first"]):
        if muscle not in model.muscles:
            problems.append(f"unknown muscle {muscle!r}")
    sources = split_list(row["source"])
    if not sources:
        problems.append("no source")
    problems.extend(f"unknown source {s!r}" for s in sources if s not in model.sources)
    if not split_list(row["pain"]):
        problems.append("no pain")
    if not row["note"].strip():
        problems.append("no note")
    return problems


def test_at_least_30_presentations_with_unique_ids():
    ids = [param.values[2]["id"] for param in ROWS]
    assert len(ids) >= 30
    assert len(ids) == len(set(ids)), "ids repeat"


@pytest.mark.parametrize("table, line, row", ROWS)
def test_presentation(model, table, line, row):
    problems = _problems(model, row)
    assert not problems, f"{table}:{line}: {'; '.join(problems)}"
    result = trace(model, split_list(row["pain"]))
    expected = set(split_list(row["expected_first"]))
    if expected:
        first = [c for c in result.ranking if c.rank == 1]
        assert first, f"{table}:{line}: nothing ranks first for {row['pain']}"
        wrong = [c.trigger_point for c in first if model.trigger_points[c.trigger_point].muscle not in expected]
        assert not wrong, f"{table}:{line}: {wrong} share rank 1, expected only {sorted(expected)}"
    named = {region for entry in result.elsewhere for region in entry.regions}
    missing = set(split_list(row["expect_elsewhere"])) - named
    assert not missing, f"{table}:{line}: 'elsewhere' does not name {sorted(missing)}"
    causes = {entry.cause.id for entry in result.elsewhere}
    missing = set(split_list(row.get("expect_causes") or "")) - causes
    assert not missing, f"{table}:{line}: 'elsewhere' does not name the causes {sorted(missing)}"
    raised = [flag.flag.id for flag in result.red_flags]
    missing = set(split_list(row.get("expect_flags") or "")) - set(raised)
    assert not missing, f"{table}:{line}: the answer does not raise the warning signs {sorted(missing)}"


def test_the_table_covers_every_muscle_and_every_region(model):
    muscles, regions = set(), set()
    for param in ROWS:
        row = param.values[2]
        muscles.update(split_list(row["expected_first"]))
        regions.update(split_list(row["pain"]))
    assert set(model.muscles) - muscles == set(), "muscles that no presentation expects first"
    assert set(model.regions) - regions == set(), "regions that no presentation marks"
