"""Each CSV table described once, in tables.json (a line a column): its columns, what each holds
(the words of data/README.md's column lists, which are generated from it), how a cell is
checked, and which field of the domain object (components/domain/model.py) it fills. pandas reads the files (components/domain/data.py); this module
says what they hold.

    python -m components.domain.tables      # rewrite the column lists in data/README.md from SCHEMAS
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path


README = Path(__file__).resolve().parents[2] / "data" / "README.md"
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # id | text | number | int | choice | ref | refs | sources | shape | yesno
    required: bool = True
    choices: tuple[str, ...] = ()
    table: str = ""  # for ref and refs: the table whose ids are allowed
    meaning: str = ""  # the README's words for it (data/README.md's column lists are made from these)
    field: str | None = ""  # the domain object's field it fills: "" for its own name, None for none (a note for editors)
    default: object = ""  # its value when an optional cell is empty

    @property
    def empty(self) -> object:
        """What an empty cell holds: no ids for a list, "no" for yes/no, else the column's default."""
        if self.kind in ("refs", "sources"):
            return ()
        return False if self.kind == "yesno" else self.default


# The columns of every table, one line each, in tables.json: data, not code. A column's entry is
# the Column's fields. The order matters: a table is checked after the tables it refers to. A
# region's `name` is optional on the form but required on its first row (check_regions).
TABLES_JSON = Path(__file__).resolve().with_name("tables.json")

SCHEMAS: dict[str, tuple[Column, ...]] = {
    table: tuple(Column(**{**entry, "choices": tuple(entry.get("choices", ()))}) for entry in entries)
    for table, entries in json.loads(TABLES_JSON.read_text(encoding="utf-8")).items()
}


def choices(table: str, name: str) -> tuple[str, ...]:
    """The values a choice column allows, in the order tables.json gives (an order that means
    something: the most urgent first, the essential zone before the spillover)."""
    return next(column.choices for column in SCHEMAS[table] if column.name == name)


# The landmarks a leg view marks (contract.md, "The drawing"), so that its proportions can be measured.
LANDMARKS = choices("anatomy", "landmark")
# red_flags is not optional: the page and the handout promise the signs that mean "see a doctor".
# safety_checks may be absent only while no muscle has a self-care routine (check_safety_checks).
OPTIONAL_TABLES = frozenset({"self_care", "loading_factors", "elsewhere", "safety_checks", "nerve_roots", "region_parts"})
# The columns that identify a row, where that is more than its id: a region may be drawn in
# several views, one row per view; its first row gives its primary view.
ROW_KEYS = {"regions": ("id", "view")}


def split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip())


def typed(row, table: str) -> dict[str, object]:
    """A checked row (a pandas itertuples row) -> its domain object's fields, by each column's kind.
    Shapes are left to the builder, which turns them into points and outlines."""
    fields = {}
    for column in SCHEMAS[table]:
        if column.field is None or column.kind == "shape":
            continue
        value = getattr(row, column.name, "")
        if column.kind in ("refs", "sources"):
            value = split_list(value)
        elif column.kind == "yesno":
            value = value == "yes"
        elif not value:
            value = column.empty
        elif column.kind == "number":
            value = float(value)
        elif column.kind == "int":
            value = int(value)
        fields[column.field or column.name] = value
    return fields


# --------------------------------------------------------------------------- the README's column lists

BEGIN = "<!-- columns of {table}.csv: generated from components/domain/tables.json by `python -m components.domain.tables` -->"
END = "<!-- end of columns -->"


def columns_markdown(table: str) -> str:
    """The README's table of columns; neighbours with the same meaning share a row (`x`, `y`)."""
    rows: list[tuple[list[str], str]] = []
    for column in SCHEMAS[table]:
        if rows and rows[-1][1] == column.meaning:
            rows[-1][0].append(column.name)
        else:
            rows.append(([column.name], column.meaning))
    lines = ["| column | meaning |", "|---|---|"]
    lines += ["| " + ", ".join(f"`{name}`" for name in names) + f" | {meaning} |" for names, meaning in rows]
    return "\n".join(lines)


def with_column_lists(text: str) -> str:
    """``text`` with every generated block (BEGIN ... END) made from SCHEMAS."""
    for table in SCHEMAS:
        begin = BEGIN.format(table=table)
        pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(END), re.S)
        text = pattern.sub(lambda _: f"{begin}\n{columns_markdown(table)}\n{END}", text)
    return text


if __name__ == "__main__":
    README.write_text(with_column_lists(README.read_text(encoding="utf-8")), encoding="utf-8")
    sys.exit(0)
