"""The printable client handout: GET /handout?tp=<id> or ?pain=r1,r2 [&side=left].

One static HTML page with no script at all, so it prints the same with JavaScript off. It
fits one sheet of A4 or US Letter (at most 2 pages): the layout is in templates/handout.css, and
what a long sheet leaves off paper is decided by ``fit_one_sheet``. The diagram is the page's own
map (components/web/body_map.py), painted for this handout; the texts come from the same model and
the same functions as the page (``referral``, ``education``), and the link is read by the page's
own rule (``parse_query``).

The page is a Jinja2 template (components/web/templates/handout.html) with autoescaping on: every
text from the data or the URL is escaped by the template. Only the diagram's SVG, built by
``diagram_svg`` (which escapes its own texts), goes in as Markup.
"""
from __future__ import annotations

import datetime as _dt

from flask import Flask, Response, request
from markupsafe import Markup

from components.domain import education, palpation, referral

from components.web import body_map, qr
from components.domain.model import Model
from components.domain.state import HANDOUT_FIELDS, State, parse_query
from components.web.templating import TEMPLATES

MAX_QUERY_LENGTH = 2000
TOP_CANDIDATES = 3
# A point tied with more than this many others names them all only where the tie is first listed.
NAME_TIED_UP_TO = 2
# Up to this many marked areas the handout names each one (with its number, issue 17); beyond it,
# it counts them and the diagram shows which.
NAME_AREAS_UP_TO = 8
# Up to this many marked areas each likely point says which of them it explains; beyond it, how many.
LIST_AREAS_PER_POINT_UP_TO = 3
FACTORS_BESIDE_MAX_CHARS = 1500


def long_date(day: _dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --------------------------------------------------------------------------- diagram


def diagram_svg(model: Model, focus: str | None, pain: tuple[str, ...], side: str, picked: str | None = None,
                levels: dict[str, int] | None = None, tied: tuple[str, ...] = ()) -> Markup:
    """The map, drawn by the page's own renderer (components/web/body_map.py) and painted for this
    handout: ``focus`` is the point whose zones are drawn, ``picked`` the one the client chose
    (a best match for marked pain is drawn with a dashed ring instead), ``tied`` the points as
    likely as ``focus``, whose patterns are drawn too."""
    side_word = "left" if side == "left" else "right"
    views = diagram_views(model, focus, pain, tied)
    return body_map.static_map(
        model, side=side_word, selected=picked, shown=focus, pain=pain, element_id="handout-diagram", levels=levels,
        # One sheet has room for the views that matter to it, not for every view of the leg.
        only=views or None, also_shown=tied,
        classes="handout-map", label=f"Diagram of the {side_word} leg and foot, with the areas that matter on this sheet",
    )


def diagram_views(model: Model, focus: str | None, pain: tuple[str, ...], tied: tuple[str, ...] = ()) -> set[str]:
    """The views the sheet draws: those of its points, their zones and the marked areas."""
    return set().union(*(body_map.views_that_matter(model, point, pain) for point in (focus, *tied)))


def map_key(model: Model, focus: str | None, tied: tuple[str, ...] = ()) -> list:
    """The key to the numbers of the points the sheet is about. On one sheet of paper the whole key
    (the page's) would push a tie's self-care onto a third page; the other numbers are the map's
    other points, named in the app."""
    return body_map.map_key(model, points=[point for point in (focus, *tied) if point])


DISCLAIMER = (
    "This sheet educates; it does not diagnose. Other problems can cause the same pain. Follow your "
    "clinician's advice, stop any step that makes things clearly worse, and see a doctor if you notice a warning sign."
)

def legend(focus: str | None, pain: tuple[str, ...]) -> list[tuple[Markup, str]]:
    """The page's own legend entries, drawn with the map's classes."""
    wanted = (["essential", "spillover"] if focus else []) + (["pain"] if pain else []) + ["point"]
    return [(Markup(body_map.to_markup(swatch)), text) for swatch, text in body_map.legend_items(wanted)]


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
        tied_with = [referral.short_point_name(model, other) for other in result.tied_with(candidate)]
        named_before = any(item["rank"] == candidate.rank for item in items)
        if named_before and len(tied_with) > NAME_TIED_UP_TO:
            # A big tie is named in full once, on its first point; the others say how many they share it with.
            tied_with = tied_with[:1] + [f"{len(tied_with) - 1} others"]
        items.append({
            "id": point.id, "rank": candidate.rank, "title": title, "tied": result.is_tied(candidate),
            "tied_with": referral.join_names(tied_with),
            "rest": sentence[len(title):] if sentence.startswith(title) else " " + sentence,
            "palpation": palpation.NOTES.get(candidate.palpation, ""),
            # Only the first point is drawn, so only its place is spelled out.
            "where": point.location if number == 0 else "",
        })
    return items


def big_tie_context(model: Model, result: referral.Trace) -> dict | None:
    """A tie of more points than the sheet lists one by one (three scattered areas can tie nine):
    one entry that names every tied point, grouped by the marked areas they explain, instead of a
    long sentence for each of the first three. The drawing shows each one's pattern."""
    first = [c for c in result.ranking if c.rank == 1]
    if len(first) <= TOP_CANDIDATES:
        return None
    alike: dict[tuple, list[referral.Candidate]] = {}
    for candidate in first:
        alike.setdefault(candidate.explains, []).append(candidate)
    groups = []
    for explains, candidates in alike.items():
        names = referral.join_names([referral.short_point_name(model, c.trigger_point) for c in candidates])
        by_intensity = {kind: referral.join_names([model.regions[r].name for r, i in explains if i == kind])
                        for kind in (referral.ESSENTIAL, referral.SPILLOVER)}
        covers = "; ".join(words + by_intensity[kind] for kind, words in (
            (referral.ESSENTIAL, "main pain area over the "), (referral.SPILLOVER, "sometimes spreading to the "))
            if by_intensity[kind])
        groups.append({"ids": " ".join(c.trigger_point for c in candidates), "names": names[0].upper() + names[1:],
                       "covers": covers})
    counts = {len(c.explains) for c in first}
    each = referral.explained_words(counts.pop(), len(result.pain)) if len(counts) == 1 else ""
    return {"count": len(first), "each_explains": each, "groups": groups}


def big_tie_texts(big_tie: dict | None) -> list[str]:
    return [group["names"] + group["covers"] for group in big_tie["groups"]] if big_tie else []


def care_context(model: Model, muscles: list[str], checked_muscles: list[str] | None = None) -> dict:
    """The self-care of one or more muscles that share one routine; the first block also carries the
    check for every muscle that follows."""
    steps = education.steps_for(model, muscles[0])
    groups = [
        {"kind": kind, "heading": education.KIND_HEADINGS[kind], "tag": "ol" if kind in ("release", "stretch") else "ul",
         "steps": [{"id": s.id, "kind": s.kind, "title": s.title, "timing": s.timing, "instructions": s.instructions,
                    "disagreement": s.disagreement, "off_paper": False} for s in kind_steps]}
        for kind, kind_steps in education.grouped_steps(steps)
    ]
    safety = [{"id": c.id, "kind": c.kind, "word": education.SAFETY_WORDS[c.kind], "text": c.text}
              for c in education.safety_checks_for(model, *(checked_muscles or ()))]
    shared = len(muscles) > 1
    names = [model.muscles[m].name for m in muscles]
    return {"muscle": referral.join_names(names), "muscles": names, "shared": shared,
            "has_routine": education.has_routine(steps),
            "no_routine": education.NO_ROUTINE_SHARED if shared else education.NO_ROUTINE, "groups": groups,
            "safety_title": education.BEFORE_YOU_START, "safety": safety}


def said_once(cares: list[dict]) -> list[dict]:
    """A step word for word the same as one an earlier routine on the sheet gives (two fibularis
    muscles share a stretch) is named, with whose it is, not printed again."""
    seen: dict[tuple, str] = {}
    for care in cares:
        for group in care["groups"]:
            for step in group["steps"]:
                key = (step["kind"], step["title"], step["timing"], step["instructions"])
                step["same_as"] = seen.get(key, "")
                seen.setdefault(key, care["muscle"])
    return cares


def routine_of(model: Model, muscle: str) -> tuple:
    """What a client would read of a muscle's self-care: two muscles with the same are one routine."""
    return tuple((s.kind, s.title, s.timing, s.instructions) for s in education.steps_for(model, muscle))


def shared_routines(model: Model, muscles: list[str]) -> list[list[str]]:
    """The muscles a sheet gives self-care for, those with the very same routine (or none) together,
    so that a routine is printed once and says whom it serves; first appearance keeps the order."""
    together: dict[tuple, list[str]] = {}
    for muscle in muscles:
        together.setdefault(routine_of(model, muscle), []).append(muscle)
    return list(together.values())


def marked_with_levels(model: Model, pain: tuple[str, ...], levels: dict[str, int]) -> str:
    """'instep at 7 out of 10 and back of the knee': each marked area with its number where it has one."""
    return referral.join_names([model.regions[r].name + (f" at {levels[r]} out of 10" if r in levels else "")
                                for r in pain])


def visit_context(model: Model, state: State) -> dict:
    """What pressing found at the visit, in words, by finding."""
    names = {finding: referral.join_names([model.point_title(p) for p in getattr(state, palpation.PARAMETERS[finding])])
             for finding in palpation.FINDINGS}
    return {"found": names[palpation.FOUND], "tender": names[palpation.TENDER],
            "not_found": names[palpation.NOT_FOUND]}


def care_muscles(model: Model, state: State, focus_muscle: str) -> list[str]:
    """Self-care for the muscles of the points found at the visit first, then the focus's muscle."""
    found = [model.trigger_points[p].muscle for p in state.found]
    return list(dict.fromkeys(found + [focus_muscle]))


def flags_context(model: Model, raised: tuple[str, ...] = ()) -> list[dict]:
    """Every warning sign. One sheet (two sides at 10 pt) has room to spell out the signs and the action
    only of the emergencies and of the signs this sheet's areas raise; any other sign is ``brief``: named
    under its urgency, whose heading says what to do (education.URGENCY_ACTIONS). Every sign named
    briefly can escalate only into an emergency that is printed in full; the app has them all."""
    return [{"id": f.id, "name": f.name, "urgency": f.urgency, "urgency_word": education.urgency_word(f.urgency),
             "signs": f.signs, "action": f.action,
             "brief": f.urgency != "emergency" and f.id not in raised}
            for f in model.red_flags]


def flag_groups(flags: list[dict]) -> list[dict]:
    """The warning signs grouped by urgency, in the data's order (emergencies first): the urgency is
    said once, as the group's heading, not beside each of the signs. In a group, the signs spelled out
    come first, then the brief ones, named in one run under the urgency's action."""
    groups: list[dict] = []
    for flag in flags:
        if not groups or groups[-1]["urgency"] != flag["urgency"]:
            groups.append({"urgency": flag["urgency"], "word": flag["urgency_word"], "flags": [], "brief": [],
                           "brief_action": education.URGENCY_ACTIONS.get(flag["urgency"], "")})
        groups[-1]["brief" if flag["brief"] else "flags"].append(flag)
    return groups


def _text_length(point: dict | None, candidates: list[dict], notes: list[str]) -> int:
    """About how much text sits beside the diagram, to choose a smaller type for long explanations."""
    if point:
        return 300 + sum(len(a) + len(b) for a, b in point["facts"]) + len(point["note"]) + len(point["disagreement"])
    return 200 + sum(len(c["title"]) + len(c["rest"]) + len(c["where"]) for c in candidates) + sum(map(len, notes))


# One sheet, two sides (the contract): at 10 pt, about this many characters of text fit around the
# drawing on two sides of US Letter (the shorter paper) with 8 mm margins, measured in Chromium on the
# sheets of tests/browser/test_handout_print.py. A longer sheet leaves things off paper, in this order,
# until it fits; each stays on screen and in the app, and the paper says what it left off. Never the
# check before self-care, the first point's routine (in a big tie, every tied point's, each with one way
# to release it), an emergency or a raised sign: a clinician would rather a client read why the points
# flare up and the night-cramp advice in the app than lose those.
PRINT_BUDGET_CHARS = 7300
BESIDE_THE_DRAWING_CHARS = 1200
OFF_PAPER_ORDER = (
    ("factors", "what keeps these points active"),
    ("cramps", "advice for night cramps"),
    # Only a big tie (three scattered areas can tie nine points) gets here: every tied point's
    # routine prints, each with one way to release it; the other ways are in the app.
    ("other releases", "other ways to release the "),
)
CRAMP_KINDS = ("cramp-relief", "cramp-prevention")


def printed_length(context: dict) -> int:
    """About how many characters the sheet prints, what it leaves off paper not counted; an explanation
    as long as the drawing is tall sits beside it, taking no room of its own."""
    explanation = _text_length(context["point"], context["candidates"] or [],
                               [context["together"], context["marked"], *big_tie_texts(context["big_tie"])])
    explanation += sum(len(f["name"]) + len(f["because"]) for f in context["raised"])
    explanation += sum(len(e["name"]) + len(e["kind_word"]) + len(e["because"]) for e in context["elsewhere"])
    explanation += sum(len(text) + 40 for text in context["visit"].values() if text)
    length = max(0, explanation - BESIDE_THE_DRAWING_CHARS)
    for care in context["cares"]:
        if care["off_paper"]:
            continue
        length += 60 + sum(len(check["text"]) + 12 for check in care["safety"])
        length += sum(40 + sum(len(s["title"]) + 10 + (0 if s["same_as"] else len(s["timing"]) + len(s["instructions"]))
                               for s in group["steps"] if not s["off_paper"])
                      for group in care["groups"] if not group["off_paper"])
    if not context["factors_off_paper"]:
        length += sum(map(len, context["factors"]))
    length += sum(len(f["name"]) + 4 + (0 if f["brief"] else len(f["signs"]) + len(f["action"]))
                  for group in context["flag_groups"] for f in group["flags"] + group["brief"])
    return length


def fit_one_sheet(context: dict) -> dict:
    """Leave things off paper, in OFF_PAPER_ORDER, until the sheet's text fits PRINT_BUDGET_CHARS."""
    context.update(factors_off_paper=False, off_paper=[])
    for care in context["cares"]:
        care["off_paper"] = False
        for group in care["groups"]:
            group["off_paper"] = False
            for step in group["steps"]:
                step["off_paper"] = False
    for part, words in OFF_PAPER_ORDER:
        # A big tie prints every tied point's routine: such a sheet always leaves these off.
        if printed_length(context) <= PRINT_BUDGET_CHARS and not context["compact_cares"]:
            break
        if part == "factors" and context["factors"]:
            context["factors_off_paper"] = True
        elif part == "cramps":
            groups = [g for care in context["cares"] for g in care["groups"] if g["kind"] in CRAMP_KINDS]
            for group in groups:
                group["off_paper"] = True
            if not groups:
                continue
        elif part == "other releases" and context["compact_cares"]:
            left_off = []
            for care in context["cares"]:
                for group in care["groups"]:
                    if group["kind"] == "release" and len(group["steps"]) > 1:
                        for step in group["steps"][1:]:
                            step["off_paper"] = True
                        left_off.extend(care["muscles"])
            if not left_off:
                continue
            words += referral.join_names(left_off)
        else:
            continue
        context["off_paper"].append(words)
    return context


def handout_context(model: Model, clinic_name: str, tp: str | None, pain: tuple[str, ...], side: str,
                    today: _dt.date, state: State | None = None, base_url: str = "") -> dict:
    state = state or State(tp=tp, pain=pain, side=side)
    result = referral.trace(model, pain, state.palpation()) if pain else None
    # A point found at the visit is the one the sheet is about, when no point was chosen.
    focus = tp or (result.ranking[0].trigger_point if result and result.ranking else None) \
        or (state.found[0] if state.found else None)
    # Points as likely as the best one: each gets its pattern on the drawing and its own self-care.
    tied = () if tp or not result else tuple(c.trigger_point for c in result.ranking[1:] if c.rank == 1)
    muscles = care_muscles(model, state, education.muscle_for(model, focus))
    muscles = list(dict.fromkeys(muscles + [education.muscle_for(model, point) for point in tied]))
    muscle = muscles[0]
    levels = dict(state.intensity)
    cited: list[str] = []
    point = candidates = big_tie = None
    together = unexplained = ""
    elsewhere = []
    raised = []
    raised_reasons: dict[str, list[dict]] = {}
    marked = marked_with_levels(model, pain, levels)
    count_marked = len(pain) > NAME_AREAS_UP_TO
    if tp:
        point = point_context(model, tp)
        subject = model.point_title(tp)
    else:
        big_tie = big_tie_context(model, result)
        # A big tie is named in one entry; the sheet lists no point one by one beside it.
        candidates = [] if big_tie else candidates_context(model, result)
        if len(pain) > LIST_AREAS_PER_POINT_UP_TO:
            # With many marked areas each point's list of them would fill the sheet (the sheet names
            # them once, with their numbers, and the diagram shows them), so each point says how many
            # it explains.
            for c in candidates:
                head, colon, _ = c["rest"].partition(":")
                if colon:
                    c["rest"] = head + "."
        together = referral.together_sentence(model, result) or ""
        unexplained = referral.join_names([model.regions[r].name for r in result.unexplained])
        elsewhere = [{"region": e.region, "id": e.cause.id, "kind": e.cause.kind, "because": e.because,
                      "kind_word": education.CAUSE_KIND_WORDS[e.cause.kind].lower(),
                      "name": e.cause.name[0].upper() + e.cause.name[1:], "note": e.note} for e in result.elsewhere]
        cited.extend(s for e in result.elsewhere for s in e.sources)
        raised = [{"id": r.flag.id, "name": r.flag.name, "urgency": r.flag.urgency,
                   "urgency_word": education.urgency_word(r.flag.urgency), "because": r.because,
                   "action": r.flag.action} for r in result.red_flags]
        # Signs raised for one reason (the S1 strip raises three) share one line: the reason is said once.
        raised_reasons = {}
        for flag in raised:
            raised_reasons.setdefault(flag["because"], []).append(flag)
        # An off-map cause raised by the same reason as a warning sign (the S1 strip: sciatica) does not say it again.
        for entry in elsewhere:
            if entry["because"] in raised_reasons:
                entry["because"] = ""
        names = [model.regions[r].name for r in pain]
        subject = ("Pain in the " + referral.join_names(names)) if len(names) <= 2 else f"Pain in {len(names)} marked areas"
    if focus:
        cited.extend(model.trigger_points[focus].sources)
        cited.extend(s for zone in model.zones_by_point.get(focus, ()) for s in zone.sources)
    factors = [f for f in model.loading_factors if f.muscle in muscles]
    cited.extend(s for f in factors for s in f.sources)
    cited.extend(s for m in muscles for step in education.steps_for(model, m) for s in step.sources)
    cited.extend(s for check in education.safety_checks_for(model, *muscles) for s in check.sources)
    if state.palpation():
        cited.extend(palpation.SOURCES)
    # The warning signs' own sources are listed in the app, beside each sign; one sheet has no room for them.
    cited.extend(education.EVIDENCE_SOURCES)
    text_length = _text_length(point, candidates or [], [together, *big_tie_texts(big_tie)] + [e["note"] for e in elsewhere])
    factor_texts = [f.factor for f in factors]
    # The link back to the interactive map with the same state, by the state's own rule.
    back_href = "/" + (state.handout_state().query() or "")
    back_url = base_url + back_href
    # Headed by the marked areas' part of the body ("Heel and foot pain", not always "Calf pain");
    # a point alone is named by where its main pain is felt.
    part = referral.body_part_words(model, pain or referral.main_regions(model, tp))
    return fit_one_sheet({
        "title": f"Handout: {model.point_title(tp) if tp else part + ' pain'}",
        "heading": f"{part} pain: your trigger point guide", "raised": raised,
        "raised_reasons": [{"because": because, "flags": flags} for because, flags in raised_reasons.items()],
        "raised_title": education.RAISED_FLAGS_TITLE, "elsewhere_lead": education.ELSEWHERE_LEAD,
        "back_href": back_href, "back_url": back_url,
        "back_qr": qr.qr_svg(back_url, css_class="back-qr", title="QR code: this sheet's map, to open on a phone")
        if base_url else None,
        "visit": visit_context(model, state),
        "subject": subject, "side_word": "left" if side == "left" else "right",
        "clinic_name": clinic_name, "today_iso": today.isoformat(), "today_long": long_date(today),
        "diagram": diagram_svg(model, focus, pain, side, picked=tp, levels=levels, tied=tied),
        "legend": legend(focus, pain), "tied": len(tied) > 0, "map_key": map_key(model, focus, tied),
        "map_css": Markup(body_map.stylesheet()),
        "point": point, "marked": marked, "marked_count": len(pain), "candidates": candidates, "together": together,
        "big_tie": big_tie, "compact_cares": big_tie is not None, "unexplained": unexplained, "elsewhere": elsewhere,
        # Beside a short explanation there is room for what keeps the points active; otherwise it
        # closes the self-care columns.
        "factors": factor_texts,
        "factors_beside": text_length + sum(map(len, factor_texts)) <= FACTORS_BESIDE_MAX_CHARS,
        # Found points' muscles first, then the tied points'; the first block carries the check for all.
        "cares": said_once([care_context(model, group, muscles if number == 0 else None)
                            for number, group in enumerate(shared_routines(model, muscles))]),
        "flags": flags_context(model), "flag_groups": flag_groups(flags_context(model, tuple(r["id"] for r in raised))),
        "count_marked": count_marked,
        "disclaimer": DISCLAIMER, "caveat": education.EVIDENCE_CAVEAT,
        "caveat_sources": education.source_names(model, education.EVIDENCE_SOURCES),
        "sources": list(dict.fromkeys(model.source_short_name(s) for s in cited if s in model.sources)),
    })


# --------------------------------------------------------------------------- pages


def render_handout(model: Model, clinic_name: str, tp: str | None, pain: tuple[str, ...], side: str,
                   today: _dt.date | None = None, state: State | None = None, base_url: str = "") -> str:
    context = handout_context(model, clinic_name, tp, pain, side, today or _dt.date.today(), state, base_url)
    return TEMPLATES.get_template("handout.html").render(**context)


def error_page(status: int, heading: str, message: str | Markup) -> Response:
    page = TEMPLATES.get_template("handout_error.html").render(title=heading, heading=heading, message=message)
    return Response(page, status=status, mimetype="text/html")


def register_handout(server: Flask, model: Model, clinic_name: str = "") -> None:
    @server.get("/handout")
    def handout():
        if sum(len(value) for values in request.args.listvalues() for value in values) > MAX_QUERY_LENGTH:
            return error_page(400, "Request too long", "The link is too long to be a handout link.")
        # The page's own rule (components/domain/state.py) decides what a link means, so a link the
        # page accepts prints, and one it refuses does not.
        cleaned = parse_query(model, request.args, fields=HANDOUT_FIELDS)
        state = cleaned.state
        if cleaned.ignored:
            return error_page(404, "Not found", "This link does not match the map: " + "; ".join(cleaned.ignored)
                              + ". Nothing was printed.")
        if not state.tp and not state.pain:
            return error_page(
                400, "Which handout?",
                Markup("A handout needs a trigger point (<code>/handout?tp=…</code>) or the painful areas "
                       "(<code>/handout?pain=…</code>). Choose a point or mark your pain in the explorer, "
                       "then use its “Print handout” link."),
            )
        tp, pain, side = state.tp, state.pain, state.side
        base = qr.public_base(server.config.get(qr.CONFIG_KEY), request.root_url)
        return Response(render_handout(model, clinic_name, tp, pain, side, state=state, base_url=base),
                        status=200, mimetype="text/html")
