"""What the therapist's hands found when pressing a trigger point, and how that re-ranks the answer.

The rule (data/README.md, "What pressing found", says the same with its sources):

- FOUND: pressing the point reproduces the person's familiar pain. The Delphi consensus
  (Fernández-de-las-Peñas and Dommerholt 2018, source ``s101``) names the reproduction and
  recognition of the patient's own symptoms as what tells an active trigger point from a latent
  one. A found point is ranked before every point that was not found, whatever the map says.
- TENDER: tender when pressed, but not the familiar pain: by the same consensus that is a
  latent point, which does not explain the complaint. It keeps its place, with a note.
- NOT FOUND: pressed, and nothing there. Examiners agree only moderately on where points are
  (Rathbone 2017, ``s100``: kappa about 0.45), so this is weaker evidence than a find; it moves
  the point after every point not pressed or tender, but keeps it in the list, saying so.

Within each group the order and the shared ranks are the map's own (components/domain/referral.py).
"""
from __future__ import annotations

from typing import Mapping

FOUND, TENDER, NOT_FOUND = "found", "tender", "not-found"
FINDINGS = (FOUND, TENDER, NOT_FOUND)
# The link's parameter for each finding (`not_found=`, with an underscore, as the contract spells it).
PARAMETERS = {FOUND: "found", TENDER: "tender", NOT_FOUND: "not_found"}
# Found first, then not pressed or tender (their place unchanged), then not found.
GROUP = {FOUND: 0, None: 1, TENDER: 1, NOT_FOUND: 2}
SOURCES = ("s101", "s100")

# The choice's words on each candidate, and the note under a candidate with a finding.
CHOICE_WORDS = {
    FOUND: "reproduces the familiar pain",
    TENDER: "tender but not familiar",
    NOT_FOUND: "not found",
}
NOTES = {
    FOUND: "Reproduces your familiar pain when pressed.",
    TENDER: "Tender when pressed, but not your familiar pain: its place is unchanged.",
    NOT_FOUND: "Not found when pressed: listed last.",
}


def group_of(finding: str | None) -> int:
    return GROUP[finding]


def findings_of(found=(), tender=(), not_found=()) -> dict[str, str]:
    """Point id -> finding, from the three lists of a state."""
    result: dict[str, str] = {}
    for finding, points in ((FOUND, found), (TENDER, tender), (NOT_FOUND, not_found)):
        for point in points:
            result.setdefault(point, finding)
    return result


def browser_words() -> dict:
    """What the browser script needs to apply and say the rule, generated here so it is written once."""
    return {"group": {k: v for k, v in GROUP.items() if k}, "choices": CHOICE_WORDS, "notes": NOTES,
            "parameters": PARAMETERS}


def finding(palpation: Mapping[str, str] | None, point: str) -> str | None:
    return (palpation or {}).get(point)
