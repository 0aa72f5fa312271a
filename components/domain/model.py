"""The immutable domain model that the loader builds once and everything else reads."""
from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from types import MappingProxyType
from typing import Mapping

from components.domain.geometry import Point, Polygon
from components.domain.tables import SCHEMAS, choices

ESSENTIAL, SPILLOVER = INTENSITIES = choices("referral_zones", "intensity")

# How common a trigger point is, as the sources word it. Shown to people; not used in ranking,
# because most rows give no source for it.
PREVALENCES = choices("trigger_points", "prevalence")
# How far the sources agree on a referral zone: one that a single source reports counts for less.
AGREED, ONE_SOURCE = AGREEMENTS = choices("referral_zones", "agreement")
# A red flag's urgency, most urgent first: every list of red flags shows the emergencies first.
URGENCIES = choices("red_flags", "urgency")
# What an off-map cause is: a condition (a joint, tendon, nerve, bursa or vessel) or a muscle off this map.
CAUSE_KINDS = choices("elsewhere", "kind")
# How a "Before you start" line reads: stop (don't work on the leg) or ask first (a doctor or clinician).
SAFETY_KINDS = choices("safety_checks", "kind")

# The Python type of a cell, by its column's kind (tables.Column.kind); every other kind is text.
CELL_TYPES = {"number": float, "int": int, "yesno": bool, "refs": tuple[str, ...], "sources": tuple[str, ...]}


def row_model(table: str, name: str, doc: str, **methods) -> type:
    """The domain object of one CSV table: a frozen dataclass whose fields are the table's columns,
    as tables.json describes them (the column's ``field`` name where it has one; a ``shape`` column
    becomes ``points``, as written, and ``outline``, smoothed and in diagram units). So a column is
    declared once, and the loader (tables.typed), the checks and the README follow from it.
    Keyword-only: a row is built from its column names, never by position."""
    fields = []
    for column in SCHEMAS[table]:
        if column.kind == "shape":
            fields += [("points", Polygon), ("outline", Polygon)]
        elif column.field is not None:
            cell = CELL_TYPES.get(column.kind, str)
            fields.append((column.field or column.name, cell) if column.required
                          else (column.field or column.name, cell, field(default=column.empty)))
    return make_dataclass(name, fields, frozen=True, kw_only=True,
                          namespace={"__doc__": doc, "__module__": __name__, **methods})


Source = row_model("sources", "Source", "Where a clinical row comes from: a seed article or a web page.")


def _place(self, points) -> Polygon:
    """View-local points -> diagram coordinates (scaled, then moved to the view's corner)."""
    return tuple((self.x + px * self.scale, self.y + py * self.scale) for px, py in points)


View = row_model("views", "View", "One drawing of the leg (the back, the outer side, the sole, ...) and where it sits on the diagram.",
                 place=_place)


Muscle = row_model("muscles", "Muscle", "A muscle of the map.")


AnatomyPart = row_model("anatomy", "AnatomyPart", "One drawn part of a view: skin, a muscle, a tendon, a bone, a crease or a landmark.")


@dataclass(frozen=True)
class RegionShape:
    """How a region is drawn in one view."""
    view: str
    points: Polygon
    outline: Polygon
    label_at: Point


@dataclass(frozen=True)
class Region:
    """A named area where pain can be marked. ``view``, ``points`` and ``outline``
    describe its primary view; ``shapes`` holds its drawing in every view, the primary first
    (an outer-ankle region, for example, shows in the back and the outer-side views)."""
    id: str
    name: str
    view: str
    points: Polygon
    outline: Polygon
    shapes: tuple[RegionShape, ...] = ()


TriggerPoint = row_model("trigger_points", "TriggerPoint", "A trigger point: an X on the map.")


ReferralZone = row_model("referral_zones", "ReferralZone", "Where one trigger point sends pain: its essential or its spillover zone, in one view.")


SelfCareStep = row_model("self_care", "SelfCareStep", "One step of a muscle's self-care routine, with its timing.")


RedFlag = row_model("red_flags", "RedFlag", "A warning sign: a condition to rule out, what to look for and what to do. ``raised_by`` regions, or a nerve root's strip, make it likely.")


Elsewhere = row_model("elsewhere", "Elsewhere", "A common cause of pain in some regions that this map does not draw: a condition, or a muscle off the map.")


SafetyCheck = row_model("safety_checks", "SafetyCheck", 'One "Before you start" line, shown above the self-care of the muscles it names.')


NerveRoot = row_model("nerve_roots", "NerveRoot", "The strip of skin one nerve root serves (a dermatome), and the off-map cause it points to.")


LoadingFactor = row_model("loading_factors", "LoadingFactor", "What loads a muscle and keeps its points active.")


def _frozen(mapping: dict) -> Mapping:
    return MappingProxyType(dict(mapping))


# eq=False: a model is one loaded data set, compared and cached by identity.
@dataclass(frozen=True, eq=False)
class Model:
    sources: Mapping[str, Source]
    views: Mapping[str, View]
    muscles: Mapping[str, Muscle]
    anatomy: tuple[AnatomyPart, ...]
    regions: Mapping[str, Region]
    trigger_points: Mapping[str, TriggerPoint]
    zones: tuple[ReferralZone, ...]
    self_care: tuple[SelfCareStep, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    loading_factors: tuple[LoadingFactor, ...] = ()
    elsewhere: Mapping[str, Elsewhere] = field(default_factory=dict)
    safety_checks: tuple[SafetyCheck, ...] = ()
    nerve_roots: Mapping[str, NerveRoot] = field(default_factory=dict)
    # Region -> the part of the body a person names it by ("heel", "calf"), for titles.
    region_parts: Mapping[str, str] = field(default_factory=dict)
    # Derived once at load, so that look-ups in callbacks and the API are dictionary reads.
    zones_by_point: Mapping[str, tuple[ReferralZone, ...]] = field(default_factory=dict)
    referrals_by_region: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # Region -> points whose zone there is reported by one source only.
    one_source_by_region: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Display order of each point (muscle order, then TP number): it orders a tie, it is not a rank.
    display_order: Mapping[str, tuple] = field(default_factory=dict)
    # Region -> the off-map causes of pain there, in file order.
    elsewhere_by_region: Mapping[str, tuple[Elsewhere, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, **tables) -> "Model":
        zones = tables["zones"]
        trigger_points = tables["trigger_points"]
        by_point: dict[str, list[ReferralZone]] = {tp: [] for tp in trigger_points}
        for zone in zones:
            by_point[zone.trigger_point].append(zone)
        by_region: dict[str, dict[str, str]] = {region: {} for region in tables["regions"]}
        agreed: dict[str, set[str]] = {region: set() for region in tables["regions"]}
        for zone in zones:
            for region in zone.regions:
                best = by_region[region].get(zone.trigger_point)
                # A region inside both zones of a point counts as the stronger, essential one.
                if best != ESSENTIAL:
                    by_region[region][zone.trigger_point] = zone.intensity
                if zone.agreement == AGREED:
                    agreed[region].add(zone.trigger_point)
        return cls(
            sources=_frozen(tables["sources"]),
            views=_frozen(tables["views"]),
            muscles=_frozen(tables["muscles"]),
            anatomy=tuple(tables["anatomy"]),
            regions=_frozen(tables["regions"]),
            trigger_points=_frozen(trigger_points),
            zones=tuple(zones),
            self_care=tuple(tables.get("self_care", ())),
            red_flags=tuple(tables.get("red_flags", ())),
            loading_factors=tuple(tables.get("loading_factors", ())),
            elsewhere=_frozen({e.id: e for e in tables.get("elsewhere", ())}),
            safety_checks=tuple(tables.get("safety_checks", ())),
            nerve_roots=_frozen({root.id: root for root in tables.get("nerve_roots", ())}),
            region_parts=_frozen(tables.get("region_parts", {})),
            elsewhere_by_region=_frozen({
                region: tuple(e for e in tables.get("elsewhere", ()) if region in e.regions)
                for region in tables["regions"]
            }),
            zones_by_point=_frozen({tp: tuple(found) for tp, found in by_point.items()}),
            referrals_by_region=_frozen({r: tuple(found.items()) for r, found in by_region.items()}),
            one_source_by_region=_frozen({
                region: frozenset(found) - agreed[region] for region, found in by_region.items()
            }),
            display_order=_frozen({
                point.id: (tables["muscles"][point.muscle].order, int(point.label[2:]), point.id)
                for point in trigger_points.values()
            }),
        )

    def source_title(self, source_id: str) -> str:
        """'Publisher: page title', as a person reads it; never a file name or an internal code."""
        return self.sources[source_id].title

    def source_short_name(self, source_id: str) -> str:
        """The publisher alone ('Niel Asher Education'), or author and year for a paper in PubMed."""
        title = self.sources[source_id].title
        if title.startswith("PubMed:"):
            return title.split(",")[0]
        return title.split(":")[0]

    def muscle_name(self, trigger_point_id: str) -> str:
        return self.muscles[self.trigger_points[trigger_point_id].muscle].name

    def point_title(self, trigger_point_id: str) -> str:
        """'Gastrocnemius TP1 (inner head)': how a person names a point."""
        point = self.trigger_points[trigger_point_id]
        head = {"medial": " (inner head)", "lateral": " (outer head)"}.get(point.head or "", "")
        return f"{self.muscle_name(trigger_point_id).capitalize()} {point.label}{head}"
