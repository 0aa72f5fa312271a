"""Load and validate the CSV files in ``data/`` into one immutable Model.

Every problem is reported as ``file:line: column: what is wrong`` and loading refuses as a
whole: the app never draws a map from half-valid data. Checks run table by table, then across
tables, and collect every problem they can find instead of stopping at the first.
"""
from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from components.domain import datapackage, geometry
from components.domain.drawing_rules import check_drawing
from components.domain.model import (
    AGREED,
    ESSENTIAL,
    ONE_SOURCE,
    URGENCIES,
    AnatomyPart,
    Elsewhere,
    LoadingFactor,
    Model,
    Muscle,
    NerveRoot,
    RedFlag,
    ReferralZone,
    Region,
    RegionShape,
    SafetyCheck,
    SelfCareStep,
    Source,
    TriggerPoint,
    View,
)
from components.domain.problems import DataError, Problem  # noqa: F401  (DataError: the loader's refusal, imported from here)
from components.domain.tables import OPTIONAL_TABLES, ROW_KEYS, SCHEMAS, Column, split_list, typed  # noqa: F401

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
MAX_FILE_BYTES = 16 * 1024 * 1024
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LABEL_PATTERN = re.compile(r"^TP[0-9]+$")


@lru_cache(maxsize=None)
def shape_points(text: str) -> geometry.Polygon:
    """A shape's points, parsed once per load: the cell check, the outline check and the build
    all need them. load_model clears the cache when it is done."""
    return geometry.drop_closing_point(geometry.parse_points(text))


def file_name(table: str) -> str:
    return f"{table}.csv"


# --------------------------------------------------------------------------- reading


def decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Text of a CSV file; a UTF-8 byte-order mark is dropped quietly, other bad bytes reported."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        header = raw.split(b"\n", 1)[0].decode("latin-1").strip().split(",")
        line_start = before.rfind(b"\n") + 1
        # Parse the line up to the bad byte as CSV, so commas inside quoted cells are not counted.
        partial = before[line_start:].decode("latin-1")
        field_number = len(next(csv.reader([partial]), [""])) - 1 if partial else 0
        column = header[field_number].strip() if field_number < len(header) else f"field {field_number + 1}"
        byte = raw[error.start : error.start + 1].hex()
        message = f"byte 0x{byte} is not UTF-8; save the file as UTF-8"
        return None, [Problem(name, line, column, message)]


def read_table(path: Path, columns: tuple[Column, ...], raw: bytes | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse one CSV into a string DataFrame with a ``csv_line`` column, or report why it can't be.

    ``raw``: the file's bytes as the seal check read them (load_model), so what is parsed is what
    was hashed; without it the file is read here, once, its size checked first."""
    name = str(path)
    if raw is None:
        if not path.is_file():
            return None, [Problem(name, 1, "(file)", "the file is missing")]
        try:
            raw = datapackage.read_once(path, MAX_FILE_BYTES)
        except datapackage.TooLarge as error:
            return None, [Problem(name, 1, "(file)", f"the file is {error.size:,} bytes; the limit is {MAX_FILE_BYTES:,}")]
        except OSError as error:
            return None, [Problem(name, 1, "(file)", f"the file cannot be read ({error.strerror or error}); "
                                                     "check its permissions")]
    text, problems = decode(raw, name)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem(name, 1, "(file)", "the file is empty; it needs at least a header row")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [cell.strip() for cell in next(reader)]
        records, lines = [], []
        while True:
            # A quoted cell may span lines: a row is named by the line it starts on.
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(Problem(name, start, "(row)", f"has {len(row)} fields; the header has {len(header)}"))
                continue
            records.append([cell.strip() for cell in row])
            lines.append(start)
    except csv.Error as error:
        return None, [Problem(name, reader.line_num, "(row)", f"cannot be read as CSV: {error}")]
    missing = [c.name for c in columns if c.name not in header]
    problems.extend(Problem(name, 1, column, "this column is missing from the header") for column in missing)
    duplicated = sorted({c for c in header if header.count(c) > 1})
    problems.extend(Problem(name, 1, column, "this column appears more than once") for column in duplicated)
    if missing or duplicated:
        return None, problems
    frame = pd.DataFrame(records, columns=header, dtype=str)
    frame["csv_line"] = lines
    return frame, problems


# --------------------------------------------------------------------------- cell checks


def check_cell(value: str, column: Column) -> str | None:
    """Why a single value does not fit its column, or None."""
    if not value:
        return "a value is required" if column.required else None
    kind = column.kind
    if kind == "id" and not ID_PATTERN.match(value):
        return f"{value!r} is not an id: use lower-case words joined by '-'"
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            return f"{value!r} is not a number"
        if not math.isfinite(number):
            return f"{value!r} is not a finite number"
    if kind == "int" and not re.fullmatch(r"-?[0-9]+", value):
        return f"{value!r} is not a whole number"
    if kind == "choice" and value not in column.choices:
        return f"{value!r} is not one of: {', '.join(column.choices)}"
    if kind == "yesno" and value not in ("yes", "no"):
        return f"{value!r} must be yes or no"
    if kind == "shape":
        try:
            points = shape_points(value)
        except geometry.ShapeError as error:
            return str(error)
        if len(points) < 3:
            return "a shape needs at least 3 points"
    return None


def check_cells(frame: pd.DataFrame, columns: tuple[Column, ...], name: str) -> list[Problem]:
    problems = []
    for column in columns:
        for value, line in zip(frame[column.name], frame["csv_line"]):
            reason = check_cell(value, column) or text_cell_problem(value, column)
            if reason:
                problems.append(Problem(name, line, column.name, reason))
    id_column = next((c.name for c in columns if c.kind == "id"), None)
    if id_column:
        key = list(ROW_KEYS.get(Path(name).stem, (id_column,)))
        repeated = frame.duplicated(subset=key, keep="first") & (frame[id_column] != "")
        for row in frame.loc[repeated].itertuples(index=False):
            same = (frame[key] == pd.Series([getattr(row, k) for k in key], index=key)).all(axis=1)
            first = int(frame.loc[same, "csv_line"].iloc[0])
            where = "" if len(key) == 1 else f" in view {row.view!r}"
            problems.append(Problem(name, row.csv_line, id_column, f"id {getattr(row, id_column)!r} is already used{where} on line {first}"))
    return problems


# --------------------------------------------------------------------------- text cells are text (issue 19)

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
NUMERIC_KINDS = ("number", "int", "shape")
LINK_SCHEMES = ("http", "https")


def text_cell_problem(value: str, column: Column) -> str | None:
    """Why a cell is not plain text, or None: it reaches pages and handouts as typed."""
    for char in value:
        if unicodedata.category(char) == "Cc":
            return f"has a control character (U+{ord(char):04X}); cells are plain text on one line"
        if char in BIDI_CONTROLS:
            return (f"has a bidirectional control character (U+{ord(char):04X}), which can make text "
                    "display in another order than it reads; remove it")
    if column.kind in NUMERIC_KINDS and not value.isascii():
        odd = next(char for char in value if not char.isascii())
        return f"has {odd!r} (U+{ord(odd):04X}); numbers are written with ASCII digits 0-9"
    return None


def check_links(frame: pd.DataFrame, name: str) -> list[Problem]:
    """A web source is shown as a link: only http and https ones (never javascript: or data:)."""
    problems = []
    for row in frame.itertuples(index=False):
        if row.kind != "web" or not row.reference:
            continue
        parts = urlsplit(row.reference)
        if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc:
            problems.append(Problem(name, row.csv_line, "reference",
                                    f"{row.reference[:60]!r} is not an http or https link"))
    return problems


def check_references(frame, columns, name, known: dict[str, set[str]]) -> list[Problem]:
    problems = []
    for column in columns:
        if column.kind not in ("ref", "refs", "sources"):
            continue
        table = "sources" if column.kind == "sources" else column.table
        allowed = known.get(table)
        if allowed is None:
            continue  # that table failed to load; its own problems are already reported
        for value, line in zip(frame[column.name], frame["csv_line"]):
            values = (value,) if column.kind == "ref" else split_list(value)
            if column.kind != "ref" and column.required and not values:
                problems.append(Problem(name, line, column.name, "a value is required"))
            for reference in values:
                if reference and reference not in allowed:
                    problems.append(
                        Problem(name, line, column.name, f"{reference!r} is not an id in {file_name(table)}")
                    )
    return problems


def check_shapes(frame, name, views: dict[str, View] | None) -> list[Problem]:
    """Shapes must not cross themselves and must lie inside their view."""
    problems = []
    if "shape" not in frame:
        return problems
    for row in frame.itertuples(index=False):
        try:
            points = shape_points(row.shape)
        except geometry.ShapeError:
            continue  # reported by the cell check
        closed = getattr(row, "closed", "yes") != "no"
        if len(points) >= 3:
            crossing = geometry.first_self_intersection(points, closed=closed)
            if crossing:
                problems.append(
                    Problem(name, row.csv_line, "shape", f"the outline crosses itself (edges {crossing[0]} and {crossing[1]})")
                )
        view = views.get(row.view) if views else None
        if view and not geometry.inside_box(points, view.width, view.height):
            problems.append(
                Problem(name, row.csv_line, "shape", f"a point lies outside the {view.id!r} view (0-{view.width:g} x 0-{view.height:g})")
            )
    return problems


def region_outline(row, parts: dict) -> geometry.Polygon:
    """A region's drawn outline: its shape, clipped to the anatomy part named in ``within``.
    Raises ShapeError when the clip leaves nothing usable."""
    points = shape_points(row.shape)
    flat = geometry.outline(points, closed=True, smooth=_yes(row.smooth))
    within = getattr(row, "within", "")
    if not within:
        return flat
    part = parts[within]
    return geometry.clip_to(flat, geometry.outline(shape_points(part.shape), closed=True, smooth=_yes(part.smooth)))


def check_regions(frame, name, anatomy) -> list[Problem]:
    """A region is named once, on its first row (its primary view); rows that draw it in other
    views leave the name empty. ``within`` names a closed outline of the same view, and the
    clipped outline must leave one piece."""
    problems = []
    parts = {} if anatomy is None else {row.id: row for row in anatomy.itertuples(index=False)}
    first_rows = {}
    for row in frame.itertuples(index=False):
        first = first_rows.setdefault(row.id, row)
        if first is row and not row.name:
            problems.append(Problem(name, row.csv_line, "name", "a value is required on a region's first row"))
        elif first is not row and row.name and row.name != first.name:
            problems.append(Problem(name, row.csv_line, "name", f"region {row.id!r} is already named {first.name!r} on line {first.csv_line}; leave the name empty on the rows for its other views"))
        within = getattr(row, "within", "")
        if not within or within not in parts:
            continue  # no clip, or an unknown part the reference check reports
        part = parts[within]
        if part.view != row.view:
            problems.append(Problem(name, row.csv_line, "within", f"anatomy part {within!r} is drawn in view {part.view!r}, not {row.view!r}"))
        elif part.closed != "yes":
            problems.append(Problem(name, row.csv_line, "within", f"anatomy part {within!r} is an open line; a region can only be drawn within a closed outline"))
        else:
            try:
                region_outline(row, parts)
            except geometry.ShapeError as error:
                problems.append(Problem(name, row.csv_line, "within", f"{error} ({within!r})"))
    return problems


# --------------------------------------------------------------------------- building


def _yes(value: str) -> bool:
    return value == "yes"


def _shape(value: str, closed: bool, smooth: bool):
    points = shape_points(value)
    return points, geometry.outline(points, closed=closed, smooth=smooth)


def build_tables(frames: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Turn validated frames into domain objects. Only called when there are no problems."""

    def rows(table):
        frame = frames.get(table)
        return [] if frame is None else list(frame.itertuples(index=False))

    tables: dict[str, object] = {}
    def objects(table, kind):
        """Each row as its domain object, its fields by tables.SCHEMAS."""
        return [kind(**typed(r, table)) for r in rows(table)]

    tables["sources"] = {source.id: source for source in objects("sources", Source)}
    tables["views"] = {view.id: view for view in objects("views", View)}
    tables["muscles"] = {muscle.id: muscle for muscle in sorted(objects("muscles", Muscle), key=lambda m: m.order)}
    tables["anatomy"] = [
        AnatomyPart(**typed(r, "anatomy"), points=points, outline=flat)
        for r in rows("anatomy")
        for points, flat in [_shape(r.shape, _yes(r.closed), _yes(r.smooth))]
    ]
    parts = {r.id: r for r in rows("anatomy")}
    shapes: dict[str, list[RegionShape]] = {}
    names = {}
    for r in rows("regions"):
        flat = region_outline(r, parts)
        shapes.setdefault(r.id, []).append(RegionShape(r.view, shape_points(r.shape), flat, geometry.interior_point(flat)))
        names.setdefault(r.id, r.name)
    tables["regions"] = {
        region: Region(region, names[region], drawn[0].view, drawn[0].points, drawn[0].outline, tuple(drawn))
        for region, drawn in shapes.items()
    }
    tables["trigger_points"] = {point.id: point for point in objects("trigger_points", TriggerPoint)}
    tables["zones"] = [
        ReferralZone(**typed(r, "referral_zones"), points=points, outline=flat)
        for r in rows("referral_zones")
        for points, flat in [_shape(r.shape, True, _yes(r.smooth))]
    ]
    tables["self_care"] = sorted(objects("self_care", SelfCareStep), key=lambda step: step.order)
    # Emergencies first, then urgent, then "see a doctor"; ``order`` sorts within each.
    tables["red_flags"] = sorted(objects("red_flags", RedFlag), key=lambda flag: (URGENCIES.index(flag.urgency), flag.order))
    tables["loading_factors"] = objects("loading_factors", LoadingFactor)
    tables["elsewhere"] = objects("elsewhere", Elsewhere)
    tables["safety_checks"] = sorted(objects("safety_checks", SafetyCheck), key=lambda check: check.order)
    tables["nerve_roots"] = objects("nerve_roots", NerveRoot)
    tables["region_parts"] = {r.region: r.part for r in rows("region_parts")}
    return tables


def check_domain_rules(frames: dict[str, pd.DataFrame], views: dict[str, View]) -> list[Problem]:
    """Rules that span tables: where the points sit, and that every point has an essential zone."""
    problems = []
    points = frames.get("trigger_points")
    zones = frames.get("referral_zones")
    if points is not None:
        name = file_name("trigger_points")
        labels = {}
        for row in points.itertuples(index=False):
            if row.label and not LABEL_PATTERN.match(row.label):
                problems.append(Problem(name, row.csv_line, "label", f"{row.label!r} must look like TP1, TP2, ..."))
            key = (row.muscle, row.label)
            if key in labels:
                problems.append(Problem(name, row.csv_line, "label", f"{row.muscle} {row.label} is already on line {labels[key]}"))
            labels.setdefault(key, row.csv_line)
            view = views.get(row.view)
            try:
                x, y = float(row.x), float(row.y)
            except ValueError:
                continue
            if view and not (0 <= x <= view.width and 0 <= y <= view.height):
                problems.append(Problem(name, row.csv_line, "x", f"the point ({x:g}, {y:g}) lies outside the {view.id!r} view"))
        if zones is not None:
            has_essential = set(zones.loc[zones["intensity"] == ESSENTIAL, "trigger_point"])
            for row in points.itertuples(index=False):
                if row.id and row.id not in has_essential:
                    problems.append(
                        Problem(name, row.csv_line, "id", f"trigger point {row.id!r} has no essential zone in {file_name('referral_zones')}")
                    )
    if zones is not None:
        name = file_name("referral_zones")
        for row in zones.itertuples(index=False):
            # The label follows the sources: the `source` list is the record of who describes the zone.
            cited = len(split_list(row.source))
            if row.agreement == ONE_SOURCE and cited != 1:
                problems.append(Problem(name, row.csv_line, "agreement",
                                        "a zone that only one source reports must cite exactly that one source"))
            if row.agreement == AGREED and cited == 1:
                problems.append(Problem(name, row.csv_line, "agreement",
                                        "only one source describes this zone; mark it one-source, or cite the other sources"))
    problems.extend(check_red_flag_reasons(frames.get("red_flags")))
    problems.extend(check_safety_checks(frames))
    return problems


def check_red_flag_reasons(flags: pd.DataFrame | None) -> list[Problem]:
    """A flag that marked areas can raise must say why, in plain words, beside the ranking."""
    if flags is None:
        return []
    name = file_name("red_flags")
    return [Problem(name, row.csv_line, "because", "a flag raised by marked areas needs a plain reason")
            for row in flags.itertuples(index=False) if split_list(row.raised_by) and not row.because]


def check_safety_checks(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every muscle with a home routine (a release or stretch step) has a "Before you start" check
    for its area in safety_checks.csv: nobody reads a routine without what rules it out."""
    steps = frames.get("self_care")
    if steps is None:
        return []
    checks = frames.get("safety_checks")
    covered = set() if checks is None else {m for value in checks["muscles"] for m in split_list(value)}
    problems, reported = [], set()
    for row in steps.itertuples(index=False):
        if row.kind in ("release", "stretch") and row.muscle not in covered and row.muscle not in reported:
            reported.add(row.muscle)
            problems.append(Problem(file_name("self_care"), row.csv_line, "muscle",
                                    f"{row.muscle!r} has a self-care routine, but no line in {file_name('safety_checks')} "
                                    "covers its area; add a \"Before you start\" check for it"))
    return problems


def load_model(data_dir: Path | str = DEFAULT_DATA_DIR) -> Model:
    """Read, check and build the model. Raises DataError listing every problem found."""
    try:
        # Resolved once: a data link flipped while this runs cannot mix two releases.
        return _read_check_build(Path(data_dir).resolve())
    finally:
        shape_points.cache_clear()


def read_sealed(data_dir: Path) -> tuple[list[Problem], dict[str, bytes | None]]:
    """Files that differ from datapackage.json (cut short, half-written, edited without re-sealing), and
    each recorded file's bytes as read for that check (None if refused unread): parse these, not the file."""
    mismatches, contents = datapackage.read_sealed(data_dir, DEFAULT_DATA_DIR, MAX_FILE_BYTES)
    return [Problem(m.file, m.line, "(file)", m.message) for m in mismatches], contents


def check_minimum_content(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Rows that safety depends on. A file cut at a line boundary still parses, so count what is left."""
    problems = []
    for table in SCHEMAS:
        frame = frames.get(table)
        if frame is not None and frame.empty and table not in OPTIONAL_TABLES:
            problems.append(Problem(file_name(table), 1, "(file)", "the file has a header but no rows"))
    flags = frames.get("red_flags")
    if flags is not None and not flags.empty and not (flags["urgency"] == "emergency").any():
        problems.append(Problem(file_name("red_flags"), 1, "urgency",
                                "no red flag is an emergency; the emergencies (such as a blood clot) must be listed"))
    muscles, points = frames.get("muscles"), frames.get("trigger_points")
    if muscles is not None and points is not None:
        with_points = set(points["muscle"])
        for row in muscles.itertuples(index=False):
            if row.id and row.id not in with_points:
                problems.append(Problem(file_name("muscles"), row.csv_line, "id",
                                        f"muscle {row.id!r} has no trigger point in {file_name('trigger_points')}"))
    return problems


def _read_check_build(data_dir: Path) -> Model:
    frames: dict[str, pd.DataFrame] = {}
    # The seal is checked first and reported with everything else, so a truncated file is named
    # as truncated, next to whatever its missing rows broke.
    seal_problems, contents = read_sealed(data_dir)
    problems: list[Problem] = []
    known: dict[str, set[str]] = {}
    for table, columns in SCHEMAS.items():
        path = data_dir / file_name(table)
        if table in OPTIONAL_TABLES and path.name not in contents and not path.exists():
            continue
        if path.name in contents and contents[path.name] is None:
            continue  # too large or unreadable: the seal's problem says so, and it was not read
        frame, read_problems = read_table(path, columns, contents.get(path.name))
        problems.extend(read_problems)
        if frame is None:
            continue
        name = str(path)
        problems.extend(check_cells(frame, columns, name))
        if table == "sources":
            problems.extend(check_links(frame, name))
        problems.extend(check_references(frame, columns, name, known))
        frames[table] = frame
        if "id" in frame:
            known[table] = set(frame["id"]) - {""}
    views = {}
    if "views" in frames and not any(p.file.endswith(file_name("views")) for p in problems):
        views = build_tables({"views": frames["views"]})["views"]
    for table in ("anatomy", "regions", "referral_zones"):
        if table in frames:
            problems.extend(check_shapes(frames[table], str(data_dir / file_name(table)), views))
    if "regions" in frames and not any(p.column == "shape" for p in problems):
        problems.extend(check_regions(frames["regions"], str(data_dir / file_name("regions")), frames.get("anatomy")))
    problems.extend(check_domain_rules(frames, views))
    problems.extend(check_minimum_content(frames))
    if not problems:
        # The drawing's rules measure the outlines as drawn, so they run on the built tables
        # (also beside a broken seal: an edit not yet sealed is checked in full).
        tables = build_tables(frames)
        problems = check_drawing(tables, row_lines(frames))
    problems = _with_paths(seal_problems + problems, data_dir)
    if problems:
        raise DataError(problems)
    return Model.build(**tables)


def row_lines(frames: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """table -> a row's key (its id, or ROW_KEYS' columns) -> the CSV line the row starts on."""
    lines = {}
    for table, frame in frames.items():
        key = ROW_KEYS.get(table, ("id",))
        if set(key) <= set(frame.columns):
            keys = frame[key[0]] if len(key) == 1 else zip(*(frame[column] for column in key))
            lines[table] = dict(zip(keys, frame["csv_line"]))
    return lines


def _with_paths(problems: list[Problem], data_dir: Path) -> list[Problem]:
    """Domain-rule problems name bare files; give every problem the same full path form."""
    fixed = []
    for problem in problems:
        if "/" not in problem.file and "\\" not in problem.file:
            problem = Problem(str(data_dir / problem.file), problem.line, problem.column, problem.message)
        fixed.append(problem)
    return fixed


def summary(model: Model) -> str:
    return (
        f"data ok: {len(model.muscles)} muscles, {len(model.trigger_points)} trigger points, "
        f"{len(model.zones)} referral zones, {len(model.regions)} regions, {len(model.views)} views"
    )
