"""The printable client handout: GET /handout?tp=<id> or ?pain=r1,r2 [&side=left].

One static HTML page with no script at all, so it prints the same with JavaScript off. It
fits one A4 or US Letter page. The diagram is inline SVG drawn from the same geometry as the
app's map (``View.place`` then ``geometry.svg_path``); the texts come from the same model
and the same functions as the page (``referral``, ``education``).

The page is a Jinja2 template (components/templates/handout.html) with autoescaping on: every
text from the data or the URL is escaped by the template. Only the diagram's SVG, built by
``diagram_svg`` (which escapes its own texts), goes in as Markup.
"""
from __future__ import annotations

import datetime as _dt
import html
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, Response, request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from components import education, geometry, referral
from components.figure import (
    BONE_FILL, BONE_LINE, DEEP_LINE, ESSENTIAL_LINE, MUSCLE_FILL, MUSCLE_LINE, PAIN_LINE, SKIN_FILL,
    SKIN_LINE, SPILLOVER_LINE, TENDON_FILL, diagram_extent,
)
from components.model import ESSENTIAL, Model

MAX_QUERY_LENGTH = 2000
TOP_CANDIDATES = 3
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
DENSE_AFTER_CHARS = 1300
FACTORS_BESIDE_MAX_CHARS = 1500
SIDES = ("right", "left")
ESSENTIAL_FILL = "#c41e24"

# Anatomy styles: the app's palette, as SVG attributes.
PART_SVG = {
    "skin": f'fill="{SKIN_FILL}" stroke="{SKIN_LINE}" stroke-width="0.9"',
    "muscle": f'fill="{MUSCLE_FILL}" stroke="{MUSCLE_LINE}" stroke-width="0.6"',
    "deep-muscle": f'fill="none" stroke="{DEEP_LINE}" stroke-width="0.5" stroke-dasharray="2 1.5"',
    "tendon": f'fill="{TENDON_FILL}" stroke="{MUSCLE_LINE}" stroke-width="0.5"',
    "bone": f'fill="{BONE_FILL}" stroke="{BONE_LINE}" stroke-width="0.5"',
    "crease": f'fill="none" stroke="{SKIN_LINE}" stroke-width="0.5" stroke-dasharray="0.8 1"',
    "fossa": 'fill="rgba(156,123,102,0.12)" stroke="rgba(156,123,102,0.5)" stroke-width="0.4"',
}
OPEN_PART_SVG = {
    "tendon": f'fill="none" stroke="{MUSCLE_LINE}" stroke-width="1.3" stroke-linecap="round"',
    "crease": f'fill="none" stroke="{SKIN_LINE}" stroke-width="0.5" stroke-dasharray="0.8 1"',
}

def esc(value) -> str:
    """Escape any text for HTML text and attribute positions (quotes included)."""
    return html.escape(str(value), quote=True)


def long_date(day: _dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --------------------------------------------------------------------------- diagram


def _path(d: str, attrs: str, extra: str = "") -> str:
    return f'<path d="{esc(d)}" {attrs}{extra}/>'


def diagram_svg(model: Model, focus: str | None, pain: tuple[str, ...], side: str) -> str:
    """The map as inline SVG, from the same geometry as the app; mirrored as a whole for the left leg."""
    x0, y0, x1, y1 = diagram_extent(model)
    width, height = x1 - x0, y1 - y0
    mirror = side == "left"

    def mx(x: float) -> float:
        return (x0 + x1) - x if mirror else x

    shapes = []
    for part in model.anatomy:
        view = model.views[part.view]
        d = geometry.svg_path(view.place(part.points), part.closed, part.smooth)
        attrs = PART_SVG[part.part] if part.closed else OPEN_PART_SVG.get(part.part, PART_SVG["crease"])
        shapes.append(_path(d, attrs))
    frames = []
    for view in model.views.values():
        if view.id != "back":
            frames.append(
                f'<rect x="{view.x - 2:g}" y="{view.y - 1:g}" width="{view.width * view.scale + 4:g}" '
                f'height="{view.height * view.scale + 2:g}" fill="#fff" stroke="#d6d3d1" stroke-width="0.4"/>'
            )
    zones = []
    if focus:
        point_zones = model.zones_by_point.get(focus, ())
        # Spillover first, so the essential zone is drawn on top of it.
        for zone in sorted(point_zones, key=lambda z: z.intensity == ESSENTIAL):
            d = geometry.svg_path(model.views[zone.view].place(zone.outline), True, False)
            if zone.intensity == ESSENTIAL:
                attrs = f'fill="{ESSENTIAL_FILL}" fill-opacity="0.78" stroke="{ESSENTIAL_LINE}" stroke-width="0.7"'
            else:
                # Spillover differs by a dotted pattern and a dashed line, not only by a lighter colour.
                zones.append(_path(d, 'fill="#fbd5d1" fill-opacity="0.55" stroke="none"'))
                attrs = (f'fill="url(#spill)" stroke="{SPILLOVER_LINE}" stroke-width="0.6" '
                         'stroke-dasharray="2 1.2"')
            zones.append(_path(d, attrs, f' class="zone zone-{esc(zone.intensity)}"'))
    marked = []
    for region_id in pain:
        region = model.regions[region_id]
        d = geometry.svg_path(model.views[region.view].place(region.outline), True, False)
        marked.append(_path(d, f'fill="rgba(37,99,235,0.12)" stroke="{PAIN_LINE}" stroke-width="0.9"',
                            ' class="pain-region"'))
    marks, labels = [], []
    star = next(iter(model.muscles), None)
    for point in model.trigger_points.values():
        view = model.views[point.view]
        (x, y), = view.place([(point.x, point.y)])
        chosen = point.id == focus
        starred = point.muscle == star
        r = 2.6 if chosen else (1.8 if starred else 1.3)
        color = "#b91c1c" if chosen else ("#1f2937" if starred else "#64748b")
        if chosen:
            marks.append(f'<circle cx="{x:g}" cy="{y:g}" r="4.4" fill="#fff" fill-opacity="0.9" '
                         f'stroke="{color}" stroke-width="0.9"/>')
        marks.append(
            f'<path d="M{x - r:g} {y - r:g} L{x + r:g} {y + r:g} M{x - r:g} {y + r:g} L{x + r:g} {y - r:g}" '
            f'stroke="#fff" stroke-width="{2.4 if chosen else 1.8}" stroke-linecap="round"/>'
            f'<path d="M{x - r:g} {y - r:g} L{x + r:g} {y + r:g} M{x - r:g} {y + r:g} L{x + r:g} {y - r:g}" '
            f'stroke="{color}" stroke-width="{1.2 if chosen else 0.8}" stroke-linecap="round" '
            f'class="tp{" tp-chosen" if chosen else ""}" data-tp-id="{esc(point.id)}"/>'
        )
        if not (chosen or starred):
            continue
        # Labels sit away from the leg's midline (as in the app), on the mirrored side for the left leg.
        outward = -1 if point.x < view.width / 2 else 1
        if mirror:
            outward = -outward
        lx = mx(x) + outward * (5.6 if chosen else 3.8)
        anchor = "end" if outward < 0 else "start"
        weight = ' font-weight="700"' if chosen else ""
        labels.append(
            f'<text x="{lx:g}" y="{y + 1.6:g}" text-anchor="{anchor}" font-size="{5.2 if chosen else 4.4}"'
            f'{weight} fill="{color}" stroke="#fff" stroke-width="1" paint-order="stroke">{esc(point.label)}</text>'
        )
    for view in model.views.values():
        cx = mx(view.x + view.width * view.scale / 2)
        labels.append(
            f'<text x="{cx:g}" y="{view.y + view.height * view.scale + 5:g}" text-anchor="middle" '
            f'font-size="4" fill="#57534e">{esc(view.name)}</text>'
        )
    back = model.views.get("back")
    if back:
        for text, x in (("inner side", back.x + 5), ("outer side", back.x + back.width - 5)):
            tx = mx(x)
            labels.append(
                f'<text x="{tx:g}" y="{back.y + 112:g}" text-anchor="middle" font-size="3.8" fill="#78716c" '
                f'transform="rotate(-90 {tx:g} {back.y + 112:g})">{esc(text)}</text>'
            )
    side_word = "left" if mirror else "right"
    transform = f' transform="translate({x0 + x1:g} 0) scale(-1 1)"' if mirror else ""
    title = f"Diagram of the {side_word} leg from behind, with the sole and the inner side of the foot"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0:g} {y0:g} {width:g} {height + 6:g}" '
        f'role="img" aria-labelledby="diagram-title" id="handout-diagram" data-side="{side_word}">'
        f'<title id="diagram-title">{esc(title)}</title>'
        '<defs><pattern id="spill" patternUnits="userSpaceOnUse" width="2.6" height="2.6">'
        f'<circle cx="1.3" cy="1.3" r="0.5" fill="{SPILLOVER_LINE}"/></pattern></defs>'
        f'<g class="mirror"{transform}>'
        f'<g class="frames">{"".join(frames)}</g>'
        f'<g class="anatomy">{"".join(shapes)}</g>'
        f'<g class="zones">{"".join(zones)}</g>'
        f'<g class="pain">{"".join(marked)}</g>'
        f'<g class="points">{"".join(marks)}</g>'
        "</g>"
        f'<g class="labels" font-family="system-ui, sans-serif">{"".join(labels)}</g>'
        "</svg>"
    )


DISCLAIMER = (
    "This sheet educates; it does not diagnose. Other problems can cause the same pain. Follow your "
    "clinician's advice, stop any step that makes things clearly worse, and see a doctor if you notice a warning sign."
)

# Legend swatches: constant SVG, no data in them.
LEGEND_SHAPES = {
    "essential": ('<rect x="0.5" y="0.5" width="15" height="9" fill="#c41e24" fill-opacity="0.78" stroke="#9b1116"/>',
                  "Main pain area"),
    "spillover": ('<rect x="0.5" y="0.5" width="15" height="9" fill="#fbd5d1" fill-opacity="0.55"/>'
                  '<rect x="0.5" y="0.5" width="15" height="9" fill="url(#spill-legend)" stroke="#c0392b" '
                  'stroke-dasharray="3 2"/>', "Sometimes"),
    "pain": ('<rect x="0.5" y="0.5" width="15" height="9" fill="rgba(37,99,235,0.12)" stroke="#1d4ed8" '
             'stroke-width="1.5"/>', "Your pain"),
    "point": ('<path d="M5 1 L11 9 M5 9 L11 1" stroke="#1f2937" stroke-width="1.6"/>', "Trigger point"),
    "chosen": ('<circle cx="8" cy="5" r="4.4" fill="none" stroke="#b91c1c"/>'
               '<path d="M5.5 2.5 L10.5 7.5 M5.5 7.5 L10.5 2.5" stroke="#b91c1c" stroke-width="1.6"/>', "Chosen point"),
}


def legend(focus: str | None, pain: tuple[str, ...]) -> list[tuple[Markup, str]]:
    keys = (["essential", "spillover"] if focus else []) + (["pain"] if pain else []) + ["point"]
    keys += ["chosen"] if focus else []
    return [(Markup(LEGEND_SHAPES[key][0]), LEGEND_SHAPES[key][1]) for key in keys]


# --------------------------------------------------------------------------- what the page says


def point_context(model: Model, tp: str) -> dict:
    point = model.trigger_points[tp]
    essential, spillover = referral.referral_summary(model, tp)
    facts = [("Where", point.location), ("Main pain area", referral.join_names(essential) or "—")]
    if spillover:
        facts.append(("Sometimes also", referral.join_names(spillover)))
    facts.append(("Feels like", point.feels_like))
    return {"title": model.point_title(tp), "facts": facts, "note": point.note, "disagreement": point.disagreement}


def candidates_context(model: Model, result: referral.Trace) -> list[dict]:
    items = []
    for number, candidate in enumerate(result.ranking[:TOP_CANDIDATES]):
        point = model.trigger_points[candidate.trigger_point]
        title = model.point_title(point.id)
        sentence = referral.reason(model, candidate, len(result.pain))
        items.append({
            "id": point.id, "rank": candidate.rank, "title": title, "tied": result.is_tied(candidate),
            "rest": sentence[len(title):] if sentence.startswith(title) else " " + sentence,
            # Only the first point is drawn, so only its place is spelled out.
            "where": point.location if number == 0 else "",
        })
    return items


def care_context(model: Model, muscle: str) -> dict:
    steps = education.steps_for(model, muscle)
    groups = [
        {"heading": education.KIND_HEADINGS[kind], "tag": "ol" if kind in ("release", "stretch") else "ul",
         "steps": [{"id": s.id, "kind": s.kind, "title": s.title, "timing": s.timing, "instructions": s.instructions,
                    "disagreement": s.disagreement} for s in kind_steps]}
        for kind, kind_steps in education.grouped_steps(steps)
    ]
    return {"muscle": model.muscles[muscle].name, "has_routine": education.has_routine(steps),
            "no_routine": education.NO_ROUTINE, "groups": groups}


def flags_context(model: Model) -> list[dict]:
    return [{"id": f.id, "name": f.name, "urgency": f.urgency, "urgency_word": education.urgency_word(f.urgency),
             "signs": f.signs, "action": f.action} for f in model.red_flags]


def _text_length(point: dict | None, candidates: list[dict], notes: list[str]) -> int:
    """About how much text sits beside the diagram, to choose a smaller type for long explanations."""
    if point:
        return 300 + sum(len(a) + len(b) for a, b in point["facts"]) + len(point["note"]) + len(point["disagreement"])
    return 200 + sum(len(c["title"]) + len(c["rest"]) + len(c["where"]) for c in candidates) + sum(map(len, notes))


def handout_context(model: Model, clinic_name: str, tp: str | None, pain: tuple[str, ...], side: str,
                    today: _dt.date) -> dict:
    result = referral.trace(model, pain) if pain else None
    focus = tp or (result.ranking[0].trigger_point if result and result.ranking else None)
    muscle = education.muscle_for(model, focus)
    cited: list[str] = []
    point = candidates = None
    together = unexplained = ""
    elsewhere = []
    marked = referral.join_names([model.regions[r].name for r in pain])
    if tp:
        point = point_context(model, tp)
        subject = model.point_title(tp)
    else:
        candidates = candidates_context(model, result)
        together = referral.together_sentence(model, result) or ""
        unexplained = referral.join_names([model.regions[r].name for r in result.unexplained])
        elsewhere = [{"region": e.region, "note": e.note} for e in result.elsewhere]
        cited.extend(s for e in result.elsewhere for s in e.sources)
        names = [model.regions[r].name for r in pain]
        subject = ("Pain in the " + referral.join_names(names)) if len(names) <= 2 else f"Pain in {len(names)} marked areas"
    if focus:
        cited.extend(model.trigger_points[focus].sources)
        cited.extend(s for zone in model.zones_by_point.get(focus, ()) for s in zone.sources)
    factors = [f for f in model.loading_factors if f.muscle == muscle]
    cited.extend(s for f in factors for s in f.sources)
    cited.extend(s for step in education.steps_for(model, muscle) for s in step.sources)
    # The warning signs' own sources are listed in the app, beside each sign; one sheet has no room for them.
    cited.extend(education.EVIDENCE_SOURCES)
    text_length = _text_length(point, candidates or [], [together] + [e["note"] for e in elsewhere])
    factor_texts = [f.factor for f in factors]
    back_query = {"tp": tp} if tp else {}
    if pain:
        back_query["pain"] = ",".join(pain)
    if side == "left":
        back_query["side"] = "left"
    return {
        "title": f"Handout: {model.point_title(tp) if tp else 'Calf pain'}",
        "back_href": "/?" + urlencode(back_query, safe=","),
        "subject": subject, "side_word": "left" if side == "left" else "right",
        "clinic_name": clinic_name, "today_iso": today.isoformat(), "today_long": long_date(today),
        # Long explanations (many marked areas) get a smaller type, so the page still fits one sheet.
        "dense": text_length > DENSE_AFTER_CHARS,
        "diagram": Markup(diagram_svg(model, focus, pain, side)), "legend": legend(focus, pain),
        "point": point, "marked": marked, "candidates": candidates, "together": together,
        "unexplained": unexplained, "elsewhere": elsewhere,
        # Beside a short explanation there is room for what keeps the points active; otherwise it
        # closes the self-care columns.
        "factors": factor_texts,
        "factors_beside": text_length + sum(map(len, factor_texts)) <= FACTORS_BESIDE_MAX_CHARS,
        "care": care_context(model, muscle), "flags": flags_context(model),
        "disclaimer": DISCLAIMER, "caveat": education.EVIDENCE_CAVEAT,
        "caveat_sources": education.source_names(model, education.EVIDENCE_SOURCES),
        "sources": list(dict.fromkeys(model.source_short_name(s) for s in cited if s in model.sources)),
    }


# --------------------------------------------------------------------------- pages


def render_handout(model: Model, clinic_name: str, tp: str | None, pain: tuple[str, ...], side: str,
                   today: _dt.date | None = None) -> str:
    context = handout_context(model, clinic_name, tp, pain, side, today or _dt.date.today())
    return TEMPLATES.get_template("handout.html").render(**context)


def error_page(status: int, heading: str, message: str | Markup) -> Response:
    page = TEMPLATES.get_template("handout_error.html").render(title=heading, heading=heading, message=message)
    return Response(page, status=status, mimetype="text/html")


def register_handout(server: Flask, model: Model, clinic_name: str = "") -> None:
    @server.get("/handout")
    def handout():
        raw_tp = request.args.get("tp")
        raw_pain = request.args.get("pain")
        raw_side = request.args.get("side", "right")
        if sum(len(v or "") for v in (raw_tp, raw_pain, raw_side)) > MAX_QUERY_LENGTH:
            return error_page(400, "Request too long", "The link is too long to be a handout link.")
        tp = (raw_tp or "").strip() or None
        pain = referral.normalise_region_ids(raw_pain)
        side = raw_side.strip().lower() if raw_side.strip().lower() in SIDES else "right"
        if not tp and not pain:
            return error_page(
                400, "Which handout?",
                Markup("A handout needs a trigger point (<code>/handout?tp=…</code>) or the painful areas "
                       "(<code>/handout?pain=…</code>). Choose a point or mark your pain in the explorer, "
                       "then use its “Print handout” link."),
            )
        if tp and tp not in model.trigger_points:
            return error_page(404, "Trigger point not found", f"No trigger point called “{tp}” was found. Nothing was printed.")
        unknown = referral.unknown_regions(model, pain)
        if unknown:
            return error_page(404, "Region not found",
                              f"These areas were not found: {', '.join(unknown)}. Nothing was printed.")
        return Response(render_handout(model, clinic_name, tp, pain, side), status=200, mimetype="text/html")
