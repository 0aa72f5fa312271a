"""The loader refuses broken data with one `file:line: column: message` per problem.

Each test breaks one thing in a private copy of the shipped data (the `data_copy` fixture) and
checks that the problem is named at the right file, line and column. Rows are found by id, never
by position, because the shipped files keep growing.
"""
from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pytest

from components.domain.data import DataError, Problem, load_model
from components.domain.datapackage import seal

TP1 = "gastrocnemius-tp1"
TP2 = "gastrocnemius-tp2"
CONTRACT_REGIONS = {
    "thigh-back-lower", "knee-back", "calf-upper-medial", "calf-upper-lateral", "calf-lower-medial",
    "calf-lower-lateral", "achilles", "heel-back", "heel-underside", "ankle-medial", "ankle-lateral",
    "instep", "sole", "forefoot-underside", "big-toe-underside", "toes-underside", "low-back-sacroiliac",
}
PROBLEM_LINE = re.compile(r"^.+\.csv:\d+: [^:]+: .+")


# --------------------------------------------------------------------------- helpers


def read_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    # Line numbers below are row index + 1, which only holds without multi-line cells.
    assert not any("\n" in cell or "\r" in cell for row in rows for cell in row), path
    return rows


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def line_of(data_dir: Path, table: str, row_id: str) -> int:
    rows = read_rows(data_dir / f"{table}.csv")
    for number, row in enumerate(rows, start=1):
        if row and row[0] == row_id:
            return number
    raise AssertionError(f"{row_id} not in {table}.csv")


def set_cell(data_dir: Path, table: str, row_id: str, column: str, value: str) -> int:
    """Set one cell of the row with this id; return that row's line number."""
    path = data_dir / f"{table}.csv"
    rows = read_rows(path)
    index = rows[0].index(column)
    for number, row in enumerate(rows, start=1):
        if number > 1 and row and row[0] == row_id:
            row[index] = value
            write_rows(path, rows)
            return number
    raise AssertionError(f"{row_id} not in {table}.csv")


def append_row(data_dir: Path, table: str, row: list[str]) -> int:
    path = data_dir / f"{table}.csv"
    rows = read_rows(path)
    rows.append(row)
    write_rows(path, rows)
    return len(rows)


def copy_row(data_dir: Path, table: str, row_id: str) -> list[str]:
    for row in read_rows(data_dir / f"{table}.csv"):
        if row and row[0] == row_id:
            return list(row)
    raise AssertionError(f"{row_id} not in {table}.csv")


def load_fails(data_dir: Path) -> DataError:
    with pytest.raises(DataError) as info:
        load_model(data_dir)
    error = info.value
    assert error.problems, "DataError without problems"
    for problem in error.problems:
        assert isinstance(problem, Problem)
        assert PROBLEM_LINE.match(str(problem)), str(problem)
    return error


def find_problem(error: DataError, file: str, line: int, column: str, contains: str = "") -> Problem:
    for problem in error.problems:
        if Path(problem.file).name == file and problem.line == line and problem.column == column and contains in problem.message:
            text = str(problem)
            assert re.match(rf"^.*{re.escape(file)}:{line}: {re.escape(column)}: .+", text), text
            assert text.startswith(problem.file)
            return problem
    pytest.fail(f"expected {file}:{line}: {column}: ...{contains!r}... among:\n{error}")


# --------------------------------------------------------------------------- the shipped data


def test_shipped_data_loads(model):
    for number in range(1, 5):
        assert f"gastrocnemius-tp{number}" in model.trigger_points
    assert CONTRACT_REGIONS <= set(model.regions)
    assert "gastrocnemius" in model.muscles
    for point in model.trigger_points:
        assert any(z.intensity == "essential" for z in model.zones_by_point[point]), point
    for zone in model.zones:
        assert zone.trigger_point in model.trigger_points
        assert set(zone.regions) <= set(model.regions)


def test_shipped_data_ids_are_lower_case_words(model):
    pattern = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
    for ids in (model.regions, model.trigger_points, model.muscles, model.views):
        for item in ids:
            assert pattern.match(item), item


def test_copy_of_shipped_data_loads(data_copy):
    copied = load_model(data_copy)
    assert TP1 in copied.trigger_points


# --------------------------------------------------------------------------- one fixture per kind of error


def test_missing_column(data_copy):
    path = data_copy / "trigger_points.csv"
    rows = read_rows(path)
    index = rows[0].index("x")
    write_rows(path, [row[:index] + row[index + 1:] if row else row for row in rows])
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", 1, "x", "missing")


def test_renamed_column_is_a_missing_column(data_copy):
    path = data_copy / "regions.csv"
    rows = read_rows(path)
    rows[0][rows[0].index("shape")] = "outline"
    write_rows(path, rows)
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", 1, "shape", "missing")


def test_column_appearing_twice(data_copy):
    path = data_copy / "muscles.csv"
    rows = read_rows(path)
    write_rows(path, [row + [row[1]] if row else row for row in rows])
    error = load_fails(data_copy)
    find_problem(error, "muscles.csv", 1, "name", "more than once")


def test_text_in_a_number_column(data_copy):
    line = set_cell(data_copy, "trigger_points", TP1, "x", "abc")
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", line, "x", "'abc' is not a number")


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999"])
def test_non_finite_number(data_copy, value):
    line = set_cell(data_copy, "trigger_points", TP2, "y", value)
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", line, "y", "finite")


def test_non_finite_number_in_a_view(data_copy):
    line = set_cell(data_copy, "views", "back", "width", "inf")
    error = load_fails(data_copy)
    find_problem(error, "views.csv", line, "width", "finite")


def test_non_finite_number_in_a_shape(data_copy):
    line = set_cell(data_copy, "regions", "knee-back", "shape", "25 28; nan 28; 74.5 52; 25 52")
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "shape", "finite")


def test_duplicated_id(data_copy):
    first = line_of(data_copy, "regions", "instep")
    line = append_row(data_copy, "regions", copy_row(data_copy, "regions", "instep"))
    error = load_fails(data_copy)
    problem = find_problem(error, "regions.csv", line, "id", "already used")
    assert f"line {first}" in problem.message


def test_duplicated_trigger_point_id(data_copy):
    row = copy_row(data_copy, "trigger_points", TP2)
    row[3] = "TP99"  # only the id repeats, not the label
    line = append_row(data_copy, "trigger_points", row)
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", line, "id", f"{TP2!r} is already used")


def test_zone_for_unknown_trigger_point(data_copy):
    line = set_cell(data_copy, "referral_zones", "gastrocnemius-tp1-knee", "trigger_point", "gastrocnemius-tp9")
    error = load_fails(data_copy)
    find_problem(error, "referral_zones.csv", line, "trigger_point", "'gastrocnemius-tp9' is not an id in trigger_points.csv")


def test_unknown_region_in_zone_regions(data_copy):
    line = set_cell(data_copy, "referral_zones", "gastrocnemius-tp1-calf", "regions", "calf-upper-medial; shin-front")
    error = load_fails(data_copy)
    find_problem(error, "referral_zones.csv", line, "regions", "'shin-front' is not an id in regions.csv")


def test_unknown_source_id(data_copy):
    line = set_cell(data_copy, "trigger_points", TP1, "source", "seed-003; s999")
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", line, "source", "'s999' is not an id in sources.csv")


def test_unknown_view(data_copy):
    line = set_cell(data_copy, "regions", "achilles", "view", "nowhere")
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "view", "'nowhere' is not an id in views.csv")


def test_bad_choice(data_copy):
    line = set_cell(data_copy, "referral_zones", "gastrocnemius-tp1-knee", "intensity", "strong")
    error = load_fails(data_copy)
    find_problem(error, "referral_zones.csv", line, "intensity", "'strong' is not one of: essential, spillover")


def test_bad_yes_no(data_copy):
    line = set_cell(data_copy, "regions", "sole", "smooth", "true")
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "smooth", "yes or no")


def test_self_intersecting_shape(data_copy):
    line = set_cell(data_copy, "regions", "thigh-back-lower", "shape", "30 5; 60 20; 60 5; 30 20")
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "shape", "crosses itself")


def test_self_intersecting_zone_shape(data_copy):
    line = set_cell(data_copy, "referral_zones", "gastrocnemius-tp3-knee", "shape", "34 34; 56 48; 56 34; 34 48")
    error = load_fails(data_copy)
    find_problem(error, "referral_zones.csv", line, "shape", "crosses itself")


@pytest.mark.parametrize(
    "shape, reason",
    [
        ("30 5; 60 20", "at least 3 points"),
        ("30 5; 60 20; 30 5", "at least 3 points"),  # a closed ring of two distinct points
        ("30 5", "at least 3 points"),
        ("30 5; 60; 40 20", "two numbers"),
        ("30 5;; 40 20; 50 5", "two numbers"),
        ("30 5; a b; 40 20", "not a pair of numbers"),
    ],
)
def test_open_or_too_small_shape(data_copy, shape, reason):
    line = set_cell(data_copy, "regions", "thigh-back-lower", "shape", shape)
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "shape", reason)


def test_empty_shape(data_copy):
    line = set_cell(data_copy, "regions", "thigh-back-lower", "shape", "")
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "shape", "required")


def test_shape_outside_its_view(data_copy):
    line = set_cell(data_copy, "regions", "thigh-back-lower", "shape", "23 2; 77 2; 76 360; 24 26")
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "shape", "outside the 'back' view")


def test_shape_at_negative_coordinates_is_outside(data_copy):
    line = set_cell(data_copy, "anatomy", "back-heel-bone", "shape", "41 176; 59 176; 61 184; 57 191; 50 193; -3 191")
    error = load_fails(data_copy)
    find_problem(error, "anatomy.csv", line, "shape", "outside")


def test_point_outside_its_view(data_copy):
    line = set_cell(data_copy, "trigger_points", TP1, "x", "500")
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", line, "x", "outside the 'back' view")


def test_trigger_point_without_essential_zone(data_copy):
    set_cell(data_copy, "referral_zones", "gastrocnemius-tp2-local", "intensity", "spillover")
    line = line_of(data_copy, "trigger_points", TP2)
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", line, "id", "no essential zone")


def test_missing_source_on_a_trigger_point(data_copy):
    line = set_cell(data_copy, "trigger_points", TP1, "source", "")
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", line, "source", "required")


def test_source_list_of_only_separators_is_missing(data_copy):
    line = set_cell(data_copy, "referral_zones", "gastrocnemius-tp1-instep", "source", " ; ; ")
    error = load_fails(data_copy)
    find_problem(error, "referral_zones.csv", line, "source", "required")


def test_missing_source_on_a_muscle(data_copy):
    line = set_cell(data_copy, "muscles", "gastrocnemius", "source", "")
    error = load_fails(data_copy)
    find_problem(error, "muscles.csv", line, "source", "required")


def test_latin1_byte_reports_encoding_and_line(data_copy):
    line = set_cell(data_copy, "trigger_points", TP1, "location", "LATIN1MARK on the inner head")
    path = data_copy / "trigger_points.csv"
    path.write_bytes(path.read_bytes().replace(b"LATIN1MARK", b"caf\xe9"))
    error = load_fails(data_copy)
    problem = find_problem(error, "trigger_points.csv", line, "location", "UTF-8")
    assert "0xe9" in problem.message


def test_latin1_byte_after_a_quoted_comma_names_the_right_column(data_copy):
    set_cell(data_copy, "trigger_points", TP1, "location", "Inner head, upper third")
    line = set_cell(data_copy, "trigger_points", TP1, "feels_like", "LATIN1MARK ache")
    path = data_copy / "trigger_points.csv"
    path.write_bytes(path.read_bytes().replace(b"LATIN1MARK", b"caf\xe9"))
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", line, "feels_like", "UTF-8")


def _contents(loaded):
    return (
        dict(loaded.sources), dict(loaded.views), dict(loaded.muscles), loaded.anatomy,
        dict(loaded.regions), dict(loaded.trigger_points), loaded.zones,
        dict(loaded.zones_by_point), dict(loaded.referrals_by_region),
    )


@pytest.mark.parametrize("table", ["trigger_points", "regions", "views", "referral_zones"])
def test_utf8_bom_loads_identically(data_copy, table):
    plain = load_model(data_copy)
    path = data_copy / f"{table}.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    seal(data_copy)
    with_bom = load_model(data_copy)
    assert _contents(with_bom) == _contents(plain)


def test_crlf_line_endings_load_identically(data_copy):
    plain = load_model(data_copy)
    for table in ("trigger_points", "referral_zones"):
        path = data_copy / f"{table}.csv"
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    seal(data_copy)
    assert _contents(load_model(data_copy)) == _contents(plain)


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_empty_file(data_copy, content):
    (data_copy / "muscles.csv").write_bytes(content)
    error = load_fails(data_copy)
    find_problem(error, "muscles.csv", 1, "(file)", "empty")


def test_missing_file(data_copy):
    (data_copy / "regions.csv").unlink()
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", 1, "(file)", "missing")


def test_wrong_field_count(data_copy):
    line = append_row(data_copy, "views", ["side", "Side view", "0"])
    error = load_fails(data_copy)
    find_problem(error, "views.csv", line, "(row)", "has 3 fields")


def test_too_many_fields(data_copy):
    row = copy_row(data_copy, "sources", "s1")
    row[0] = "s-extra"
    line = append_row(data_copy, "sources", row + ["surplus"])
    error = load_fails(data_copy)
    find_problem(error, "sources.csv", line, "(row)", f"has {len(row) + 1} fields")


def test_unterminated_quote(data_copy):
    path = data_copy / "views.csv"
    line = len(read_rows(path)) + 1
    path.write_text(path.read_text(encoding="utf-8") + 'side,"Side view,0,0,10,10,,1\n', encoding="utf-8")
    error = load_fails(data_copy)
    assert any(Path(p.file).name == "views.csv" and p.line >= line and p.column == "(row)" for p in error.problems), error


@pytest.mark.parametrize("bad", ["Gastrocnemius-TP2", "gastrocnemius_tp2", "gastrocnemius tp2", "-tp2", "tp2-", "tp--2", "café"])
def test_bad_id_format(data_copy, bad):
    line = set_cell(data_copy, "trigger_points", TP2, "id", bad)
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", line, "id", "is not an id")


def test_bad_label(data_copy):
    line = set_cell(data_copy, "trigger_points", TP2, "label", "point 2")
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", line, "label", "TP1, TP2")


def test_repeated_label_within_a_muscle(data_copy):
    line = set_cell(data_copy, "trigger_points", TP2, "label", "TP1")
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", line, "label", "already on line")


def test_bad_whole_number(data_copy):
    line = set_cell(data_copy, "muscles", "gastrocnemius", "order", "1.5")
    error = load_fails(data_copy)
    find_problem(error, "muscles.csv", line, "order", "whole number")


def test_file_over_the_size_limit(data_copy):
    path = data_copy / "sources.csv"
    with open(path, "ab") as handle:
        handle.write(b"x" * (16 * 1024 * 1024 + 1))
    error = load_fails(data_copy)
    find_problem(error, "sources.csv", 1, "(file)", "limit")


def test_every_problem_is_collected_not_only_the_first(data_copy):
    line_x = set_cell(data_copy, "trigger_points", TP1, "x", "abc")
    line_zone = set_cell(data_copy, "referral_zones", "gastrocnemius-tp1-knee", "intensity", "strong")
    line_region = set_cell(data_copy, "regions", "sole", "smooth", "maybe")
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", line_x, "x")
    find_problem(error, "referral_zones.csv", line_zone, "intensity")
    find_problem(error, "regions.csv", line_region, "smooth")
    assert str(error).count("\n") == len(error.problems) - 1


def test_problem_in_a_multi_line_row_names_the_line_where_the_row_starts(data_copy):
    path = data_copy / "trigger_points.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    start = next(number for number, row in enumerate(rows, start=1) if row and row[0] == TP1)
    row = rows[start - 1]
    row[rows[0].index("note")] = "line one\nline two\nline three"
    row[rows[0].index("x")] = "abc"
    write_rows(path, rows)
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", start, "x", "not a number")


def test_rows_after_a_multi_line_row_keep_their_physical_line(data_copy):
    path = data_copy / "trigger_points.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[[r[0] for r in rows].index(TP1)][rows[0].index("note")] = "line one\nline two"
    index = [r[0] for r in rows].index(TP2)
    rows[index][rows[0].index("x")] = "abc"
    write_rows(path, rows)
    error = load_fails(data_copy)
    find_problem(error, "trigger_points.csv", index + 1 + 1, "x", "not a number")


# --------------------------------------------------------------------------- regions drawn within the skin


def test_region_within_an_unknown_part(data_copy):
    line = set_cell(data_copy, "regions", "knee-back", "within", "no-such-skin")
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "within", "'no-such-skin' is not an id in anatomy.csv")


def test_region_within_a_part_of_another_view(data_copy):
    line = set_cell(data_copy, "regions", "knee-back", "within", "sole-skin")
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "within", "drawn in view 'sole', not 'back'")


def test_region_within_an_open_line(data_copy):
    line = set_cell(data_copy, "regions", "knee-back", "within", "back-knee-crease")
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "within", "open line")


def test_region_that_misses_its_outline(data_copy):
    line = set_cell(data_copy, "regions", "knee-back", "shape", "1 1; 5 1; 5 5; 1 5")
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "within", "does not overlap")


def test_region_that_falls_apart_inside_its_outline(data_copy):
    # A "C" whose back lies off the leg: only its two arms reach the skin.
    shape = "0 90; 30 90; 30 95; 10 95; 10 115; 30 115; 30 120; 0 120"
    line = set_cell(data_copy, "regions", "calf-upper-medial", "shape", shape)
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "within", "falls apart into 2 pieces")


def test_region_clipped_to_the_skin_follows_its_curve(data_copy):
    model = load_model(data_copy)
    skin = next(p for p in model.anatomy if p.id == "back-skin")
    knee = model.regions["knee-back"]
    # The knee region's sides are the leg's own curved edge, not the straight sides of its shape.
    on_the_skin = [p for p in knee.outline if min(math.dist(p, q) for q in skin.outline) < 0.01]
    assert len(on_the_skin) >= 6


def test_region_drawn_in_a_second_view_repeats_the_id(data_copy):
    model = load_model(data_copy)
    assert [s.view for s in model.regions["ankle-lateral"].shapes] == ["back", "lateral"]
    assert list(model.regions).count("ankle-lateral") == 1


def test_region_repeated_in_the_same_view(data_copy):
    first = line_of(data_copy, "regions", "ankle-lateral")
    row = copy_row(data_copy, "regions", "ankle-lateral")
    row[1] = ""
    line = append_row(data_copy, "regions", row)
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "id", f"already used in view 'back' on line {first}")


def test_region_named_twice_differently(data_copy):
    line = line_of(data_copy, "regions", "ankle-lateral") + 1  # its row for the outer-side view
    rows = read_rows(data_copy / "regions.csv")
    rows[line - 1][1] = "the outer ankle bone"
    write_rows(data_copy / "regions.csv", rows)
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line, "name", "leave the name empty")


# --------------------------------------------------------------------------- the drawing's rules (components/domain/drawing_rules.py)


def test_an_x_too_close_to_another_x_is_refused(data_copy):
    set_cell(data_copy, "trigger_points", TP2, "x", "32.4")
    line = set_cell(data_copy, "trigger_points", TP2, "y", "132")
    seal(data_copy)  # an intentional edit: the drawing's rules still refuse it
    find_problem(load_fails(data_copy), "trigger_points.csv", line, "x",
                 f"the X of {TP2!r} is 1.4 units from {TP1!r} (line {line_of(data_copy, 'trigger_points', TP1)})")


def test_an_x_off_its_muscle_is_refused(data_copy):
    set_cell(data_copy, "trigger_points", "soleus-tp1", "x", "5")
    line = set_cell(data_copy, "trigger_points", "soleus-tp1", "y", "20")
    find_problem(load_fails(data_copy), "trigger_points.csv", line, "x", "off the 'soleus' shape of the 'back' view")


def test_a_zone_at_the_knee_whose_regions_say_heel_is_refused(data_copy):
    line = set_cell(data_copy, "referral_zones", "popliteus-tp1-knee", "regions", "heel-back")
    find_problem(load_fails(data_copy), "referral_zones.csv", line, "regions",
                 "names 'heel-back', but its outline in the 'back' view does not cover that area")


def test_two_areas_that_overlap_are_refused(data_copy):
    knee = copy_row(data_copy, "regions", "knee-back")[read_rows(data_copy / "regions.csv")[0].index("shape")]
    set_cell(data_copy, "regions", "thigh-back-lower", "shape", knee)
    error = load_fails(data_copy)
    find_problem(error, "regions.csv", line_of(data_copy, "regions", "knee-back"), "shape",
                 "'knee-back' overlaps 'thigh-back-lower'")


def test_a_gap_between_the_areas_of_a_tiled_view_is_refused(data_copy):
    set_cell(data_copy, "regions", "heel-back", "shape", "40 285; 60 285; 50 295")
    find_problem(load_fails(data_copy), "views.csv", line_of(data_copy, "views", "back"), "tiled_from",
                 "the areas of the 'back' view leave")
