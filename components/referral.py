"""Pure domain logic: where a trigger point sends pain, and which points best explain a pain map.

How the ranking scores a trigger point against the regions a client marks as painful:

- each marked region inside the point's ESSENTIAL zone adds 3 (pain is felt there almost
  every time the point is active);
- each marked region inside only its SPILLOVER zone adds 1 (felt there in some people only);
- each marked region the point does not refer to at all takes away 1, because a good
  explanation accounts for the whole pain map;
- only points that explain at least one marked region are listed;
- equal scores go to the more common point, then to the muscle listed first in
  data/muscles.csv, then to the lower TP number.

The score orders candidates; it is not a probability and not a diagnosis.
"""
from __future__ import annotations

from dataclasses import dataclass

from components.model import ESSENTIAL, SPILLOVER, Model

WEIGHTS = {ESSENTIAL: 3.0, SPILLOVER: 1.0}
MISS_PENALTY = 1.0


class UnknownRegion(ValueError):
    def __init__(self, unknown: list[str]):
        self.unknown = unknown
        super().__init__(f"unknown region id(s): {', '.join(unknown)}")


@dataclass(frozen=True)
class Candidate:
    trigger_point: str
    score: float
    explains: tuple[tuple[str, str], ...]  # (region, intensity), in the order the pain was marked
    misses: tuple[str, ...]

    def as_json(self) -> dict:
        return {
            "trigger_point": self.trigger_point,
            "score": self.score,
            "explains": [{"region": r, "intensity": i} for r, i in self.explains],
            "misses": list(self.misses),
        }


@dataclass(frozen=True)
class Trace:
    pain: tuple[str, ...]
    ranking: tuple[Candidate, ...]
    unexplained: tuple[str, ...]

    def as_json(self) -> dict:
        return {
            "pain": list(self.pain),
            "ranking": [c.as_json() for c in self.ranking],
            "unexplained": list(self.unexplained),
        }


def normalise_region_ids(raw: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Comma-separated or listed ids -> lower-case, trimmed, first occurrence kept, empties dropped."""
    if raw is None:
        return ()
    parts = raw.split(",") if isinstance(raw, str) else [str(p) for p in raw]
    seen: dict[str, None] = {}
    for part in parts:
        region = part.strip().lower()
        if region:
            seen.setdefault(region, None)
    return tuple(seen)


def unknown_regions(model: Model, regions: tuple[str, ...]) -> list[str]:
    return [r for r in regions if r not in model.regions]


def referral_of(model: Model, trigger_point: str) -> dict[str, str]:
    """Region -> intensity for one point; essential wins where both zones cover a region."""
    found: dict[str, str] = {}
    for zone in model.zones_by_point.get(trigger_point, ()):
        for region in zone.regions:
            if found.get(region) != ESSENTIAL:
                found[region] = zone.intensity
    return found


def score_point(explains: tuple[tuple[str, str], ...], misses: tuple[str, ...]) -> float:
    return sum(WEIGHTS[intensity] for _, intensity in explains) - MISS_PENALTY * len(misses)


def trace(model: Model, pain: tuple[str, ...] | list[str]) -> Trace:
    """Rank the trigger points that may cause pain in the given regions, best first.

    Raises UnknownRegion for ids that are not in the model. Cost is proportional to the
    referrals of the marked regions only, through the region -> referral table built at load.
    """
    pain = normalise_region_ids(list(pain))
    unknown = unknown_regions(model, pain)
    if unknown:
        raise UnknownRegion(unknown)
    hits: dict[str, dict[str, str]] = {}
    for region in pain:
        for point, intensity in model.referrals_by_region[region]:
            hits.setdefault(point, {})[region] = intensity
    candidates = []
    for point, explained in hits.items():
        explains = tuple((region, explained[region]) for region in pain if region in explained)
        misses = tuple(region for region in pain if region not in explained)
        candidates.append(Candidate(point, score_point(explains, misses), explains, misses))
    candidates.sort(key=lambda c: _rank_key(model, c))
    unexplained = tuple(region for region in pain if not model.referrals_by_region[region])
    return Trace(pain=pain, ranking=tuple(candidates), unexplained=unexplained)


def _rank_key(model: Model, candidate: Candidate):
    return (-candidate.score, *model.rank_base[candidate.trigger_point])


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def reason(model: Model, candidate: Candidate, marked: int) -> str:
    """One plain sentence that is true of the data: what the point explains and what it does not."""
    name = model.point_title(candidate.trigger_point)
    main = [model.regions[r].name for r, i in candidate.explains if i == ESSENTIAL]
    spill = [model.regions[r].name for r, i in candidate.explains if i == SPILLOVER]
    parts = []
    if main:
        parts.append(f"its main pain area covers the {join_names(main)}")
    if spill:
        parts.append(f"it sometimes spreads to the {join_names(spill)}")
    sentence = f"{name} explains {len(candidate.explains)} of your {marked} marked area{'s' if marked != 1 else ''}: "
    sentence += "; ".join(parts)
    if candidate.misses:
        missed = join_names([model.regions[r].name for r in candidate.misses])
        sentence += f". It does not account for the {missed}"
    return sentence + "."


def referral_summary(model: Model, trigger_point: str) -> tuple[list[str], list[str]]:
    """Region names of the essential and the spillover zones, for the detail panel."""
    referral = referral_of(model, trigger_point)
    essential = [model.regions[r].name for r in model.regions if referral.get(r) == ESSENTIAL]
    spillover = [model.regions[r].name for r in model.regions if referral.get(r) == SPILLOVER]
    return essential, spillover
