/*
 * The explorer's browser side, in small scripts by job (loaded in this order from the page shell,
 * components/web/first_paint.py, EXPLORER_SCRIPTS): state, ranking, announce, paint, panels, input,
 * dash. They share one object, window.calfMap; this one holds what the page says (read once from
 * #initial-state) and the one mutable record of where the explorer is (calfMap.now).
 *
 * Python owns the rules of the state: it parses the URL (once, for the page, which carries the
 * result in #initial-state) and writes the canonical query back. These scripts only move from one
 * valid state to the next on a tap, a key or the back button, paint the map (in the tap's own frame)
 * and rank marked pain (with each point's reason and the warning signs raised; beside the map, in the
 * next frame: input.js), and hand
 * the state to Dash, whose server callbacks fill in the notes and the self-care (which the page says
 * itself when no server answers: panels.js).
 *
 * Every id comes from the page's own data-* attributes or from Python, and every look-up goes
 * through a Map, so an id such as "__proto__" is just an unknown key.
 */
(function () {
  "use strict";

  var LEVELS = 10;  // a marked area's pain number is a whole number from 0 to LEVELS

  function emptyState() {
    return { tp: null, pain: [], side: "right", muscle: "all", mode: "explore", v: 0,
             intensity: {}, found: [], tender: [], not_found: [] };
  }

  function idList(value) {
    return Array.isArray(value) ? value.filter(function (p) { return typeof p === "string"; }) : [];
  }

  function copyLevels(value) {
    var levels = {};
    if (!value || typeof value !== "object" || Array.isArray(value)) return levels;
    Object.keys(value).forEach(function (region) {
      var n = value[region];
      if (typeof n === "number" && n >= 0 && n <= LEVELS && Math.floor(n) === n) levels[region] = n;
    });
    return levels;
  }

  /* Shape only: the values themselves were validated by Python or read from the page. */
  function copyState(state) {
    if (!state || typeof state !== "object") return emptyState();
    return {
      tp: typeof state.tp === "string" && state.tp ? state.tp : null,
      pain: idList(state.pain),
      side: state.side === "left" ? "left" : "right",
      muscle: typeof state.muscle === "string" ? state.muscle : "all",
      mode: state.mode === "clinic" ? "clinic" : "explore",
      v: typeof state.v === "number" ? state.v : 0,
      intensity: copyLevels(state.intensity),
      found: idList(state.found),
      tender: idList(state.tender),
      not_found: idList(state.not_found),
    };
  }

  /* tp -> "found" | "tender" | "not-found": the first list wins, as in state.parse_palpation. */
  function findingsOf(state) {
    var findings = new Map();
    [["found", state.found], ["tender", state.tender], ["not-found", state.not_found]].forEach(function (pair) {
      (pair[1] || []).forEach(function (tp) { if (!findings.has(tp)) findings.set(tp, pair[0]); });
    });
    return findings;
  }

  function palpationKey(state) {
    return [state.found, state.tender, state.not_found].map(function (l) { return (l || []).join(","); }).join(";");
  }

  /* Offline, the service worker answers a link with a query with the page made for the bare "/"
   * (components/web/offline.py): Python did not read this link now, but it did when the link was last
   * open here, and dash.js's syncUrl kept that state in the history entry. Never a second URL parser. */
  function openedState(data) {
    if (!data.bare || window.location.search.length < 2) return data;
    var saved = window.history.state && window.history.state.explorer;
    return saved ? { state: saved, notice: "" } : { state: null, notice: data.offline_notice };
  }

  function readPage() {
    var node = document.getElementById("initial-state");
    var data = null;
    try { data = JSON.parse(node ? node.textContent : "null"); } catch (error) { data = null; }
    data = data && typeof data === "object" ? data : {};
    var texts = data.texts && typeof data.texts === "object" ? data.texts : {};
    var opened = openedState(data);
    return {
      state: opened.state,
      notice: typeof opened.notice === "string" ? opened.notice : "",
      ranking: data.ranking || { regions: [], points: [] },
      plotly: node ? node.getAttribute("data-plotly") : "",
      regions: new Map(Object.entries(texts.regions || {})),
      points: new Map(Object.entries(texts.points || {})),
      selfCare: new Map(Object.entries(texts.self_care || {})),
      redFlags: Array.isArray(texts.red_flags) ? texts.red_flags : [],
      raisedFlagWords: texts.raised_flags || { title: "", said: "" },
      // What the server's callbacks say online, for the page to say itself when no server answers.
      notes: texts.notes || {},
      causes: new Map(Object.entries(texts.causes || {})),
      education: { words: (texts.education || {}).words || { headings: [] }, default: (texts.education || {}).default,
                   muscles: new Map(Object.entries((texts.education || {}).muscles || {})) },
    };
  }

  /* Run ``fn`` once the frame that shows what was just changed has been painted. Whatever reads
   * the layout (a box, a scroll position) or moves the focus waits for this, so that a tap's frame
   * is painted without a forced layout first (docs/performance.md). */
  function afterPaint(fn) {
    window.requestAnimationFrame(function () { window.setTimeout(fn, 0); });
  }

  window.calfMap = {
    LEVELS: LEVELS,
    afterPaint: afterPaint,
    page: readPage(),  // what the page says: read once, never changed
    /* Where the explorer is: the one mutable record, changed only by input.js and dash.js. */
    now: {
      current: null,     // the state as painted
      seq: 0,            // every state made here gets a higher number; older ones are stale
      focusPoint: null,  // the best match for the marked pain, shown when no point is chosen
      painted: { map: null, around: null },  // what the map and what is around it show now, for diffing
      ranked: [],        // the current state's ranking
      aroundDue: false,  // the panels around the map wait for the next frame (a tap's)
      index: null,       // element look-ups
      dashStarted: false,  // Dash's bundles have been started
      dashReady: false,  // Dash has booted: states are handed to it from now on
      urlReady: false,   // the address bar holds Python's canonical query
      painNews: "",      // what the live region says first after a tap on a pain area
      spoken: "",        // the live region's last words
      unsaid: "",        // words waiting for the panels they describe (announce.js)
    },
    state: { empty: emptyState, copy: copyState, findingsOf: findingsOf, palpationKey: palpationKey },
  };
})();
