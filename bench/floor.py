"""The floor: a static SVG page with the app's map hooks, drawn from the same data.

It is what the browser alone costs on this machine for the same drawing: every view as an
``<svg class="map-view">``, every region, referral zone and trigger point of the model as a path,
and a few lines of script. A tap on a point toggles a class on its zones' group and sets
``#body-map[data-shown-tp]`` and ``#tp-detail[data-tp-id]``; a tap on a region toggles it and
rewrites ``#source-ranking`` from a precomputed table. The app/floor ratio says what the app adds.
Every measure can run against it (``python -m bench --target floor``), which proves the tools
on a page that is known to carry the hooks.
"""
from __future__ import annotations

import contextlib
import json
import tempfile
from html import escape
from pathlib import Path

from bench.server import StaticSite

STYLE = """
body{margin:0;font:16px system-ui,sans-serif;color:#1c1917;background:#fff}
main{display:flex;flex-wrap:wrap;gap:16px;padding:8px}
#body-map{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start;max-width:100%}
svg.map-view{height:min(78vh,640px);max-width:100%}
svg.map-view:not([data-view-id=back]){height:min(30vh,240px)}
.part{fill:#f5e6da;stroke:#a8a29e;stroke-width:.5}
.part-open{fill:none;stroke:#a8a29e;stroke-width:.4}
[data-region-id]{fill:rgba(37,99,235,0);stroke:#cbd5e1;stroke-width:.3}
[data-region-id][aria-pressed=true]{fill:rgba(37,99,235,.22);stroke:#1d4ed8;stroke-width:.8}
.zones{opacity:0;pointer-events:none}.zones.on{opacity:1}
.zone-essential{fill:#dc2626;fill-opacity:.7}.zone-spillover{fill:#fca5a5;fill-opacity:.5}
[data-tp-id] .target{fill:transparent}
[data-tp-id] .x{stroke:#1f2937;stroke-width:.8;stroke-linecap:round}
[data-tp-id][aria-pressed=true] .x{stroke:#b91c1c;stroke-width:1.4}
#answer{flex:1 1 300px}
"""

SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById('floor-data').textContent);
  var map = document.getElementById('body-map'), detail = document.getElementById('tp-detail');
  var title = document.getElementById('tp-detail-title'), ranking = document.getElementById('source-ranking');
  var announcer = document.getElementById('announcer');
  var points = {}, zones = {}, marked = new Set();
  map.querySelectorAll('[data-tp-id]').forEach(function (el) { points[el.getAttribute('data-tp-id')] = el; });
  map.querySelectorAll('[data-zones-of]').forEach(function (el) {
    var tp = el.getAttribute('data-zones-of'); (zones[tp] = zones[tp] || []).push(el);
  });
  function paint(tp, on) { (zones[tp] || []).forEach(function (g) { g.classList.toggle('on', on); }); }
  function show(tp) {
    var was = map.getAttribute('data-shown-tp');
    if (was && points[was]) { points[was].setAttribute('aria-pressed', 'false'); paint(was, false); }
    if (!Object.prototype.hasOwnProperty.call(points, tp)) tp = '';
    if (tp) { points[tp].setAttribute('aria-pressed', 'true'); paint(tp, true); }
    map.setAttribute('data-shown-tp', tp);
    detail.setAttribute('data-tp-id', tp);
    title.textContent = tp ? data.names[tp] : 'Tap an X';
    announcer.textContent = tp ? data.names[tp] + ' selected' : 'Selection cleared';
  }
  function rank() {
    var score = {};
    marked.forEach(function (region) {
      (data.refers[region] || []).forEach(function (tp) { score[tp] = (score[tp] || 0) + 1; });
    });
    var order = Object.keys(score).sort(function (a, b) { return score[b] - score[a] || (a < b ? -1 : 1); });
    ranking.textContent = '';
    order.forEach(function (tp) {
      var li = document.createElement('li');
      li.setAttribute('data-tp-id', tp);
      li.textContent = data.names[tp] + ': ' + score[tp] + ' of ' + marked.size + ' areas';
      ranking.appendChild(li);
    });
    announcer.textContent = marked.size + ' areas marked';
  }
  map.addEventListener('click', function (event) {
    var point = event.target.closest('[data-tp-id]');
    if (point) { var tp = point.getAttribute('data-tp-id'); show(map.getAttribute('data-shown-tp') === tp ? '' : tp); return; }
    var region = event.target.closest('[data-region-id]');
    if (!region) return;
    var id = region.getAttribute('data-region-id');
    if (marked.has(id)) marked.delete(id); else marked.add(id);
    region.setAttribute('aria-pressed', marked.has(id) ? 'true' : 'false');
    rank();
  });
  show(new URLSearchParams(location.search).get('tp') || '');
  map.setAttribute('data-interactive', 'true');
})();
"""


def build_floor(model) -> str:
    """The floor page's HTML for ``model`` (components.model.Model)."""
    from components import geometry

    views = {view_id: {"anatomy": [], "regions": [], "zones": {}, "points": []} for view_id in model.views}
    for part in model.anatomy:
        view = model.views[part.view]
        d = geometry.svg_path(view.place(part.points), part.closed, part.smooth)
        views[part.view]["anatomy"].append(f'<path class="{"part" if part.closed else "part-open"}" d="{escape(d)}"/>')
    for region in model.regions.values():
        d = geometry.svg_path(model.views[region.view].place(region.outline), True, False)
        views[region.view]["regions"].append(
            f'<path d="{escape(d)}" data-region-id="{escape(region.id)}" role="button" aria-pressed="false" '
            f'aria-label="{escape(region.name)}"/>')
    refers: dict[str, list[str]] = {}
    for zone in model.zones:
        d = geometry.svg_path(model.views[zone.view].place(zone.outline), True, False)
        views[zone.view]["zones"].setdefault(zone.trigger_point, []).append(
            f'<path class="zone-{escape(zone.intensity)}" d="{escape(d)}"/>')
        for region_id in zone.regions:
            refers.setdefault(region_id, [])
            if zone.trigger_point not in refers[region_id]:
                refers[region_id].append(zone.trigger_point)
    names = {}
    for point in model.trigger_points.values():
        names[point.id] = model.point_title(point.id)
        (x, y), = model.views[point.view].place([(point.x, point.y)])
        r = 1.6
        views[point.view]["points"].append(
            f'<g data-tp-id="{escape(point.id)}" role="button" aria-pressed="false" '
            f'aria-label="{escape(names[point.id])}"><circle class="target" cx="{x:g}" cy="{y:g}" r="3"/>'
            f'<path class="x" d="M{x - r:g} {y - r:g}L{x + r:g} {y + r:g}M{x - r:g} {y + r:g}L{x + r:g} {y - r:g}"/></g>')
    svgs = []
    for view_id, parts in views.items():
        view = model.views[view_id]
        zone_groups = "".join(f'<g class="zones" data-zones-of="{escape(tp)}">{"".join(paths)}</g>'
                              for tp, paths in parts["zones"].items())
        svgs.append(
            f'<svg class="map-view" data-view-id="{escape(view_id)}" role="group" aria-label="{escape(view.name)}" '
            f'viewBox="{view.x:g} {view.y:g} {view.width * view.scale:g} {view.height * view.scale:g}">'
            f'<g>{"".join(parts["anatomy"])}</g><g>{"".join(parts["regions"])}</g><g>{zone_groups}</g>'
            f'<g>{"".join(parts["points"])}</g></svg>')
    data = json.dumps({"names": names, "refers": refers}).replace("</", "<\\/")
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Floor: static SVG map</title>"
            f"<style>{STYLE}</style></head><body><main>"
            f'<div id="body-map" data-shown-tp="">{"".join(svgs)}</div>'
            '<div id="answer"><section id="tp-detail" data-tp-id=""><h2 id="tp-detail-title">Tap an X</h2></section>'
            '<ol id="source-ranking" aria-label="Likely sources, best first"></ol>'
            '<div id="announcer" aria-live="polite"></div></div></main>'
            f'<script type="application/json" id="floor-data">{data}</script>'
            f"<script>{SCRIPT}</script></body></html>")


@contextlib.contextmanager
def floor_site(model):
    """Serve the floor page on 127.0.0.1 (the same transport as the app); yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as folder:
        Path(folder, "index.html").write_text(build_floor(model), encoding="utf-8")
        with StaticSite(Path(folder)) as site:
            yield site.url + "/index.html"
