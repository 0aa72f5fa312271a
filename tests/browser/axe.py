"""axe-core in the browser tests: inject it into a Playwright page, run it, keep what blocks people.

axe-core comes from npm, pinned in tests/browser/package.json (``npm ci --prefix tests/browser``;
scripts/test.sh runs it). The page must be opened in a context with ``bypass_csp=True`` (see
playwright_pages.open_page): the app's Content-Security-Policy would refuse the injected script.
"""
from __future__ import annotations

from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

RUN_AXE = """async () => {
  const results = await window.axe.run(document, {resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.map(String), summary: n.failureSummary || ''})),
  }));
}"""


def axe_source() -> str:
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: install the test tooling with `npm ci --prefix tests/browser`")
    return AXE_JS.read_text(encoding="utf-8")


def violations(page, impacts=BLOCKING) -> list[dict]:
    """axe-core's violations on the page as it is now, of the given impacts (default: serious, critical)."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=axe_source())
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in impacts]


def describe(found: list[dict], max_nodes: int = 5) -> str:
    """One block per rule: id, impact, what it asks, and the selectors of the elements that break it."""
    lines = [f"axe-core found {len(found)} accessibility violation(s):"]
    for v in found:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:max_nodes]:
            lines.append(f"    at {' '.join(node['target'])}")
        if len(v["nodes"]) > max_nodes:
            lines.append(f"    ... and {len(v['nodes']) - max_nodes} more")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail with a readable list when axe-core finds a serious or critical violation on the page."""
    found = violations(page)
    assert not found, describe(found)
