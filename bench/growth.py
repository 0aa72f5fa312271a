"""How load_model and trace() grow with data size: the shipped data copied 1x, 10x, 100x, 1000x.

Every trigger point and referral zone is copied N times with new ids and new TP numbers, same shapes
and coordinates, so every copy passes validation. If the data folder is sealed by a Frictionless
descriptor (data/datapackage.json), the copy is re-sealed for the files rewritten here.
"""
from __future__ import annotations

import cProfile
import csv
import hashlib
import io
import json
import pstats
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

from bench import TRACE_PAIN

# 1000x the whole-leg data (19 MB of referral zones) is over the loader's 16 MiB per-file limit, which
# refuses it by design; 500x is the largest copy the app would load.
FACTORS = (1, 10, 100, 500)
PAIN = (*TRACE_PAIN, "calf-upper-medial")


def _read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _write(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def reseal(folder: Path, names: list[str]) -> None:
    """Update bytes and hash of the rewritten files in a Frictionless descriptor, keeping its hash format."""
    descriptor = folder / "datapackage.json"
    if not descriptor.exists():
        return
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    for resource in package.get("resources", []):
        path = resource.get("path")
        if path not in names:
            continue
        content = (folder / path).read_bytes()
        if "bytes" in resource:
            resource["bytes"] = len(content)
        if "hash" in resource:
            algorithm, _, _ = resource["hash"].rpartition(":")
            digest = hashlib.new(algorithm or "md5", content).hexdigest()
            resource["hash"] = f"{algorithm}:{digest}" if algorithm else digest
    descriptor.write_text(json.dumps(package, indent=2), encoding="utf-8")


def write_scaled(src: Path, dst: Path, factor: int) -> tuple[int, int]:
    """Copy the data, with every trigger point and its zones ``factor`` times; return (points, zones)."""
    shutil.copytree(src, dst)
    points, zones = _read(src / "trigger_points.csv"), _read(src / "referral_zones.csv")
    per_muscle: dict[str, int] = {}
    for p in points:
        per_muscle[p["muscle"]] = max(per_muscle.get(p["muscle"], 0), int(p["label"][2:]))
    def copied(row: dict, copy: int, **changes) -> dict:
        """The row as it stands in copy ``copy`` (copy 0 is the original)."""
        return {**row, "id": f"{row['id']}-c{copy}", **changes} if copy else dict(row)

    new_points = [copied(p, copy, label=f"TP{int(p['label'][2:]) + copy * per_muscle[p['muscle']]}")
                  for copy in range(factor) for p in points]
    new_zones = [copied(z, copy, trigger_point=f"{z['trigger_point']}-c{copy}")
                 for copy in range(factor) for z in zones]
    _write(dst / "trigger_points.csv", new_points)
    _write(dst / "referral_zones.csv", new_zones)
    reseal(dst, ["trigger_points.csv", "referral_zones.csv"])
    return len(new_points), len(new_zones)


def profile_text(folder: Path, model, pain) -> str:
    from components.domain.data import load_model
    from components.domain.referral import trace

    buffer = io.StringIO()
    profile = cProfile.Profile()
    profile.enable()
    load_model(folder)
    profile.disable()
    pstats.Stats(profile, stream=buffer).sort_stats("cumulative").print_stats(18)
    buffer.write("\n--- by own time ---\n")
    pstats.Stats(profile, stream=buffer).sort_stats("tottime").print_stats(10)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(20):
        trace(model, pain)
    profile.disable()
    buffer.write("\n--- trace() x20, by own time ---\n")
    pstats.Stats(profile, stream=buffer).sort_stats("tottime").print_stats(8)
    return buffer.getvalue()


def measure(factors=FACTORS) -> dict:
    from components.domain.data import DEFAULT_DATA_DIR, load_model
    from components.domain.referral import trace

    rows, profile = [], ""
    # The copies stand on the shipped X's, which the loader's drawing rules rightly refuse (two X's
    # of a view closer than a finger's width). Growth measures reading, checking and ranking more
    # data, so the drawing rules are left out here; the 1x data passes them in every test run.
    no_drawing_rules = mock.patch("components.domain.data.check_drawing", lambda tables, lines: [])
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as tmp, no_drawing_rules:
        for factor in factors:
            print(f"  growth {factor}x", flush=True)
            target = Path(tmp) / f"x{factor}"
            n_points, n_zones = write_scaled(DEFAULT_DATA_DIR, target, factor)
            load_times, model = [], None
            for _ in range(5 if factor <= 100 else 3):
                t = time.perf_counter()
                model = load_model(target)
                load_times.append(time.perf_counter() - t)
            pain = tuple(r for r in PAIN if r in model.regions)
            calls = 2000 if factor <= 10 else (300 if factor <= 100 else 50)
            trace_times = []
            for _ in range(calls):
                t = time.perf_counter()
                result = trace(model, pain)
                trace_times.append(time.perf_counter() - t)
            rows.append({"factor": factor, "points": n_points, "zones": n_zones, "load_s": statistics.median(load_times),
                         "trace_ms": statistics.median(trace_times) * 1000, "trace_calls": calls,
                         "candidates": len(result.ranking), "pain": ",".join(pain)})
            if factor == max(factors):
                profile = profile_text(target, model, pain)
    return {"rows": rows, "profile": profile}
