"""Pure domain logic: where a trigger point sends pain, and which points best explain a pain map.

How the ranking compares two trigger points against the regions a client marks as painful,
one question after the other (data/README.md says the same in plain words):

1. How many of the marked regions does the point explain? More comes first, so a point that
   misses part of the complaint never beats one that explains all of it.
2. Of those, how many lie in its ESSENTIAL zone (felt almost every time), not only in its
   SPILLOVER zone (felt in some people)? More comes first.
3. Of those, how many lie in a zone that the sources agree on, not one reported by a single
   source? More comes first.

What the therapist's hands found comes before all three (components/domain/palpation.py): points
that reproduce the familiar pain when pressed first, points pressed and not found last, each
group in the order above. Intensity (how much an area hurts) does not rank: no source says how.

Points equal on all three share a rank: the evidence does not separate them, so neither does
the order of a file. Within a tie they are listed by muscle order and TP number, for a stable
display only. How common a point is does not rank it: most rows give no source for that.

``score`` packs the three answers into one number: the whole part is the count of explained
regions, the fraction only orders points that explain equally many. It is not a probability
and not a diagnosis.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from components.domain import palpation as palpation_rule
from components.domain.model import ESSENTIAL, SPILLOVER, Elsewhere, Model, RedFlag

MAX_TOGETHER = 3
# Marked areas "follow a nerve root" when at least this many are marked and every one lies in
# that root's strip of skin (data/nerve_roots.csv): one or two areas fit many strips by chance.
MIN_STRIP_AREAS = 3
# A handout title names at most this many parts of the body ("Calf, heel and foot pain").
MAX_TITLE_PARTS = 3


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
    rank: int = 1  # 1 for the best; equal evidence, equal rank
    palpation: str | None = None  # what pressing found: "found", "tender", "not-found", or None

    def as_json(self) -> dict:
        return {
            "trigger_point": self.trigger_point,
            "rank": self.rank,
            "score": self.score,
            "explains": [{"region": r, "intensity": i} for r, i in self.explains],
            "misses": list(self.misses),
            "palpation": self.palpation,
        }


@dataclass(frozen=True)
class OffMapCause:
    """An off-map cause of some marked areas: ``regions`` are the marked ones it covers, in marking
    order; ``because`` says why it is named when a rule (a nerve root's strip) raised it."""
    cause: Elsewhere
    regions: tuple[str, ...]
    because: str = ""

    @property
    def region(self) -> str:
        return self.regions[0] if self.regions else ""

    @property
    def note(self) -> str:
        return self.cause.note

    @property
    def sources(self) -> tuple[str, ...]:
        return self.cause.sources

    def as_json(self) -> dict:
        # region, causes and note keep the contract's first form; the rest was added for issue 15.
        return {"region": self.region, "causes": [self.cause.name], "note": self.cause.note,
                "id": self.cause.id, "name": self.cause.name, "kind": self.cause.kind,
                "regions": list(self.regions), "because": self.because or None}


@dataclass(frozen=True)
class RaisedFlag:
    """A red flag that the marked areas make likely, with the plain reason shown beside the ranking."""
    flag: RedFlag
    because: str
    regions: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {"id": self.flag.id, "name": self.flag.name, "urgency": self.flag.urgency,
                "action": self.flag.action, "because": self.because, "regions": list(self.regions)}


@dataclass(frozen=True)
class Trace:
    pain: tuple[str, ...]
    ranking: tuple[Candidate, ...]
    unexplained: tuple[str, ...]
    together: tuple[str, ...] = ()
    elsewhere: tuple[OffMapCause, ...] = ()
    red_flags: tuple[RaisedFlag, ...] = ()
    nerve_roots: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "pain": list(self.pain),
            "ranking": [c.as_json() for c in self.ranking],
            "unexplained": list(self.unexplained),
            "together": list(self.together),
            "elsewhere": [e.as_json() for e in self.elsewhere],
            "red_flags": [f.as_json() for f in self.red_flags],
            "nerve_roots": list(self.nerve_roots),
        }

    def tied_with(self, candidate: Candidate) -> tuple[str, ...]:
        """The other points that share this candidate's rank."""
        return tuple(other.trigger_point for other in self.ranking
                     if other.rank == candidate.rank and other.trigger_point != candidate.trigger_point)

    def is_tied(self, candidate: Candidate) -> bool:
        """Whether another candidate shares this candidate's rank: the evidence does not separate them."""
        return sum(1 for other in self.ranking if other.rank == candidate.rank) > 1


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


def evidence_key(model: Model, point: str, explains: tuple[tuple[str, str], ...]) -> tuple[int, int, int]:
    """(regions explained, of them in the essential zone, of them in a zone the sources agree on)."""
    essential = sum(1 for _, intensity in explains if intensity == ESSENTIAL)
    one_source = sum(1 for region, _ in explains if point in model.one_source_by_region[region])
    return len(explains), essential, len(explains) - one_source


def score_of(key: tuple[int, int, int], marked: int) -> float:
    """The evidence key as one number that sorts the same way: explained + essential/(n+1) + agreed/(n+1)²."""
    explained, essential, agreed = key
    base = marked + 1
    return round(explained + essential / base + agreed / base**2, 6)


def trace(model: Model, pain: tuple[str, ...] | list[str], palpation: dict[str, str] | None = None) -> Trace:
    """Rank the trigger points that may cause pain in the given regions, best first.

    ``palpation`` (point -> "found", "tender" or "not-found") moves found points first and
    points not found last (components/domain/palpation.py).

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
    keyed = []
    for point, explained in hits.items():
        explains = tuple((region, explained[region]) for region in pain if region in explained)
        misses = tuple(region for region in pain if region not in explained)
        key = evidence_key(model, point, explains)
        finding = palpation_rule.finding(palpation, point)
        keyed.append(((palpation_rule.group_of(finding), *(-k for k in key)),
                      Candidate(point, score_of(key, len(pain)), explains, misses, palpation=finding)))
    keyed.sort(key=lambda pair: (pair[0], model.display_order[pair[1].trigger_point]))
    ranking: list[Candidate] = []
    for place, (key, candidate) in enumerate(keyed):
        tied = place > 0 and key == keyed[place - 1][0]
        rank = ranking[-1].rank if tied else place + 1
        ranking.append(Candidate(candidate.trigger_point, candidate.score, candidate.explains, candidate.misses, rank,
                                 candidate.palpation))
    unexplained = tuple(region for region in pain if not model.referrals_by_region[region])
    # A point pressed and not found is no part of the smallest set that explains the pain.
    roots = followed_nerve_roots(model, pain)
    return Trace(pain=pain, ranking=tuple(ranking), unexplained=unexplained,
                 together=together([c for c in ranking if c.palpation != palpation_rule.NOT_FOUND]), elsewhere=off_map_causes(model, pain, roots),
                 red_flags=raised_flags(model, pain, roots), nerve_roots=roots)


def followed_nerve_roots(model: Model, pain: tuple[str, ...]) -> tuple[str, ...]:
    """The nerve roots whose strip of skin holds every marked area (at least MIN_STRIP_AREAS of them)."""
    if len(pain) < MIN_STRIP_AREAS:
        return ()
    return tuple(root.id for root in model.nerve_roots.values() if set(pain) <= set(root.regions))


def off_map_causes(model: Model, pain: tuple[str, ...], roots: tuple[str, ...] = ()) -> tuple[OffMapCause, ...]:
    """The usual causes of the marked areas that this map does not draw, each once, in the order
    the areas were marked; a followed nerve root adds its cause (sciatica) with the reason."""
    found: dict[str, OffMapCause] = {}
    for region in pain:
        for cause in model.elsewhere_by_region.get(region, ()):
            if cause.id not in found:
                found[cause.id] = OffMapCause(cause, tuple(r for r in pain if r in cause.regions))
    for root_id in roots:
        root = model.nerve_roots[root_id]
        if root.cause in model.elsewhere and root.cause not in found:
            found[root.cause] = OffMapCause(model.elsewhere[root.cause], pain, root.because)
        elif root.cause in found and not found[root.cause].because:
            found[root.cause] = OffMapCause(found[root.cause].cause, pain, root.because)
    # A cause raised by a nerve root's strip explains the whole pattern, so it leads.
    return tuple(sorted(found.values(), key=lambda hit: not hit.because))


def raised_flags(model: Model, pain: tuple[str, ...], roots: tuple[str, ...] = ()) -> tuple[RaisedFlag, ...]:
    """The red flags the marked areas make likely, emergencies first (the model's order), each with its reason."""
    raised = []
    for flag in model.red_flags:
        regions = tuple(region for region in pain if region in flag.raised_by)
        if regions:
            raised.append(RaisedFlag(flag, flag.because, regions))
        elif flag.nerve_root and roots:
            raised.append(RaisedFlag(flag, model.nerve_roots[roots[0]].because, pain))
    return tuple(raised)


def together(ranking: list[Candidate] | tuple[Candidate, ...]) -> tuple[str, ...]:
    """The fewest points (at most 3) that between them explain every region any point explains.

    Among equally small sets, the one with more regions in an essential zone wins, then the one
    whose members rank higher; members are listed best first. If no 3 points cover everything,
    the 3 that cover the most. Exhaustive over small sets, so deterministic.
    """
    coverable = {region for c in ranking for region, _ in c.explains}
    if not coverable:
        return ()
    best_key, best = None, ()
    for size in range(1, MAX_TOGETHER + 1):
        for group in combinations(range(len(ranking)), size):
            covered = {region for i in group for region, _ in ranking[i].explains}
            essential = {region for i in group for region, intensity in ranking[i].explains if intensity == ESSENTIAL}
            key = (-len(covered), size, -len(essential), group)
            if best_key is None or key < best_key:
                best_key, best = key, group
        if -best_key[0] == len(coverable):
            break
    return tuple(ranking[i].trigger_point for i in best)


def browser_table(model: Model) -> dict:
    """The data the browser ranks with, so a marked area is answered within a frame, offline too.

    The rules stay here: the browser (assets/explorer/ranking.js) only applies ``evidence_key`` and the
    display order, ``reason``, ``raised_flags``, ``together`` with ``together_sentence``, the unexplained
    areas and ``off_map_causes`` to this table, and tests/test_browser_rules.py proves, on every pain map
    of one to three areas and every map along a nerve root's strip, that it gives ``trace``'s ranking,
    reasons, raised flags and notes. Per region: [point, essential?, in a zone the sources
    agree on?], and its name as a sentence says it (in ``region_names``); per point: its place in display order, its title and
    its short name; per red flag (the model's order): the areas that raise it, whether a nerve root's
    strip does, and its reason; per nerve root: its strip, its reason, its id and the off-map cause it
    raises; per off-map cause (the model's order): the areas it covers.
    """
    order = {point: place for place, point in enumerate(sorted(model.trigger_points, key=model.display_order.get))}
    return {
        "regions": [
            [region, [[point, intensity == ESSENTIAL, point not in model.one_source_by_region[region]]
                      for point, intensity in model.referrals_by_region[region]]]
            for region in model.regions
        ],
        "region_names": {region: model.regions[region].name for region in model.regions},
        "points": [[point, order[point], model.point_title(point), short_point_name(model, point)]
                   for point in model.trigger_points],
        "palpation": palpation_rule.browser_words(),
        "red_flags": [[flag.id, list(flag.raised_by), flag.nerve_root, flag.because] for flag in model.red_flags],
        "nerve_roots": [[list(root.regions), root.because, root.id, root.cause] for root in model.nerve_roots.values()],
        "elsewhere": [[cause.id, list(cause.regions)] for cause in model.elsewhere.values()],
        "max_together": MAX_TOGETHER,
        "min_strip_areas": MIN_STRIP_AREAS,
    }


def short_point_name(model: Model, trigger_point: str) -> str:
    """'gastrocnemius TP1': a point named inside a sentence."""
    return f"{model.muscle_name(trigger_point)} {model.trigger_points[trigger_point].label}"


def together_sentence(model: Model, result: Trace) -> str | None:
    """'Together, gastrocnemius TP1 and soleus TP1 account for all 3 marked areas.' Only when one point is not enough."""
    if len(result.together) < 2:
        return None
    explained = {region for c in result.ranking if c.trigger_point in result.together for region, _ in c.explains}
    names = join_names([short_point_name(model, point) for point in result.together])
    marked = len(result.pain)
    return f"Together, {names} account for {explained_words(len(explained), marked, 'the')}."


def explained_words(explained: int, marked: int, whose: str = "your") -> str:
    """'both marked areas', 'your one marked area', 'all 3 marked areas', '2 of your 3 marked areas'."""
    if explained == marked == 1:
        return f"{whose} one marked area"
    if explained == marked == 2:
        return "both marked areas"
    if explained == marked:
        return f"all {marked} marked areas"
    return f"{explained} of {whose} {marked} marked areas"


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
    sentence = f"{name} explains {explained_words(len(candidate.explains), marked)}: "
    sentence += "; ".join(parts)
    if candidate.misses:
        missed = join_names([model.regions[r].name for r in candidate.misses])
        sentence += f". It does not account for the {missed}"
    return sentence + "."


def body_part_words(model: Model, regions, fallback: str = "leg") -> str:
    """'Heel and foot': the parts of the body that the regions lie in, in their order, for a title."""
    parts = list(dict.fromkeys(model.region_parts[r] for r in regions if r in model.region_parts))
    if len(parts) > MAX_TITLE_PARTS:
        # A long list makes a poor title: name the whole limb instead.
        parts = [fallback, "foot"] if {"foot", "heel", "toe"} & set(parts) else [fallback]
    words = join_names(parts) or fallback
    return words[0].upper() + words[1:]


def main_regions(model: Model, trigger_point: str) -> list[str]:
    """The regions of a point's main pain area (its essential zones)."""
    return [region for region, intensity in referral_of(model, trigger_point).items() if intensity == ESSENTIAL]


def referral_summary(model: Model, trigger_point: str) -> tuple[list[str], list[str]]:
    """Region names of the essential and the spillover zones, for the detail panel."""
    referral = referral_of(model, trigger_point)
    essential = [model.regions[r].name for r in model.regions if referral.get(r) == ESSENTIAL]
    spillover = [model.regions[r].name for r in model.regions if referral.get(r) == SPILLOVER]
    return essential, spillover
