/*
 * The start, and the hand-over to Dash. The map is the page shell's (components/web/first_paint.py),
 * outside React: this script makes it work at once, from the page alone. When Dash has drawn its
 * page, the map panel (#map-home) moves, as it is, into Dash's empty section#map-panel, where
 * React draws no children and so never touches it; the first-paint panels go. From then on each
 * state is handed to Dash (the explorer-state store), whose callbacks fill in the rest.
 */
(function () {
  "use strict";

  var calf = window.calfMap;
  var now = calf.now;

  function noUpdate() { return window.dash_clientside.no_update; }

  /* Move the map into Dash's page once it is there; true when done. */
  function adopt() {
    var home = document.getElementById("map-home");
    var section = document.querySelector("#react-entry-point #map-panel");
    if (!home || !section) return false;
    if (home.parentNode !== section) {
      var focused = home.contains(document.activeElement) ? document.activeElement : null;
      section.appendChild(home);
      if (focused) focused.focus({ preventScroll: true });
    }
    var sketch = document.getElementById("first-paint");
    if (sketch) sketch.remove();
    calf.paint.forget();
    if (now.current) calf.input.show(now.current);
    // Dash's page lays the map out anew: the chosen X stays above its sheet.
    if (now.current && now.current.tp) calf.input.keepPointAboveSheet(now.current.tp);
    return true;
  }

  function watchForDash() {
    var entry = document.getElementById("react-entry-point");
    if (!entry || adopt()) return;
    var observer = new MutationObserver(function () { if (adopt()) observer.disconnect(); });
    observer.observe(entry, { childList: true, subtree: true });
  }

  /* A state for Dash, once it has started; until then it takes the current state when it boots.
   * Dash's own work (stores, callbacks, React) waits until the frame with the change is painted. */
  function send(state) {
    if (!now.dashReady) return;
    calf.afterPaint(function () { window.dash_clientside.set_props("explorer-state", { data: state }); });
  }

  /* From the page alone: the state Python parsed from the link, painted, said, and made tappable. */
  function start() {
    var state = calf.state.copy(calf.page.state);
    state.v = ++now.seq;
    now.current = state;
    var ranked = calf.input.show(state);
    // A link that opens with pain marked says its answer once, as a tap would.
    if (state.pain.length) calf.announce.say(calf.ranking.painSummary(state.pain, ranked));
    // A link to a point opens on the view that holds it, where one view is drawn at a time.
    if (state.tp) {
      calf.paint.showViewOf(calf.paint.pointElement(state.tp));
      calf.input.keepPointAboveSheet(state.tp);
    }
    var idx = calf.paint.index();
    if (idx) idx.root.setAttribute("data-interactive", "true");
    watchForDash();
    startDashAfterAFrame();
  }

  /* ------------------------------------------------------------------ Dash's clientside callbacks */

  /* Once, when Dash starts: the state as it is now (taps before Dash count), and the link's notice. */
  function boot() {
    // The ranking chart (dcc.Graph) loads plotly.js only when it first appears: the small
    // bundle this app ships, not the full one Dash would fetch.
    if (calf.page.plotly) window._dashPlotlyJSURL = calf.page.plotly;
    now.dashReady = true;
    adopt();
    return [calf.state.copy(now.current), calf.page.notice];
  }

  /* Whenever the store changes. Stale states (older than one a newer tap already painted) are skipped. */
  function paint(state) {
    var incoming = calf.state.copy(state);
    adopt();
    if (!now.current || incoming.v >= now.current.v) now.current = incoming;
    calf.input.show(now.current);
    return noUpdate();
  }

  /* Python's canonical query for a state: write it to the address bar and the history. */
  function syncUrl(page) {
    if (!page || typeof page !== "object" || typeof page.query !== "string") return noUpdate();
    var url = window.location.pathname + page.query + window.location.hash;
    var entry = { explorer: calf.state.copy(page.state) };
    if (!now.urlReady) window.history.replaceState(entry, "", url);
    else if (page.query !== window.location.search) window.history.pushState(entry, "", url);
    now.urlReady = true;
    return noUpdate();
  }

  /* Dash's bundles, in the page's order (link[data-src], already downloading), run only once the
   * map works and a frame has painted it, so their running never holds up the first tap; then
   * Dash's renderer starts. A hidden tab paints no frames: it starts them after a while. */
  function startDash() {
    if (now.dashStarted) return;
    now.dashStarted = true;
    var last = null;
    document.querySelectorAll(".dash-scripts link[data-src]").forEach(function (link) {
      var script = document.createElement("script");
      script.src = link.getAttribute("data-src");
      script.async = false;  // in order: React, then the renderer, then the components
      document.body.appendChild(script);
      last = script;
    });
    if (last) last.addEventListener("load", function () { window.renderer = new window.DashRenderer(); });
  }

  function startDashAfterAFrame() {
    var afterAFrame = function () {
      calf.afterPaint(startDash);
      window.setTimeout(startDash, 1000);
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", afterAFrame);
    else afterAFrame();
  }

  calf.dash = { send: send };
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    explorer: { boot: boot, paint: paint, syncUrl: syncUrl, rank: calf.ranking.rank,
                rankWith: calf.ranking.rankWith },
  });

  start();
})();
