"""What one user is looking at: the selected point, marked pain, side, filter and mode.

It lives only in the browser (URL and a dcc.Store); the server sees it per request and keeps
nothing. ``clean_state`` turns anything a client sends into a valid State, and says what it
dropped, so a forged callback payload or a mangled link can never crash a callback.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping
from urllib.parse import urlencode

from components.model import Model
from components.referral import normalise_region_ids

SIDES = ("right", "left")
MODES = ("explore", "clinic")
MAX_VALUE_SHOWN = 40


@dataclass(frozen=True)
class State:
    tp: str | None = None
    pain: tuple[str, ...] = ()
    side: str = "right"
    muscle: str = "all"
    mode: str = "explore"

    def as_json(self) -> dict:
        return {"tp": self.tp, "pain": list(self.pain), "side": self.side, "muscle": self.muscle, "mode": self.mode}

    def query(self) -> str:
        """The URL query for this state, with defaults left out."""
        params = {}
        if self.tp:
            params["tp"] = self.tp
        if self.pain:
            params["pain"] = ",".join(self.pain)
        if self.side != "right":
            params["side"] = self.side
        if self.muscle != "all":
            params["muscle"] = self.muscle
        if self.mode != "explore":
            params["mode"] = self.mode
        return ("?" + urlencode(params, safe=",")) if params else ""


@dataclass(frozen=True)
class Cleaned:
    state: State
    ignored: tuple[str, ...] = field(default_factory=tuple)


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
        return Cleaned(State(), ("the page state was not understood and has been reset",) if raw else ())
    ignored = []
    tp = _word(raw.get("tp"))
    if tp in (None, ""):
        tp = None
    elif not isinstance(tp, str) or tp not in model.trigger_points:
        ignored.append(f"trigger point {shown(_first(raw.get('tp')))} is not in this map")
        tp = None
    pain_raw = raw.get("pain")
    pain: tuple[str, ...] = ()
    if isinstance(pain_raw, (list, tuple)) and all(isinstance(p, str) for p in pain_raw):
        pain_raw = ",".join(pain_raw)  # ?pain=a&pain=b means the same as ?pain=a,b
    if isinstance(pain_raw, str):
        candidates = normalise_region_ids(pain_raw)
        pain = tuple(r for r in candidates if r in model.regions)
        ignored.extend(f"area {shown(r)} is not a known region" for r in candidates if r not in model.regions)
    elif pain_raw not in (None, ""):
        ignored.append("the marked areas were not understood")
    side = _word(raw.get("side")) or "right"
    if side not in SIDES:
        ignored.append(f"side {shown(_first(raw.get('side')))} must be left or right")
        side = "right"
    muscle = _word(raw.get("muscle")) or "all"
    if muscle != "all" and (not isinstance(muscle, str) or muscle not in model.muscles):
        ignored.append(f"muscle {shown(_first(raw.get('muscle')))} is not in this map")
        muscle = "all"
    mode = _word(raw.get("mode")) or "explore"
    if mode not in MODES:
        ignored.append(f"mode {shown(_first(raw.get('mode')))} must be clinic")
        mode = "explore"
    return Cleaned(State(tp=tp, pain=pain, side=side, muscle=muscle, mode=mode), tuple(ignored))


def parse_query(model: Model, args) -> Cleaned:
    """A request's query (a werkzeug MultiDict, or a plain mapping) -> a valid State and notes."""
    if hasattr(args, "to_dict"):
        args = args.to_dict(flat=False)
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
