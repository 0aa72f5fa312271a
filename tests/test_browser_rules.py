"""The page says each ranked point's reason and the warning signs that the marked areas raise from
its own data (before Dash has loaded, and offline): assets/explorer/ranking.js applies Python's
rules (referral.reason, referral.raised_flags) to referral.browser_table. These tests run that
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
from components.web.first_paint import EXPLORER_FOLDER, page_texts, ranking_table
from components.web.offline import ROOT
from components.domain.referral import MIN_STRIP_AREAS, reason, trace

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs node to run the page's script")
MODEL = load_model(DEFAULT_DATA_DIR)
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
process.stdout.write(JSON.stringify(input.maps.map(pain => [
  rules.rank(pain, new Map()).map(c => [c.tp, rules.reason(c, pain.length)]),
  rules.raisedFlags(pain).map(flag => [flag.id, flag.because])])));
"""


def pain_maps() -> list[list[str]]:
    regions = list(MODEL.regions)
    maps = [[r] for r in regions] + [list(p) for p in permutations(regions, 2)]
    maps += [list(c) for c in combinations(regions, 3)]
    for root in MODEL.nerve_roots.values():
        strip = list(root.regions)
        maps += [list(c) for size in range(MIN_STRIP_AREAS, len(strip) + 1) for c in combinations(strip, size)]
        maps += [strip + [r] for r in regions if r not in strip]
    return maps


def python_says(pain: list[str]) -> list:
    result = trace(MODEL, pain)
    return [[[c.trigger_point, reason(MODEL, c, len(result.pain))] for c in result.ranking],
            [[raised.flag.id, raised.because] for raised in result.red_flags]]


@pytest.fixture(scope="module")
def both():
    maps = pain_maps()
    page = {"ranking": ranking_table(MODEL), "texts": page_texts(MODEL)}
    run = subprocess.run([NODE, "-e", RUNNER], input=json.dumps({"page": page, "maps": maps,
                                                                  "scripts": [str(s) for s in SCRIPTS]}),
                         capture_output=True, text=True, check=True, timeout=120)
    return maps, [python_says(pain) for pain in maps], json.loads(run.stdout)


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
