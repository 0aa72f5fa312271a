"""The printable client handout: GET /handout?tp=<id> or ?pain=r1,r2 [&side=left].

One static HTML page with no script at all, so it prints the same with JavaScript off. It
fits one A4 or US Letter page. The diagram is inline SVG drawn from the same geometry as the
app's map (``View.place`` then ``geometry.svg_path``); the texts come from the same model
and the same functions as the page (``referral``, ``education``).

Every text that comes from the data or from the URL goes through ``esc`` before it is
written into the page.
"""
from __future__ import annotations

import datetime as _dt
import html
import re
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, request

from components import body_map, education, referral
from components.model import Model

MAX_QUERY_LENGTH = 2000
TOP_CANDIDATES = 3
DENSE_AFTER_CHARS = 1300
FACTORS_BESIDE_MAX_CHARS = 1500
SIDES = ("right", "left")
DISCLAIMER = (
    "This sheet educates; it does not diagnose. Trigger points are hard to find reliably by touch, and "
    "other problems can cause the same pain. Follow your clinician's advice, stop any step that makes "
    "things clearly worse, and see a doctor if you notice a warning sign."
)

STYLE = """
@page { size: auto; margin: 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 7.2pt/1.15 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1f1b18; margin: 0 auto; max-width: 192mm; padding: 6mm; background: #fff; }
@media print { body { padding: 0; max-width: none; } .screen-only { display: none !important; } }
/* US Letter is shorter than A4 (about 255 mm of printable height against 273 mm): scale down a little. */
@media print and (max-height: 262mm) { body { zoom: 0.93; } }
h1 { font-size: 14pt; margin: 0; line-height: 1.1; }
h2 { font-size: 9.2pt; margin: 0 0 1mm; padding-bottom: 0.5mm; border-bottom: 0.3mm solid #d6cfc8; }
h3 { font-size: 7.8pt; margin: 1mm 0 0.4mm; }
p { margin: 0 0 0.8mm; }
ul, ol { margin: 0; padding-left: 3.8mm; }
li { margin: 0 0 0.5mm; }
a { color: inherit; }
.screen-only { margin: 0 0 3mm; font-size: 9pt; color: #57534e; }
header { display: flex; justify-content: space-between; align-items: flex-end; gap: 4mm;
         border-bottom: 0.6mm solid #9b1116; padding-bottom: 1.2mm; margin-bottom: 2mm; }
header .subject { font-size: 8.4pt; color: #44403c; }
header .meta { text-align: right; font-size: 8pt; color: #44403c; }
header .clinic { font-weight: 700; font-size: 9pt; color: #1f1b18; }
.top { display: grid; grid-template-columns: 54mm 1fr; gap: 4mm; margin-bottom: 1.5mm; }
figure { margin: 0; }
.legend { list-style: none; padding: 0; margin: 0.6mm 0 0; font-size: 6.3pt; display: flex;
          flex-wrap: wrap; gap: 0.4mm 2.2mm; }
.legend li { margin: 0; display: flex; align-items: center; gap: 1.2mm; }
.legend svg { width: 4.6mm; height: 2.9mm; flex: none; }
dl { margin: 0 0 0.8mm; display: grid; grid-template-columns: auto 1fr; gap: 0.5mm 2.5mm; }
dt { font-weight: 700; }
dd { margin: 0; }
.candidates li { margin-bottom: 1mm; }
.top.dense > div { font-size: 6.3pt; }
.top.dense h2 { font-size: 8.4pt; }
.note { color: #44403c; }
.factors p { font-size: 6.9pt; }
.care .factors h3 { margin-top: 1mm; }
.care { columns: 3; column-gap: 4mm; margin-bottom: 1.4mm; }
.care h2 { column-span: all; }
.care h3:first-of-type { margin-top: 0; }
.care h3 { break-after: avoid; }
.care li { break-inside: avoid; }
.timing { font-weight: 700; color: #7f1d1d; }
.differ { font-size: 6.3pt; color: #57534e; font-style: italic; }
.src { font-size: 5.8pt; color: #78716c; }
.flags { border: 0.4mm solid #b91c1c; border-radius: 1.5mm; padding: 1.2mm 2.5mm 0.6mm; margin-bottom: 1.5mm; }
.flags h2 { color: #991b1b; border-bottom-color: #f0c7c7; }
.flags ul { columns: 2; column-gap: 5mm; padding-left: 3.4mm; font-size: 6.9pt; }
.flags li { break-inside: avoid; margin-bottom: 0.6mm; }
.urgency { font-size: 6.4pt; font-weight: 700; text-transform: uppercase; letter-spacing: 0.02em; }
.urgency-emergency { color: #b91c1c; }
.urgency-urgent { color: #c2410c; }
.urgency-see-doctor { color: #44403c; }
.act { font-weight: 600; }
footer { font-size: 6.8pt; color: #44403c; }
footer .disclaimer { font-size: 7pt; color: #1f1b18; margin-bottom: 0.6mm; }
footer .sources { font-size: 5.7pt; color: #78716c; line-height: 1.2; margin: 0; }
.error { max-width: 150mm; margin: 15mm auto; font-size: 11pt; }
.error h1 { margin-bottom: 4mm; }
.handout-map { display: grid; grid-template-columns: 1.9fr 1fr; gap: 0.5mm 1.5mm; align-items: start; }
.handout-map .map-figure-main { grid-row: 1 / span 6; }
.handout-map .map-view { max-height: 92mm; }
.handout-map .map-figure-inset .map-view { max-height: 24mm; }
.handout-map figcaption { font-size: 5.6pt; text-align: center; color: #57534e; }
.legend .swatch { overflow: visible; }
@media (prefers-color-scheme: dark) { :root { color-scheme: light; } }
"""


def esc(value) -> str:
    """Escape any text for HTML text and attribute positions (quotes included)."""
    return html.escape(str(value), quote=True)


def long_date(day: _dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --------------------------------------------------------------------------- diagram


def diagram_svg(model: Model, focus: str | None, pain: tuple[str, ...], side: str, picked: str | None = None) -> str:
    """The map, drawn by the page's own renderer (components/body_map.py) and painted for this
    handout: ``focus`` is the point whose zones are drawn, ``picked`` the one the client chose
    (a best match for marked pain is drawn with a dashed ring instead)."""
    side_word = "left" if side == "left" else "right"
    return body_map.static_map(
        model, side=side_word, selected=picked, shown=focus, pain=pain, element_id="handout-diagram",
        classes="handout-map", label=f"Diagram of the {side_word} leg and foot, with the areas that matter on this sheet",
    )


def legend(focus: str | None, pain: tuple[str, ...]) -> str:
    wanted = ["point"] + (["essential", "spillover"] if focus else []) + (["pain"] if pain else [])
    rows = "".join(f"<li>{body_map.to_markup(swatch)}{esc(text)}</li>" for swatch, text in body_map.legend_items(wanted))
    return f'<ul class="legend" aria-label="Legend">{rows}</ul>'


# --------------------------------------------------------------------------- text blocks


def point_block(model: Model, tp: str) -> str:
    point = model.trigger_points[tp]
    essential, spillover = referral.referral_summary(model, tp)
    rows = [
        ("Where", point.location),
        ("Main pain area", referral.join_names(essential) or "—"),
    ]
    if spillover:
        rows.append(("Sometimes also", referral.join_names(spillover)))
    rows.append(("Feels like", point.feels_like))
    body = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    extra = ""
    if point.note:
        extra += f'<p class="note">{esc(point.note)}</p>'
    if point.disagreement:
        extra += f'<p class="differ">Sources differ: {esc(point.disagreement)}</p>'
    return (
        f'<section class="explain" id="explanation"><h2>Your trigger point: {esc(model.point_title(tp))}</h2>'
        "<p>A trigger point is a small, tender knot in a muscle. It can send pain to other places, "
        "so where you feel the pain is not always where the problem is.</p>"
        f"<dl>{body}</dl>{extra}</section>"
    )


def pain_block(model: Model, pain: tuple[str, ...], result: referral.Trace) -> str:
    marked = referral.join_names([model.regions[r].name for r in pain])
    parts = [
        '<section class="explain" id="explanation"><h2>Where your pain may come from</h2>',
        f"<p>You marked pain in the {esc(marked)}. These trigger points (small, tender knots in a muscle "
        "that send pain elsewhere) could explain it, best match first:</p>",
    ]
    top = result.ranking[:TOP_CANDIDATES]
    if top:
        items = []
        for number, candidate in enumerate(top):
            point = model.trigger_points[candidate.trigger_point]
            title = model.point_title(point.id)
            sentence = referral.reason(model, candidate, len(pain))
            rest = sentence[len(title):] if sentence.startswith(title) else " " + sentence
            # Only the first point is drawn, so only its place is spelled out.
            where = f' <span class="note">Where it sits: {esc(point.location)}</span>' if number == 0 else ""
            items.append(f'<li data-tp-id="{esc(point.id)}"><strong>{esc(title)}</strong>{esc(rest)}{where}</li>')
        parts.append(f'<ol class="candidates">{"".join(items)}</ol>')
        parts.append("<p class=\"note\">The diagram shows the pain pattern of the first point. "
                     "This ranking is a starting point for your clinician, not a diagnosis.</p>")
    else:
        parts.append("<p><strong>None of the trigger points in this map refers pain to these areas.</strong> "
                     "Please ask your clinician about other causes.</p>")
    if result.unexplained:
        names = referral.join_names([model.regions[r].name for r in result.unexplained])
        parts.append(f'<p class="note">No point in this map explains the {esc(names)}.</p>')
    parts.append("</section>")
    return "".join(parts)


def _cite(sources) -> str:
    return f'<span class="src">[{esc(", ".join(_short_id(s) for s in sources))}]</span>'


def _short_id(source_id: str) -> str:
    """'s5' -> 'S5', 'seed-000' -> 'seed 000': the short names used in the domain notes."""
    if source_id.startswith("seed-"):
        return "seed " + source_id[5:]
    return source_id.upper()


def care_block(model: Model, focus: str | None) -> tuple[str, list[str]]:
    muscle = education.muscle_for(model, focus)
    steps = education.steps_for(model, muscle)
    cited: list[str] = []
    html_parts = ['<section class="care" id="self-care">']
    # A muscle without its own steps gets the general calf routine, and the heading says so.
    own = any(s.muscle == muscle for s in model.self_care)
    name = model.muscles[muscle].name if own and muscle in model.muscles else "calf"
    html_parts.append(f"<h2>Self-care for the {esc(name)}</h2>")
    for kind, kind_steps in education.grouped_steps(steps):
        tag = "ol" if kind in ("release", "stretch") else "ul"
        items = []
        for step in kind_steps:
            cited.extend(step.sources)
            timing = f' <span class="timing">{esc(step.timing)}.</span>' if step.timing else ""
            differ = f' <span class="differ">Sources differ: {esc(step.disagreement)}</span>' if step.disagreement else ""
            items.append(
                f'<li class="step step-{esc(step.kind)}" data-step-id="{esc(step.id)}">'
                f"<strong>{esc(step.title)}.</strong>{timing} {esc(step.instructions)}{differ} {_cite(step.sources)}</li>"
            )
        html_parts.append(f"<h3>{esc(education.KIND_HEADINGS[kind])}</h3><{tag}>{''.join(items)}</{tag}>")
    html_parts.append("</section>")
    return "".join(html_parts), cited


def factors_block(model: Model, focus: str | None) -> tuple[str, list[str]]:
    muscle = education.muscle_for(model, focus)
    factors = [f for f in model.loading_factors if f.muscle == muscle]
    if not factors:
        return "", []
    cited = [s for f in factors for s in f.sources]
    text = " ".join(esc(f.factor) for f in factors)
    return f'<section class="factors" id="loading-factors"><h3>What keeps these points active</h3><p>{text}</p></section>', cited


def flags_block(model: Model) -> tuple[str, list[str]]:
    if not model.red_flags:
        return "", []
    cited: list[str] = []
    items = []
    for flag in model.red_flags:
        cited.extend(flag.sources)
        urgency = education.URGENCY_WORDS.get(flag.urgency, flag.urgency)
        items.append(
            f'<li data-flag-id="{esc(flag.id)}"><strong>{esc(flag.condition)}</strong> '
            f'<span class="urgency urgency-{esc(flag.urgency)}">{esc(urgency)}</span>: '
            f'{esc(flag.signs)} <span class="act">{esc(flag.action)}</span></li>'
        )
    return (
        '<section class="flags" id="red-flags"><h2>Stop: see a doctor instead of self-care if…</h2>'
        f"<ul>{''.join(items)}</ul></section>",
        cited,
    )


def sources_line(model: Model, cited: list[str]) -> str:
    seen: dict[str, None] = {}
    for source in cited:
        if source in model.sources:
            seen.setdefault(source, None)
    parts = []
    for source_id in seen:
        source = model.sources[source_id]
        if source.kind == "seed":
            where = source.title.split(" (")[0].split(":")[0]
        else:
            netloc = urlsplit(source.reference).netloc or source.reference
            where = netloc.removeprefix("www.")
        parts.append(f"<b>{esc(_short_id(source_id))}</b> {esc(where)}")
    if not parts:
        return ""
    return '<p class="sources">Sources (full addresses in the app): ' + " · ".join(parts) + ".</p>"


# --------------------------------------------------------------------------- pages


def _page(title: str, body: str, status: int) -> Response:
    document = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{body_map.stylesheet()}{STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )
    return Response(document, status=status, mimetype="text/html")


def error_page(status: int, heading: str, message: str) -> Response:
    body = (
        f'<main class="error"><h1>{esc(heading)}</h1><p>{message}</p>'
        '<p><a href="/">Back to the calf pain explorer</a></p></main>'
    )
    return _page(heading, body, status)


def render_handout(model: Model, clinic_name: str, tp: str | None, pain: tuple[str, ...], side: str,
                   today: _dt.date | None = None) -> str:
    today = today or _dt.date.today()
    result = referral.trace(model, pain) if pain else None
    focus = tp or (result.ranking[0].trigger_point if result and result.ranking else None)
    cited: list[str] = []
    if tp:
        explanation = point_block(model, tp)
        point = model.trigger_points[tp]
        cited.extend(point.sources)
        if pain:
            # The chosen point leads; the marked areas are drawn in blue and named once.
            marked = referral.join_names([model.regions[r].name for r in pain])
            explanation += f'<p class="note" id="marked-pain">You also marked pain in the {esc(marked)} (blue on the diagram).</p>'
    else:
        explanation = pain_block(model, pain, result)
    if focus:
        for zone in model.zones_by_point.get(focus, ()):
            cited.extend(zone.sources)
        cited.extend(model.trigger_points[focus].sources)
    care, care_sources = care_block(model, focus)
    flags, flag_sources = flags_block(model)
    factors, factor_sources = factors_block(model, focus)
    cited.extend(factor_sources)
    cited.extend(care_sources)
    cited.extend(flag_sources)
    if tp:
        subject = model.point_title(tp)
    else:
        names = [model.regions[r].name for r in pain]
        subject = ("Pain in the " + referral.join_names(names)) if len(names) <= 2 else f"Pain in {len(names)} marked areas"
    back_query = {"tp": tp} if tp else {}
    if pain:
        back_query["pain"] = ",".join(pain)
    if side == "left":
        back_query["side"] = "left"
    back_href = "/?" + urlencode(back_query, safe=",")
    clinic = f'<div class="clinic">{esc(clinic_name)}</div>' if clinic_name else ""
    side_word = "left" if side == "left" else "right"
    # Long explanations (many marked areas) get a smaller type, so the page still fits one sheet.
    text_length = len(re.sub(r"<[^>]+>", "", explanation))
    dense = " dense" if text_length > DENSE_AFTER_CHARS else ""
    factors_length = len(re.sub(r"<[^>]+>", "", factors))
    # Beside a short explanation there is room for what keeps the points active; otherwise it
    # closes the self-care columns.
    if factors and text_length + factors_length > FACTORS_BESIDE_MAX_CHARS:
        care = care[: -len("</section>")] + factors + "</section>"
        factors = ""
    return (
        f'<p class="screen-only"><a href="{esc(back_href)}">← Back to the explorer</a> · '
        "To print, use your browser's Print command (Ctrl+P or ⌘P).</p>"
        "<header>"
        f'<div><h1>Calf pain: your trigger point guide</h1><div class="subject">{esc(subject)} · {side_word} leg</div></div>'
        f'<div class="meta">{clinic}<time datetime="{today.isoformat()}">{esc(long_date(today))}</time></div>'
        "</header>"
        f'<div class="top{dense}">'
        f'<figure id="body-map">{diagram_svg(model, focus, pain, side, picked=tp)}{legend(focus, pain)}</figure>'
        f"<div>{explanation}{factors}</div>"
        "</div>"
        f"{care}{flags}"
        f'<footer><p class="disclaimer" id="disclaimer"><strong>Please note:</strong> {esc(DISCLAIMER)}</p>'
        f"{sources_line(model, cited)}</footer>"
    )


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
                "A handout needs a trigger point (<code>/handout?tp=…</code>) or the painful areas "
                "(<code>/handout?pain=…</code>). Choose a point or mark your pain in the explorer, "
                "then use its “Print handout” link.",
            )
        if tp and tp not in model.trigger_points:
            return error_page(404, "Trigger point not found",
                              f"No trigger point called “{esc(tp)}” was found. Nothing was printed.")
        unknown = referral.unknown_regions(model, pain)
        if unknown:
            return error_page(404, "Region not found",
                              f"These areas were not found: {esc(', '.join(unknown))}. Nothing was printed.")
        title = model.point_title(tp) if tp else "Calf pain"
        body = render_handout(model, clinic_name, tp, pain, side)
        return _page(f"Handout: {title}", body, 200)
