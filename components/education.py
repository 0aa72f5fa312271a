"""Client education: self-care steps with timings, what keeps points active, and the red flags.

The red flags are part of every block that shows self-care, here and on the handout, so
that nobody reads a self-care step without the signs that rule it out.
"""
from __future__ import annotations

from dash import html

from components.model import Model, SelfCareStep

DEFAULT_MUSCLE = "gastrocnemius"
KIND_HEADINGS = {
    "release": "Release the point",
    "stretch": "Then stretch gently",
    "cramp-relief": "During a night cramp",
    "cramp-prevention": "Preventing night cramps",
    "caution": "Take care",
}
URGENCY_WORDS = {"emergency": "Emergency", "urgent": "Urgent", "see-doctor": "See a doctor"}


def muscle_for(model: Model, focus: str | None) -> str:
    if focus and focus in model.trigger_points:
        return model.trigger_points[focus].muscle
    return DEFAULT_MUSCLE if DEFAULT_MUSCLE in model.muscles else next(iter(model.muscles))


def steps_for(model: Model, muscle: str) -> list[SelfCareStep]:
    """The muscle's own steps; a muscle without any falls back to the general gastrocnemius routine."""
    own = [s for s in model.self_care if s.muscle == muscle]
    return own or [s for s in model.self_care if s.muscle == DEFAULT_MUSCLE]


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
        parts.append(html.P([html.Strong("Sources differ: "), step.disagreement], className="disagreement"))
    parts.append(html.P("Source: " + ", ".join(_source_names(model, step.sources)), className="technical step-source"))
    return html.Li(parts, className=f"step step-{step.kind}", **{"data-step-id": step.id})


def _source_names(model: Model, source_ids) -> list[str]:
    return [model.sources[s].reference.rsplit("/", 1)[-1] if model.sources[s].kind == "seed" else model.sources[s].reference
            for s in source_ids]


def red_flags_block(model: Model) -> html.Section:
    items = [
        html.Li(
            [html.Strong(flag.condition), html.Span(URGENCY_WORDS[flag.urgency], className=f"urgency urgency-{flag.urgency}"),
             html.P(flag.signs), html.P(flag.action, className="flag-action")],
            className="red-flag", **{"data-flag-id": flag.id},
        )
        for flag in model.red_flags
    ]
    return html.Section(
        [html.H2("Stop and see a doctor first if…", id="red-flags-title"), html.Ul(items)],
        className="red-flags", id="red-flags", **{"aria-labelledby": "red-flags-title"},
    )


def education_panel(model: Model, focus: str | None) -> html.Section:
    muscle = muscle_for(model, focus)
    steps = steps_for(model, muscle)
    name = model.muscles[muscle].name if muscle in model.muscles else "calf"
    factors = [f for f in model.loading_factors if f.muscle == muscle]
    blocks = [html.H2(f"Self-care for the {name}", id="self-care-title")]
    if model.muscles.get(muscle):
        blocks.append(html.P(model.muscles[muscle].summary, className="muscle-summary"))
    if factors:
        blocks.append(html.H3("What keeps these points active"))
        blocks.append(html.Ul([html.Li(f.factor) for f in factors], className="factors"))
    for kind, kind_steps in grouped_steps(steps):
        blocks.append(html.H3(KIND_HEADINGS[kind]))
        tag = html.Ol if kind in ("release", "stretch") else html.Ul
        blocks.append(tag([step_item(model, s) for s in kind_steps], className=f"steps steps-{kind}"))
    return html.Section(
        [html.Div(blocks, className="self-care", id="self-care"), red_flags_block(model)],
        className="education", id="education", **{"aria-labelledby": "self-care-title"},
    )
