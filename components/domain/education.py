"""Client education: self-care steps with timings, what keeps points active, and the red flags.

The red flags are part of every block that shows self-care, here and on the handout, so
that nobody reads a self-care step without the signs that rule it out.
"""
from __future__ import annotations

from dash import html

from components.domain.model import Model, SafetyCheck, SelfCareStep

DEFAULT_MUSCLE = "gastrocnemius"
NO_ROUTINE = "No home routine for this muscle: ask your therapist."
NO_ROUTINE_SHARED = "No home routine for these muscles: ask your therapist."
KIND_HEADINGS = {
    "release": "Release the point",
    "stretch": "Then stretch gently",
    "cramp-relief": "During a night cramp",
    "cramp-prevention": "Preventing night cramps",
    "caution": "Take care",
}
# The evidence caveat, said once wherever sources are ranked, with the sources that support it.
EVIDENCE_CAVEAT = (
    "How sure can this be? Examiners who feel for trigger points agree only moderately on where they are "
    "(kappa about 0.45), and the same point can send pain to slightly different places in different people."
)
EVIDENCE_SOURCES = ("s100", "s101")
URGENCY_WORDS = {"emergency": "Emergency", "urgent": "Urgent", "see-doctor": "See a doctor"}
# What every warning sign of an urgency asks for, in the words their actions share (data/red_flags.csv):
# the handout names a sign its areas do not raise under this line, without its own action. An
# emergency always gives its own action.
URGENCY_ACTIONS = {
    "urgent": "Get seen today (an urgent GP appointment, or call 111) if you may have",
    # A doctor can see to every sign of this urgency; a physiotherapist only to some of them.
    "see-doctor": "See a doctor soon if you may have",
}
BEFORE_YOU_START = "Before you start"
# The words of the self-care section, here once for the server's panel and the page's own (offline).
SELF_CARE_TITLE = "Self-care for the {name}"
FACTORS_TITLE = "What keeps these points active"
SOURCES_DIFFER = "Sources differ: "
SOURCE_LINE = "Source: "
RED_FLAGS_HEADING = "Stop and see a doctor first if…"
SAFETY_WORDS = {"stop": "Stop", "ask-first": "Ask first"}
# What an off-map cause is, said beside its name on the page and the handout; never a diagnosis.
CAUSE_KIND_WORDS = {"condition": "Not a trigger point", "muscle": "A muscle off this map"}
ELSEWHERE_LEAD = "This map cannot tell these apart from a trigger point: a doctor or physiotherapist can."
RAISED_FLAGS_TITLE = "Check these warning signs first"
# What the page's second live region says before the names of the warning signs the marked areas raise.
RAISED_FLAGS_SAID = "Warning signs to check first for these areas: "


def muscle_for(model: Model, focus: str | None) -> str:
    if focus and focus in model.trigger_points:
        return model.trigger_points[focus].muscle
    return DEFAULT_MUSCLE if DEFAULT_MUSCLE in model.muscles else next(iter(model.muscles))


def steps_for(model: Model, muscle: str) -> list[SelfCareStep]:
    """The muscle's own sourced steps, and only those: a routine never carries over to another muscle."""
    return [s for s in model.self_care if s.muscle == muscle]


def safety_checks_for(model: Model, *muscles: str) -> list[SafetyCheck]:
    """The "Before you start" lines for these muscles' areas, each once, in order."""
    return [check for check in model.safety_checks if any(muscle in check.muscles for muscle in muscles)]


def safety_block(model: Model, muscle: str, block_id: str = "before-you-start") -> html.Section | None:
    """The check that comes before any self-care step: signs and situations that rule pressing out."""
    checks = safety_checks_for(model, muscle)
    if not checks:
        return None
    title_id = f"{block_id}-title"
    items = [
        html.Li([html.Span(SAFETY_WORDS[check.kind], className=f"safety-kind safety-{check.kind}"), " ", check.text,
                 html.Span(" " + SOURCE_LINE + source_names(model, check.sources), className="technical check-source")],
                className=f"safety-check safety-check-{check.kind}", **{"data-check-id": check.id})
        for check in checks
    ]
    return html.Section([html.H3(BEFORE_YOU_START, id=title_id), html.Ul(items)],
                        className="before-you-start", id=block_id, **{"aria-labelledby": title_id})


def has_routine(steps: list[SelfCareStep]) -> bool:
    """Cautions alone are not a home routine."""
    return any(step.kind != "caution" for step in steps)


def source_names(model: Model, source_ids) -> str:
    """Readable short names for a citation line: 'Niel Asher Education, NHS'."""
    return ", ".join(dict.fromkeys(model.source_short_name(s) for s in source_ids))


def urgency_word(urgency: str) -> str:
    return URGENCY_WORDS.get(urgency, urgency)


def grouped_steps(steps: list[SelfCareStep]) -> list[tuple[str, list[SelfCareStep]]]:
    groups: dict[str, list[SelfCareStep]] = {}
    for step in steps:
        groups.setdefault(step.kind, []).append(step)
    return [(kind, groups[kind]) for kind in KIND_HEADINGS if kind in groups]


def step_item(model: Model, step: SelfCareStep) -> html.Li:
    parts = [html.Strong(step.title)]
    if step.timing:
        parts.append(html.Span(step.timing, className="timing"))
    parts.append(html.P(step.instructions))
    if step.disagreement:
        parts.append(html.P([html.Strong(SOURCES_DIFFER), step.disagreement], className="disagreement"))
    parts.append(html.P(SOURCE_LINE + source_names(model, step.sources), className="technical step-source"))
    return html.Li(parts, className=f"step step-{step.kind}", **{"data-step-id": step.id})


def red_flag_item(model: Model, flag) -> html.Li:
    # An emergency leads with what to do now, before the signs.
    action = html.P(flag.action, className="flag-action")
    body = [action, html.P(flag.signs)] if flag.urgency == "emergency" else [html.P(flag.signs), action]
    return html.Li(
        [html.Strong(flag.name), html.Span(urgency_word(flag.urgency), className=f"urgency urgency-{flag.urgency}"),
         *body, html.P(SOURCE_LINE + source_names(model, flag.sources), className="technical flag-source")],
        className=f"red-flag red-flag-{flag.urgency}", **{"data-flag-id": flag.id},
    )


def red_flags_block(model: Model) -> html.Section:
    items = [red_flag_item(model, flag) for flag in model.red_flags]
    return html.Section(
        [html.H2(RED_FLAGS_HEADING, id="red-flags-title"), html.Ul(items)],
        className="red-flags", id="red-flags", **{"aria-labelledby": "red-flags-title"},
    )


def education_panel(model: Model, focus: str | None) -> html.Section:
    muscle = muscle_for(model, focus)
    steps = steps_for(model, muscle)
    name = model.muscles[muscle].name if muscle in model.muscles else "calf"
    factors = [f for f in model.loading_factors if f.muscle == muscle]
    blocks = [html.H2(SELF_CARE_TITLE.format(name=name), id="self-care-title")]
    # The check stands above the first step, never after it.
    check = safety_block(model, muscle)
    if check is not None:
        blocks.append(check)
    if model.muscles.get(muscle):
        blocks.append(html.P(model.muscles[muscle].summary, className="muscle-summary"))
    if factors:
        blocks.append(html.H3(FACTORS_TITLE))
        blocks.append(html.Ul([html.Li(f.factor) for f in factors], className="factors"))
    if not has_routine(steps):
        blocks.append(html.P(NO_ROUTINE, className="no-routine", id="no-routine"))
    for kind, kind_steps in grouped_steps(steps):
        blocks.append(html.H3(KIND_HEADINGS[kind]))
        tag = html.Ol if kind in ("release", "stretch") else html.Ul
        blocks.append(tag([step_item(model, s) for s in kind_steps], className=f"steps steps-{kind}"))
    return html.Section(
        [html.Div(blocks, className="self-care", id="self-care"), red_flags_block(model)],
        className="education", id="education", **{"aria-labelledby": "self-care-title"},
    )
