"""Each table is described once, in components/domain/tables.py: the loader checks cells by it, builds the
domain objects from it, and data/README.md's column lists are generated from it."""
from __future__ import annotations

import dataclasses

import pytest

from components.domain import model as domain
from components.domain.tables import README, SCHEMAS, with_column_lists

# The domain object each table's rows become; its other fields (points, outline) come from the shape.
BUILT_AS = {
    "sources": domain.Source, "views": domain.View, "muscles": domain.Muscle, "anatomy": domain.AnatomyPart,
    "trigger_points": domain.TriggerPoint, "referral_zones": domain.ReferralZone, "self_care": domain.SelfCareStep,
    "red_flags": domain.RedFlag, "loading_factors": domain.LoadingFactor, "elsewhere": domain.Elsewhere,
    "safety_checks": domain.SafetyCheck, "nerve_roots": domain.NerveRoot,
}
FROM_THE_SHAPE = {"points", "outline"}


def test_tab001_the_readme_column_lists_are_the_ones_tables_py_makes():
    text = README.read_text(encoding="utf-8")
    assert with_column_lists(text) == text, "data/README.md is stale: run `python -m components.domain.tables`"


def test_tab002_every_table_is_listed_in_the_readme_and_every_column_has_a_meaning():
    text = README.read_text(encoding="utf-8")
    for table, columns in SCHEMAS.items():
        assert f"<!-- columns of {table}.csv:" in text, table
        assert all(column.meaning for column in columns), table


@pytest.mark.parametrize("table", sorted(BUILT_AS))
def test_tab003_each_column_fills_a_field_of_its_domain_object(table):
    fields = {f.name for f in dataclasses.fields(BUILT_AS[table])}
    filled = {column.field or column.name for column in SCHEMAS[table]
              if column.field is not None and column.kind != "shape"}
    assert filled <= fields, f"{table}.csv has columns no field takes: {sorted(filled - fields)}"
    required = {f.name for f in dataclasses.fields(BUILT_AS[table])
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    assert required - FROM_THE_SHAPE <= filled, f"{table}: fields no column fills: {sorted(required - filled)}"
