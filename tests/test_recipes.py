"""data/README.md's recipes work as written: this test follows "Adding a muscle" on a copy of the
data, CSV rows only (no Python table to update), then --check-data, --seal-data, and loads it."""
from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

from components.domain.data import load_model
from components.domain.referral import trace
from components.domain.tables import README

ROOT = Path(__file__).resolve().parent.parent
RECIPES = ("Adding a muscle", "Adding a region", "Adding a view")

# The new muscle: the gluteus maximus, drawn in the hip inset over the buttock, where its one
# point refers pain to the buttock (rows as a person would type them, by column name).
MUSCLE = {"id": "gluteus-maximus", "name": "gluteus maximus", "order": "22", "layer": "superficial",
          "summary": "The big buttock muscle.", "source": "seed-003"}
OUTLINE = {"id": "hip-gluteus-maximus-new", "view": "hip", "part": "muscle", "muscle": "gluteus-maximus",
           "name": "Gluteus maximus", "closed": "yes", "smooth": "no", "shape": "10 20; 20 20; 20 30; 10 30"}
POINT = {"id": "gluteus-maximus-tp1", "muscle": "gluteus-maximus", "label": "TP1", "view": "hip", "x": "15",
         "y": "25", "location": "In the lower inner buttock.", "feels_like": "A deep ache in the buttock.",
         "source": "seed-003"}
ZONE = {"id": "gluteus-maximus-tp1-buttock", "trigger_point": "gluteus-maximus-tp1", "intensity": "essential",
        "view": "hip", "regions": "buttock", "smooth": "no", "shape": "8 18; 22 18; 22 32; 8 32",
        "agreement": "one-source", "source": "seed-003"}


def add_row(data_dir: Path, table: str, values: dict[str, str]) -> None:
    """Append a row by column name, in the file's own column order."""
    path = data_dir / f"{table}.csv"
    with open(path, newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle))
    with open(path, "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerow([values.get(column, "") for column in header])


def run_app(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "app.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def recipe(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    return re.search(rf"^### {title}\n(.*?)(?=^##)", text + "\n##", re.S | re.M).group(1)


def test_rcp001_each_recipe_ends_by_checking_then_sealing():
    for title in RECIPES:
        steps = re.findall(r"^\d+\. (.*)", recipe(title), re.M)
        assert steps[-2].startswith("Run `python app.py --check-data`"), title
        assert steps[-1] == "Run `python app.py --seal-data`.", title


def test_rcp002_the_muscle_recipe_adds_a_muscle_with_csv_rows_only(data_copy):
    add_row(data_copy, "muscles", MUSCLE)  # step 1
    add_row(data_copy, "anatomy", OUTLINE)  # step 2
    add_row(data_copy, "trigger_points", POINT)  # step 3
    add_row(data_copy, "referral_zones", ZONE)  # step 4
    # Step 6: the only problems left are the files changed since the seal.
    checked = run_app("--check-data", "--data-dir", str(data_copy))
    problems = [line for line in checked.stderr.splitlines() if re.match(r"^.+\.csv:\d+: ", line)]
    assert checked.returncode == 1 and problems, checked.stderr
    assert all(": (file): " in line and "--seal-data" in line for line in problems), checked.stderr
    sealed = run_app("--seal-data", "--data-dir", str(data_copy))  # step 7
    assert sealed.returncode == 0, sealed.stderr
    model = load_model(data_copy)
    assert model.muscles["gluteus-maximus"].name == "gluteus maximus"
    assert model.point_title("gluteus-maximus-tp1") == "Gluteus maximus TP1"
    assert "gluteus-maximus-tp1" in {c.trigger_point for c in trace(model, ["buttock"]).ranking}


def test_rcp003_a_muscle_added_without_its_outline_is_refused_where_the_x_is(data_copy):
    add_row(data_copy, "muscles", MUSCLE)
    add_row(data_copy, "trigger_points", POINT)
    add_row(data_copy, "referral_zones", ZONE)
    checked = run_app("--check-data", "--data-dir", str(data_copy))
    assert checked.returncode == 1
    assert re.search(r"trigger_points\.csv:\d+: x: muscle 'gluteus-maximus' has no closed shape in the 'hip' view",
                     checked.stderr), checked.stderr
