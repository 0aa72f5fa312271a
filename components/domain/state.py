"""What one user is looking at: the selected point, marked pain, side, filter and mode.

It lives only in the browser (URL and a dcc.Store); the server sees it per request and keeps
nothing. ``clean_state`` turns anything a client sends into a valid State, and says what it
dropped, so a forged callback payload or a mangled link can never crash a callback.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping
from urllib.parse import urlencode

from components.domain import palpation
from components.domain.model import Model
from components.domain.referral import normalise_region_ids

SIDES = ("right", "left")
MODES = ("explore", "clinic")
MAX_VALUE_SHOWN = 40
MAX_INTENSITY = 10
# The parts of the link a handout (and its QR code) carries; filter and mode only change the screen.
HANDOUT_FIELDS = ("tp", "pain", "side", "found", "tender", "not_found")


@dataclass(frozen=True)
class State:
    tp: str | None = None
    pain: tuple[str, ...] = ()
    side: str = "right"
    muscle: str = "all"
    mode: str = "explore"
    # How much each marked area hurts, 0 to 10, for the areas given a number (in the order marked).
    intensity: tuple[tuple[str, int], ...] = ()
    # What pressing found: trigger point ids (components/domain/palpation.py has the rule).
    found: tuple[str, ...] = ()
    tender: tuple[str, ...] = ()
    not_found: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {"tp": self.tp, "pain": list(self.pain), "side": self.side, "muscle": self.muscle, "mode": self.mode,
                "intensity": dict(self.intensity), "found": list(self.found), "tender": list(self.tender),
                "not_found": list(self.not_found)}

    def palpation(self) -> dict[str, str]:
        """Point id -> "found", "tender" or "not-found", for the points that were pressed."""
        return palpation.findings_of(self.found, self.tender, self.not_found)

    def pain_param(self) -> str:
        """``instep:7,heel-underside``: each marked area, with its number where it has one."""
        levels = dict(self.intensity)
        return ",".join(f"{r}:{levels[r]}" if r in levels else r for r in self.pain)

    def handout_state(self) -> "State":
        """The part of the state a handout (and its QR code) carries (HANDOUT_FIELDS)."""
        return State(tp=self.tp, pain=self.pain, side=self.side, intensity=self.intensity, found=self.found,
                     tender=self.tender, not_found=self.not_found)

    def query(self) -> str:
        """The URL query for this state, with defaults left out."""
        params = {}
        if self.tp:
            params["tp"] = self.tp
        if self.pain:
            params["pain"] = self.pain_param()
        for finding in palpation.FINDINGS:
            points = getattr(self, palpation.PARAMETERS[finding])
            if points:
                params[palpation.PARAMETERS[finding]] = ",".join(points)
        if self.side != "right":
            params["side"] = self.side
        if self.muscle != "all":
            params["muscle"] = self.muscle
        if self.mode != "explore":
            params["mode"] = self.mode
        return ("?" + urlencode(params, safe=",:")) if params else ""


@dataclass(frozen=True)
class Cleaned:
    state: State
    ignored: tuple[str, ...] = field(default_factory=tuple)
    # Which part of the link each note is about ("pain", "palpation", "muscle", ...), in the order of ``ignored``.
    about: tuple[str, ...] = field(default_factory=tuple)

    def ignored_in(self, *parts: str) -> list[str]:
        """The notes about these parts of the link."""
        return [note for note, part in zip(self.ignored, self.about) if part in parts]


def shown(value) -> str:
    """A short, quoted form of a rejected value; the page renders it as text, never as markup."""
    text = str(value)
    if len(text) > MAX_VALUE_SHOWN:
        text = text[:MAX_VALUE_SHOWN] + "…"
    return f"“{text}”"


def _first(value):
    return value[0] if isinstance(value, (list, tuple)) and value else value


def _word(value) -> str | None:
    """A single URL value, trimmed and lower-cased (the one normalisation every field gets)."""
    value = _first(value)
    return value.strip().lower() if isinstance(value, str) else value


def clean_state(model: Model, raw) -> Cleaned:
    """Any mapping (URL args, a store's data, a forged payload) -> a valid State and notes.

    This is the only place where the app decides which values it accepts: the page (its first
    HTML), the handout and the API all call it, so they accept and refuse the same inputs.
    """
    if not isinstance(raw, Mapping):
        return Cleaned(State(), ("the page state was not understood and has been reset",) if raw else (),
                       ("state",) if raw else ())
    ignored: list[tuple[str, str]] = []  # (part of the link, note)
    tp = _word(raw.get("tp"))
    if tp in (None, ""):
        tp = None
    elif not isinstance(tp, str) or tp not in model.trigger_points:
        ignored.append(("tp", f"trigger point {shown(_first(raw.get('tp')))} is not in this map"))
        tp = None
    pain, intensity, notes = parse_pain(model, raw.get("pain"), raw.get("intensity"))
    ignored.extend(("pain", note) for note in notes)
    found, tender, not_found, notes = parse_palpation(model, raw)
    ignored.extend(("palpation", note) for note in notes)
    side = _word(raw.get("side")) or "right"
    if side not in SIDES:
        ignored.append(("side", f"side {shown(_first(raw.get('side')))} must be left or right"))
        side = "right"
    muscle = _word(raw.get("muscle")) or "all"
    if muscle != "all" and (not isinstance(muscle, str) or muscle not in model.muscles):
        ignored.append(("muscle", f"muscle {shown(_first(raw.get('muscle')))} is not in this map"))
        muscle = "all"
    elif not filter_shows(model, muscle, tp):
        ignored.append(("muscle", f"the filter {shown(model.muscles[muscle].name)} would hide the chosen point, "
                                  f"{model.point_title(tp)}, so every muscle is shown"))
        muscle = "all"
    mode = _word(raw.get("mode")) or "explore"
    if mode not in MODES:
        ignored.append(("mode", f"mode {shown(_first(raw.get('mode')))} must be clinic"))
        mode = "explore"
    return Cleaned(State(tp=tp, pain=pain, side=side, muscle=muscle, mode=mode, intensity=intensity, found=found,
                         tender=tender, not_found=not_found),
                   tuple(note for _, note in ignored), tuple(part for part, _ in ignored))


def filter_shows(model: Model, muscle: str, tp: str | None) -> bool:
    """Whether the muscle filter shows the chosen point. The chosen point wins: a link or a tap that
    chooses a point the filter hides widens the filter to every muscle (a shared link's point is what
    its reader came to see); choosing a filter that hides the chosen point clears the choice."""
    return tp is None or muscle == "all" or model.trigger_points[tp].muscle == muscle


def _joined(value):
    """?x=a&x=b means the same as ?x=a,b; anything else is returned as it is."""
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return ",".join(value)
    return value


def parse_intensity(text) -> int | None:
    """'7' -> 7; a whole number from 0 to 10, else None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if 0 <= text <= MAX_INTENSITY else None
    if isinstance(text, str) and text.strip().isdigit() and len(text.strip()) <= 2:
        number = int(text.strip())
        return number if number <= MAX_INTENSITY else None
    return None


def parse_pain(model: Model, raw, levels=None) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...], list[str]]:
    """``instep:7,heel-underside`` -> the marked areas, their numbers, and what was dropped.

    ``area`` alone is marked with no number (the old form); ``area:n`` with n a whole number from
    0 to 10. A bad number keeps the area marked, with no number, and says so. ``levels`` is the
    browser store's {area: n}, for numbers set on the page (the link carries them in ``pain``).
    """
    raw = _joined(raw)
    notes: list[str] = []
    if raw in (None, ""):
        return (), (), notes
    if not isinstance(raw, str):
        return (), (), ["the marked areas were not understood"]
    numbers: dict[str, int] = {}
    parts = []
    for part in raw.split(","):
        region, colon, number = part.partition(":")
        region = region.strip().lower()
        if not region:
            if colon:  # ":7" names a number but no area: said, not silently dropped
                notes.append(f"pain level {shown(part.strip())} names no area")
            continue
        parts.append(region)
        if colon and region in model.regions and region not in numbers:
            level = parse_intensity(number)
            if level is None:
                notes.append(f"pain level {shown(number)} for {shown(region)} must be a whole number from 0 to 10")
            else:
                numbers[region] = level
    candidates = normalise_region_ids(parts)
    pain = tuple(r for r in candidates if r in model.regions)
    notes[:0] = [f"area {shown(r)} is not a known region" for r in candidates if r not in model.regions]
    if isinstance(levels, Mapping):
        for region, level in levels.items():
            level = parse_intensity(level)
            if region in pain and level is not None:
                numbers.setdefault(region, level)
    return pain, tuple((r, numbers[r]) for r in pain if r in numbers), notes


def parse_palpation(model: Model, raw: Mapping) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], list[str]]:
    """``found=``, ``tender=``, ``not_found=`` (trigger point ids) -> the three lists and what was dropped.

    A point named twice keeps its first finding in the order found, tender, not found."""
    notes: list[str] = []
    seen: dict[str, str] = {}
    lists = []
    for finding in palpation.FINDINGS:
        name = palpation.PARAMETERS[finding]
        value = _joined(raw.get(name))
        points: list[str] = []
        if isinstance(value, str):
            for point in normalise_region_ids(value):
                if point not in model.trigger_points:
                    notes.append(f"trigger point {shown(point)} in {name} is not in this map")
                elif point in seen:
                    notes.append(f"trigger point {shown(point)} is in both {seen[point]} and {name}; kept as {seen[point]}")
                else:
                    seen[point] = name
                    points.append(point)
        elif value is not None:
            notes.append(f"{name} was not understood")
        lists.append(tuple(points))
    return lists[0], lists[1], lists[2], notes


def parse_query(model: Model, args, fields: tuple[str, ...] | None = None) -> Cleaned:
    """A request's query (a werkzeug MultiDict, or a plain mapping) -> a valid State and notes.

    ``fields``: read only these parts of the link (the handout reads HANDOUT_FIELDS), the rest is
    not looked at, so it is neither used nor refused."""
    if hasattr(args, "to_dict"):
        args = args.to_dict(flat=False)
    if fields is not None and isinstance(args, Mapping):
        args = {name: args[name] for name in fields if name in args}
    return clean_state(model, args)


def notice_text(ignored) -> str:
    return ("Part of this link was ignored: " + "; ".join(ignored) + ".") if ignored else ""


def focus_point(state: State, ranking) -> str | None:
    """The point whose zones are drawn: the one chosen, else the best candidate for the pain."""
    if state.tp:
        return state.tp
    if state.pain and ranking:
        return ranking[0].trigger_point
    return None
