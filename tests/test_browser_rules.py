"""The page says each ranked point's reason, the warning signs that the marked areas raise and the notes
around the ranking (the points that together explain the pain, the areas no point explains, the causes
off this map) from its own data (before Dash has loaded, and offline): assets/explorer/ranking.js applies
Python's rules (referral.reason, raised_flags, together, together_sentence, followed_nerve_roots,
off_map_causes) to referral.browser_table. These tests run that
script in Node, on the very JSON the page embeds, and prove it says what Python says on every pain
map of one area, every ordered pair, every three areas, and every map of three or more areas along
each nerve root's strip (with and without one area off the strip): about 14,000 maps, in seconds.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from itertools import combinations, permutations

import pytest

from components.domain.data import DEFAULT_DATA_DIR, load_model
from components.domain import education
from components.domain.model import Model
from components.domain.state import State, focus_point
from components.web.first_paint import EXPLORER_FOLDER, page_texts
from components.web.offline import ROOT
from components.domain.referral import MIN_STRIP_AREAS, browser_table, reason, together_sentence, trace
from tests.conftest import UNEXPLAINED, without_referrals

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs node to run the page's script")
MODEL = load_model(DEFAULT_DATA_DIR)
# Chosen points for the muscle in view, beside the marked pain: one of each muscle.
POINTS = list({point.muscle: point_id for point_id, point in reversed(MODEL.trigger_points.items())}.values())
# The scripts the rules need, in the page's order, run with just enough of a page around them.
SCRIPTS = [ROOT / "assets" / EXPLORER_FOLDER / name for name in ("state.js", "ranking.js")]
RUNNER = r"""
const fs = require("fs"), vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const initial = JSON.stringify(input.page);
global.window = { location: { search: "" }, history: { state: null } };
global.document = { getElementById: () => ({ textContent: initial, getAttribute: () => "" }) };
for (const file of input.scripts) vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file });
const rules = window.calfMap.ranking;
process.stdout.write(JSON.stringify(input.maps.map(pain => {
  const ranked = rules.rank(pain, new Map(Object.entries(input.findings[pain.join()] || {})));
  const together = rules.together(ranked);
  return [ranked.map(c => [c.tp, rules.reason(c, pain.length)]),
          rules.raisedFlags(pain).map(flag => [flag.id, flag.because]),
          [together, rules.togetherSentence(pain, ranked, together), rules.unexplained(pain),
           rules.offMapCauses(pain).map(cause => [cause.id, cause.regions, cause.because]), rules.nerveRoots(pain)],
          [rules.muscleInView(null, ranked)].concat(input.points.map(tp => rules.muscleInView(tp, ranked)))];
})));
"""


def pain_maps(model: Model) -> list[list[str]]:
    regions = list(model.regions)
    maps = [[r] for r in regions] + [list(p) for p in permutations(regions, 2)]
    maps += [list(c) for c in combinations(regions, 3)]
    for root in model.nerve_roots.values():
        strip = list(root.regions)
        maps += [list(c) for size in range(MIN_STRIP_AREAS, len(strip) + 1) for c in combinations(strip, size)]
        maps += [strip + [r] for r in regions if r not in strip]
    return maps


def python_says(model: Model, pain: list[str], findings: dict[str, str] | None = None) -> list:
    result = trace(model, pain, findings)
    return [[[c.trigger_point, reason(model, c, len(result.pain))] for c in result.ranking],
            [[raised.flag.id, raised.because] for raised in result.red_flags],
            [list(result.together), together_sentence(model, result), list(result.unexplained),
             [[hit.cause.id, list(hit.regions), hit.because] for hit in result.elsewhere], list(result.nerve_roots)],
            [education.muscle_for(model, focus_point(State(tp=tp, pain=result.pain), result.ranking))
             for tp in (None, *POINTS)]]


def pressed_not_found(model: Model, maps: list[list[str]]) -> dict[str, dict[str, str]]:
    """For every seventh map of two or more areas, its best point pressed and not found: ``together``
    leaves such a point out, so the set that explains the pain changes."""
    findings = {}
    for pain in maps[::7]:
        ranking = trace(model, pain).ranking
        if len(pain) > 1 and ranking:
            findings[",".join(pain)] = {ranking[0].trigger_point: "not-found"}
    return findings


def node_and_python(model: Model, maps: list[list[str]]) -> tuple:
    """What the page's script and what Python say of each map, with the model's own page data."""
    findings = pressed_not_found(model, maps)
    page = {"ranking": browser_table(model), "texts": page_texts(model)}
    run = subprocess.run([NODE, "-e", RUNNER], input=json.dumps({"page": page, "maps": maps, "findings": findings,
                                                                  "points": POINTS,
                                                                  "scripts": [str(s) for s in SCRIPTS]}),
                         capture_output=True, text=True, check=True, timeout=120)
    return maps, [python_says(model, pain, findings.get(",".join(pain))) for pain in maps], json.loads(run.stdout)


@pytest.fixture(scope="module")
def both():
    return node_and_python(MODEL, pain_maps(MODEL))


def test_brw001_the_page_gives_each_ranked_point_pythons_reason(both):
    maps, python, browser = both
    differences = [(pain, said[0], got[0]) for pain, said, got in zip(maps, python, browser) if said[0] != got[0]]
    assert not differences, f"{len(differences)} of {len(maps)} pain maps, e.g. {differences[:2]}"
    reasons = [text for said in python for _, text in said[0]]
    # The maps exercise every part of the sentence.
    for words in ("its main pain area covers", "it sometimes spreads to", "It does not account for",
                  "your one marked area", "both marked areas", "all 3 marked areas", " of your 3 marked areas"):
        assert any(words in text for text in reasons), words


def test_brw002_the_page_raises_pythons_warning_signs_with_their_reasons(both):
    maps, python, browser = both
    differences = [(pain, said[1], got[1]) for pain, said, got in zip(maps, python, browser) if said[1] != got[1]]
    assert not differences, f"{len(differences)} of {len(maps)} pain maps, e.g. {differences[:2]}"
    raised = {flag for said in python for flag, _ in said[1]}
    by_root = {because for said in python for _, because in said[1]} & {r.because for r in MODEL.nerve_roots.values()}
    assert by_root == {r.because for r in MODEL.nerve_roots.values()}, "every nerve root's strip raises its signs"
    assert raised >= {flag.id for flag in MODEL.red_flags if flag.raised_by or flag.nerve_root}
    assert any(not said[1] for said in python), "and some maps raise none"


def test_brw003_the_page_gives_pythons_notes_around_the_ranking(both):
    """Together (with a point pressed and not found left out), its sentence, the unexplained areas, the
    causes off this map (with the areas each covers and a nerve root's reason) and the followed roots."""
    maps, python, browser = both
    differences = [(pain, said[2], got[2]) for pain, said, got in zip(maps, python, browser) if said[2] != got[2]]
    assert not differences, f"{len(differences)} of {len(maps)} pain maps, e.g. {differences[:2]}"
    notes = [said[2] for said in python]
    # The maps exercise every branch of every rule.
    assert any(len(together) == 1 for together, *_ in notes) and any(len(together) == 3 for together, *_ in notes)
    assert any(sentence and "all 3 marked areas" in sentence for _, sentence, *_ in notes)
    assert any(sentence and " of the " in sentence for _, sentence, *_ in notes), "a set that cannot explain all"
    causes = [cause for *_, elsewhere, _ in notes for cause in elsewhere]
    assert {cause_id for cause_id, *_ in causes} == set(MODEL.elsewhere), "every cause off the map is named"
    assert any(because for *_, because in causes) and any(len(regions) > 1 for _, regions, _ in causes)
    assert {root for *_, roots in notes for root in roots} == set(MODEL.nerve_roots)


def test_brw004_the_page_says_which_areas_no_point_explains(tmp_path):
    """The shipped data explains every area: on a copy where one area is in no zone, Node and Python
    agree on every note (the area unexplained, its causes off the map) on every map with that area."""
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    model = load_model(without_referrals(data))
    maps = [pain for pain in pain_maps(model) if UNEXPLAINED in pain]
    maps, python, browser = node_and_python(model, maps)
    assert [got for got in browser] == python
    assert all(said[2][2] == [UNEXPLAINED] for said in python)
    assert any(said[2][1] for said in python), "with a together sentence beside it"


def test_brw005_the_page_shows_the_self_care_of_pythons_muscle_in_view(both):
    """The chosen point's muscle, else the best match's for the marked pain (education.muscle_for of
    state.focus_point), on every map, with no point chosen and with one point of each muscle chosen."""
    maps, python, browser = both
    differences = [(pain, said[3], got[3]) for pain, said, got in zip(maps, python, browser) if said[3] != got[3]]
    assert not differences, f"{len(differences)} of {len(maps)} pain maps, e.g. {differences[:2]}"
    assert {said[3][0] for said in python} > {education.muscle_for(MODEL, None)}, "the best match's muscle, not the default"
    assert set(python[0][3][1:]) == set(MODEL.muscles)
