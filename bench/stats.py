"""Percentiles and the summary of a list of timed taps."""
from __future__ import annotations

NAN = float("nan")


def percentile(values, q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return NAN
    rank = max(1, int(round(q / 100 * len(ordered) + 0.4999)))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(records: list[dict | None]) -> dict:
    """p50/p95/max of the input-to-frame times; ``None`` records are taps whose result never came."""
    good = [r for r in records if r]
    frames = [r["frame"] for r in good]
    changes = [r["mutation"] for r in good]
    return {"n": len(good), "missed": len(records) - len(good),
            "p50": percentile(frames, 50), "p95": percentile(frames, 95), "max": max(frames, default=NAN),
            "mut_p50": percentile(changes, 50), "mut_p95": percentile(changes, 95),
            "off_target": sum(1 for r in good if not r.get("hit", True)),
            # the taps whose result came only after a server callback answered, and when that was
            "after_post": sum(1 for r in good if r.get("post") is not None),
            "post_p50": percentile([r["post"] for r in good if r.get("post") is not None], 50)}
