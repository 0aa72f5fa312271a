"""Each CSV table described once: its columns, what each holds (the words of data/README.md's
column lists, which are generated from here), how a cell is checked, and which field of the domain
object (components/model.py) it fills. pandas reads the files (components/data.py); this module
says what they hold.

    python -m components.tables      # rewrite the column lists in data/README.md from SCHEMAS
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from components.model import AGREEMENTS, CAUSE_KINDS, INTENSITIES, PREVALENCES, SAFETY_KINDS, URGENCIES

README = Path(__file__).resolve().parent.parent / "data" / "README.md"
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


# The landmarks a leg view marks (contract.md, "The drawing"), so that its proportions can be measured.
LANDMARKS = ("outline", "knee-crease", "kneecap", "fibula-head", "malleolus-medial", "malleolus-lateral", "heel", "sole")

# The order matters: a table is checked after the tables it refers to.
SCHEMAS: dict[str, tuple[Column, ...]] = {
    "sources": (
        Column("id", "id",
               meaning="`seed-000`, `seed-003`, or `s1` to `s89`, as in `shared/domain/calf-trigger-points.md`; `s90` and up for pages found later. Ids never change"),
        Column("kind", "choice", choices=("seed", "web"),
               meaning="`seed` (one of the two source articles) or `web`"),
        Column("title",
               meaning="what a person reads: `Publisher: page title`, e.g. `Niel Asher Education: Trigger point therapy for the soleus`. Never a file name or a code"),
        Column("reference",
               meaning="the seed's file path (kept for provenance, never shown), or the page's URL"),
    ),
    "views": (
        Column("id", "id",
               meaning="id, and the caption under the view"),
        Column("name",
               meaning="id, and the caption under the view"),
        Column("x", "number",
               meaning="where the view's top-left corner sits on the diagram (diagram units)"),
        Column("y", "number",
               meaning="where the view's top-left corner sits on the diagram (diagram units)"),
        Column("width", "number",
               meaning="size of the view's own coordinate box (local units)"),
        Column("height", "number",
               meaning="size of the view's own coordinate box (local units)"),
        Column("note", required=False,
               meaning="what the view shows, and its orientation"),
        Column("scale", "number", required=False, default=1.0,
               meaning="optional, default 1: local units → diagram units"),
        Column("tab", required=False,
               meaning="optional: the words of the view tab that shows it where one view is drawn at a time (phones). Views with the same words share a tab (`Foot`: the sole and the inner side of the foot). Default: the name up to \" of \""),
        Column("tiled_from", "number", required=False, default=None,
               meaning="optional: the height (local units) from which the view's regions cover its skin without gaps, checked by `--check-data`; empty for a view whose regions mark only part of it (an inset, the inner side of the foot)"),
    ),
    "muscles": (
        Column("id", "id",
               meaning="slug, e.g. `tibialis-posterior`"),
        Column("name",
               meaning="lower-case English name as in the contract, e.g. `tibialis posterior`"),
        Column("order", "int",
               meaning="display order. 1 is the star of the map: its points are drawn largest. Within a ranking tie it only sets the display order; it never sets a rank"),
        Column("layer", "choice", choices=("superficial", "deep"), field=None,
               meaning="`superficial` or `deep`"),
        Column("summary",
               meaning="plain-language description"),
        Column("source", "sources", field="sources",
               meaning="source ids"),
    ),
    "anatomy": (
        Column("id", "id",
               meaning="id"),
        Column("view", "ref", table="views",
               meaning="the view it is drawn in"),
        Column("part", "choice", choices=("skin", "muscle", "deep-muscle", "tendon", "bone", "crease", "fossa", "landmark"),
               meaning="`skin`, `muscle`, `deep-muscle` (fine fibre lines), `tendon`, `bone`, `crease`, `fossa` or `landmark` (not drawn; a line a check can find). This sets the style"),
        Column("muscle", "ref", required=False, table="muscles",
               meaning="optional muscle id, for parts that belong to a muscle (rendered as `data-muscle`)"),
        Column("name",
               meaning="what the part is"),
        Column("closed", "yesno",
               meaning="`yes` for an outline, `no` for an open line such as a tendon or crease"),
        Column("smooth", "yesno",
               meaning="see \"Shapes\" above"),
        Column("shape", "shape",
               meaning="see \"Shapes\" above"),
        Column("landmark", "choice", required=False, choices=LANDMARKS,
               meaning="optional: `outline`, `knee-crease`, `kneecap`, `fibula-head`, `malleolus-medial`, `malleolus-lateral`, `heel` or `sole` (rendered as `data-landmark`)"),
        Column("head", "choice", required=False, choices=("medial", "lateral"),
               meaning="optional: `medial` or `lateral`, for a head of the gastrocnemius (rendered as `data-head`)"),
    ),
    "regions": (
        Column("id", "id",
               meaning="the contract's region id, e.g. `knee-back`"),
        Column("name", required=False,
               meaning="plain-language name, shown in lists and reason sentences (lower case; it is capitalised where needed)"),  # required on a region's first row; see check_regions
        Column("view", "ref", table="views",
               meaning="the view where the region can be clicked"),
        Column("smooth", "yesno",
               meaning="the region's shape"),
        Column("shape", "shape",
               meaning="the region's shape"),
        Column("within", "ref", required=False, table="anatomy",
               meaning="optional: the id of a closed `anatomy` outline of the same view, normally the view's skin (`back-skin`)"),
    ),
    "trigger_points": (
        Column("id", "id",
               meaning="e.g. `gastrocnemius-tp1`"),
        Column("muscle", "ref", table="muscles",
               meaning="muscle id"),
        Column("head", "choice", required=False, choices=("medial", "lateral"), default=None,
               meaning="`medial`, `lateral` or empty"),
        Column("label",
               meaning="`TP1`, `TP2`, ..., unique within the muscle"),
        Column("view", "ref", table="views",
               meaning="where the X is drawn (local units of that view)"),
        Column("x", "number",
               meaning="where the X is drawn (local units of that view)"),
        Column("y", "number",
               meaning="where the X is drawn (local units of that view)"),
        Column("prevalence", "choice", required=False, choices=PREVALENCES,
               meaning="optional: `most-common`, `common`, `occasional` or `rare`, as the sources word it. Shown in the API; it does not rank, because most rows give no source for it"),
        Column("location",
               meaning="where to find it, in plain words"),
        Column("feels_like",
               meaning="what the pain often feels like"),
        Column("note", required=False,
               meaning="optional plain-language note"),
        Column("disagreement", required=False,
               meaning="optional: one line on where sources differ"),
        Column("source", "sources", field="sources",
               meaning="source ids"),
        Column("drawing_note", required=False, field=None,
               meaning="optional working note, not shown: why an X is drawn where it is (for example, moved a little apart from a neighbour so each can be tapped)"),
    ),
    "referral_zones": (
        Column("id", "id",
               meaning="zone id"),
        Column("trigger_point", "ref", table="trigger_points",
               meaning="the point it belongs to"),
        Column("intensity", "choice", choices=INTENSITIES,
               meaning="`essential` (felt almost every time the point is active) or `spillover` (felt in some people only)"),
        Column("view", "ref", table="views",
               meaning="the view the zone is drawn in"),
        Column("regions", "refs", table="regions",
               meaning="the region ids the zone covers. The ranking and the API use these"),
        Column("smooth", "yesno", field=None,
               meaning="the zone's drawn outline"),
        Column("shape", "shape",
               meaning="the zone's drawn outline"),
        Column("note", required=False,
               meaning="optional: what the zone means, or where sources differ"),
        Column("agreement", "choice", choices=AGREEMENTS,
               meaning="`agreed` when two or more sources describe this spread, `one-source` when only one does. A one-source zone counts for less in the ranking"),
        Column("source", "sources", field="sources",
               meaning="source ids: **every** source that describes this zone, so that the list is the record of how many do"),
    ),
    "self_care": (
        Column("id", "id",
               meaning="id, the muscle it is for, and its position in the routine"),
        Column("muscle", "ref", table="muscles",
               meaning="id, the muscle it is for, and its position in the routine"),
        Column("order", "int",
               meaning="id, the muscle it is for, and its position in the routine"),
        Column("kind", "choice", choices=("release", "stretch", "cramp-relief", "cramp-prevention", "caution"),
               meaning="`release`, `stretch`, `cramp-relief`, `cramp-prevention` or `caution`"),
        Column("title",
               meaning="plain-language step"),
        Column("instructions",
               meaning="plain-language step"),
        Column("timing", required=False,
               meaning="how long, or how often, e.g. `30 to 60 seconds per spot`"),
        Column("disagreement", required=False,
               meaning="optional: where sources differ"),
        Column("source", "sources", field="sources",
               meaning="source ids"),
    ),
    "red_flags": (
        Column("id", "id",
               meaning="id, and display order **within its urgency**: every list shows the emergencies first, then the urgent ones, then \"see a doctor\""),
        Column("order", "int",
               meaning="id, and display order **within its urgency**: every list shows the emergencies first, then the urgent ones, then \"see a doctor\""),
        Column("name",
               meaning="the condition, in plain words"),
        Column("signs",
               meaning="what to look for"),
        Column("action",
               meaning="what to do, with the route (999, A&E, 111, an urgent GP appointment). For an emergency, the first sentence says what to do now (A&E or 999)"),
        Column("urgency", "choice", choices=URGENCIES,
               meaning="`emergency` (ambulance or A&E now), `urgent` (same-day care) or `see-doctor` (book an appointment)"),
        Column("source", "sources", field="sources",
               meaning="source ids"),
        Column("raised_by", "refs", required=False, table="regions",
               meaning="optional region ids: marking any of them makes this flag likely, and the answer shows it beside the ranking"),
        Column("nerve_root", "yesno", required=False,
               meaning="optional `yes`: the flag is raised when the marked areas follow a nerve root's strip (`nerve_roots.csv`)"),
        Column("because", required=False,
               meaning="the plain reason shown when `raised_by` raises the flag (required then); a nerve-root flag gives its root's reason"),
    ),
    "loading_factors": (
        Column("id", "id",
               meaning="id"),
        Column("muscle", "ref", table="muscles",
               meaning="muscle id"),
        Column("factor",
               meaning="what loads the muscle and keeps its points active, in plain text"),
        Column("source", "sources", field="sources",
               meaning="source ids"),
    ),
    "elsewhere": (
        Column("id", "id",
               meaning="id, and the plain name (`Baker's cyst`, `piriformis`)"),
        Column("name",
               meaning="id, and the plain name (`Baker's cyst`, `piriformis`)"),
        Column("kind", "choice", choices=CAUSE_KINDS,
               meaning="`condition` (a joint, tendon, nerve, bursa or vessel: not a trigger point) or `muscle` (a muscle off this map)"),
        Column("regions", "refs", required=False, table="regions",
               meaning="the region ids where it commonly causes pain; empty for a cause that a rule names (sciatica, from `nerve_roots.csv`)"),
        Column("note",
               meaning="plain sentences shown on the page and the handout: what it is, how it feels, and that it is not a trigger point (or not on this map). Never a diagnosis"),
        Column("source", "sources", field="sources",
               meaning="source ids"),
    ),
    "safety_checks": (
        Column("id", "id",
               meaning="id and display order"),
        Column("order", "int",
               meaning="id and display order"),
        Column("kind", "choice", choices=SAFETY_KINDS,
               meaning="`stop` (don't press or roll: get checked first) or `ask-first` (ask a doctor, midwife or clinician first)"),
        Column("text",
               meaning="one plain sentence"),
        Column("muscles", "refs", table="muscles",
               meaning="the muscle ids whose area this line protects: it is shown above their self-care"),
        Column("source", "sources", field="sources",
               meaning="source ids"),
    ),
    "nerve_roots": (
        Column("id", "id",
               meaning="`l5`, `s1`; `L5 nerve root`"),
        Column("name",
               meaning="`l5`, `s1`; `L5 nerve root`"),
        Column("regions", "refs", table="regions",
               meaning="the region ids in that root's strip (dermatome)"),
        Column("because",
               meaning="the plain reason shown when the marked areas follow the strip"),
        Column("cause", "ref", table="elsewhere",
               meaning="the `elsewhere.csv` id it names (sciatica)"),
        Column("source", "sources", field="sources",
               meaning="source ids"),
    ),
    "region_parts": (
        Column("region", "ref", table="regions",
               meaning="region id"),
        Column("part",
               meaning="the part of the body a person names it by: `calf`, `heel`, `foot`, ..."),
    ),
}
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
            value = column.default
        elif column.kind == "number":
            value = float(value)
        elif column.kind == "int":
            value = int(value)
        fields[column.field or column.name] = value
    return fields


# --------------------------------------------------------------------------- the README's column lists

BEGIN = "<!-- columns of {table}.csv: generated from components/tables.py by `python -m components.tables` -->"
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
