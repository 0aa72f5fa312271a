/*
 * Painting: a state onto the map (classes and aria-pressed on the shell's SVG) and onto the
 * controls around it, each touching only what differs from what it shows (calfMap.now.painted).
 */
(function () {
  "use strict";

  var calf = window.calfMap;
  var now = calf.now;
  var BLANK = { tp: null, shown: null, pain: [], side: "right", muscle: "all", mode: "explore" };

  /* ------------------------------------------------------------------ element index */

  function collect(selector, attribute, root) {
    var found = new Map();
    (root || document).querySelectorAll(selector).forEach(function (element) {
      var key = element.getAttribute(attribute);
      if (!found.has(key)) found.set(key, []);
      found.get(key).push(element);
    });
    return found;
  }

  function buildIndex() {
    var root = document.getElementById("body-map");
    if (!root || !root.querySelector(".map-view")) return null;
    var shapes = [];
    root.querySelectorAll(".map-view").forEach(function (view) {
      // Keyboard order: a view's points, then its areas.
      view.querySelectorAll("[data-tp-id]").forEach(function (el) { shapes.push(el); });
      view.querySelectorAll("[data-region-id]").forEach(function (el) { shapes.push(el); });
    });
    var stop = shapes.find(function (el) { return el.getAttribute("tabindex") === "0"; }) || shapes[0];
    shapes.forEach(function (el) { el.setAttribute("tabindex", el === stop ? "0" : "-1"); });
    return {
      root: root,
      shapes: shapes,
      points: collect("[data-tp-id]", "data-tp-id", root),
      regions: collect("[data-region-id]", "data-region-id", root),
      zones: collect("[data-zone-of]", "data-zone-of", root),
      details: collect("#tp-detail [data-detail-of]", "data-detail-of"),
      tpButtons: collect("#tp-list [data-tp-id]", "data-tp-id"),
      regionToggles: collect("#region-list [data-region-id]", "data-region-id"),
      groups: collect("#tp-list .tp-group[data-muscle]", "data-muscle"),
      levels: collect("[data-level-of]", "data-level-of", root),
    };
  }

  function index() {
    if (!now.index) now.index = buildIndex();
    return now.index;
  }

  /* The page around the map changed (Dash drew its panels): look everything up again, and paint
   * the whole state anew. */
  function forget() {
    now.index = null;
    now.painted = { map: null, around: null };
  }

  function each(map, key, fn) { (map.get(key) || []).forEach(fn); }
  function first(map, key) { return (map.get(key) || [])[0] || null; }

  function setPressed(map, key, pressed) {
    each(map, key, function (el) { el.setAttribute("aria-pressed", pressed ? "true" : "false"); });
  }

  function pointElement(tp) { var idx = index(); return idx ? first(idx.points, tp) : null; }
  function regionElement(region) { var idx = index(); return idx ? first(idx.regions, region) : null; }

  function shownPoint(state) {
    if (state.tp) return state.tp;
    return state.pain.length ? now.focusPoint : null;
  }

  /* ------------------------------------------------------------------ one part of the state each
   * The map's parts (paintZones, paintChosenX, paintPain's areas, paintSide, paintMutedPoints,
   * paintMode, paintLevels) go into the tap's own frame; the parts around it (the point's facts,
   * the lists' buttons, the filter, the answer column) may follow a frame later (input.js). */

  function paintZones(idx, was, shown) {
    if (was) each(idx.zones, was, function (el) { el.classList.remove("zone-shown"); });
    if (shown) each(idx.zones, shown, function (el) { el.classList.add("zone-shown"); });
    each(idx.points, was, function (el) { el.classList.remove("tp-best"); });
  }

  function paintFacts(idx, was, shown) {
    each(idx.details, was, function (el) { el.hidden = true; });
    each(idx.details, shown, function (el) { el.hidden = false; });
    calf.panels.sketchDetail(shown);
    var empty = document.querySelector("#tp-detail .detail-empty");
    if (empty) empty.hidden = !!shown;
    var panel = document.getElementById("tp-detail");
    if (panel) panel.setAttribute("data-tp-id", shown || "");
  }

  function paintChosen(map, was, tp) {
    setPressed(map, was, false);
    setPressed(map, tp, true);
  }

  function paintPain(was, pain, mark) {
    var marked = new Set(pain);
    var before = new Set(was);
    marked.forEach(function (region) { if (!before.has(region)) mark(region, true); });
    before.forEach(function (region) { if (!marked.has(region)) mark(region, false); });
  }

  function markArea(idx) {
    return function (region, on) {
      setPressed(idx.regions, region, on);
      each(idx.regions, region, function (el) { el.setAttribute("aria-label", calf.announce.regionLabel(region, on)); });
    };
  }

  function markAreaToggle(idx) {
    return function (region, on) { setPressed(idx.regionToggles, region, on); };
  }

  function paintSideChoice(side) {
    document.querySelectorAll("#side-choice [data-action]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-action") === "side-" + side ? "true" : "false");
    });
  }

  function paintMutedPoints(idx, muscle) {
    idx.points.forEach(function (els) {
      els.forEach(function (el) { el.classList.toggle("tp-muted", muscle !== "all" && el.getAttribute("data-muscle") !== muscle); });
    });
  }

  function paintMuscleFilter(idx, muscle) {
    idx.groups.forEach(function (els, group) {
      els.forEach(function (el) { el.hidden = muscle !== "all" && group !== muscle; });
    });
    var select = document.getElementById("muscle-filter");
    if (select && select.value !== muscle) select.value = muscle;
  }

  function paintMode(mode) {
    ["page", "first-paint"].forEach(function (id) {
      var page = document.getElementById(id);
      if (page) page.classList.toggle("clinic", mode === "clinic");
    });
  }

  function paintModeToggle(mode) {
    var toggle = document.getElementById("mode-toggle");
    if (toggle) toggle.setAttribute("aria-pressed", mode === "clinic" ? "true" : "false");
  }

  function paintAnswer(state, shown) {
    var detail = document.getElementById("tp-detail");
    if (detail) detail.classList.toggle("is-best", !!shown && shown !== state.tp);
    var answer = document.getElementById("answer");
    if (answer) {
      answer.classList.toggle("idle", !state.tp && !state.pain.length);
      answer.classList.toggle("pain-first", !state.tp && state.pain.length > 0);
    }
  }

  /* The number on each marked area, drawn by Python at the area's own point ([data-level-of]).
   * Returns what it drew as a key; ``drawn`` is the key it returned last time. */
  function paintLevels(idx, drawn, state) {
    var levels = state.intensity || {};
    var key = state.pain.map(function (region) { return region + "=" + levels[region]; }).join(",");
    if (drawn === key) return key;
    idx.levels.forEach(function (badges, region) {
      var marked = state.pain.indexOf(region) >= 0 && Object.prototype.hasOwnProperty.call(levels, region);
      badges.forEach(function (badge) {
        var text = badge.querySelector("text");
        if (text) text.textContent = marked ? String(levels[region]) : "";
        badge.classList.toggle("level-shown", marked);
      });
    });
    return key;
  }

  /* Paint one part of a state ("map" or "around"), touching only what differs from what that part
   * shows now: ``paint(idx, before, whole, shown)`` gets what it showed (BLANK at first), whether
   * all of it must be painted, and the point whose zones are drawn; it may return a key of its own. */
  function paintPart(part, state, paint) {
    var idx = index();
    if (!idx) return false;
    var before = now.painted[part];
    var shown = shownPoint(state);
    var key = paint(idx, before || BLANK, !before, shown);
    now.painted[part] = { tp: state.tp, shown: shown, pain: state.pain.slice(), side: state.side,
                          muscle: state.muscle, mode: state.mode, key: key };
    return true;
  }

  function paintMap(state) {
    return paintPart("map", state, function (idx, before, whole, shown) {
      if (whole || before.shown !== shown) paintZones(idx, before.shown, shown);
      each(idx.points, shown, function (el) { el.classList.toggle("tp-best", shown !== state.tp); });
      if (whole || before.tp !== state.tp) paintChosen(idx.points, before.tp, state.tp);
      paintPain(before.pain, state.pain, markArea(idx));
      if (whole || before.side !== state.side) idx.root.setAttribute("data-side", state.side);
      if (whole || before.muscle !== state.muscle) paintMutedPoints(idx, state.muscle);
      if (whole || before.mode !== state.mode) paintMode(state.mode);
      idx.root.setAttribute("data-shown-tp", shown || "");
      markInsetsThatMatter(idx.root);
      return paintLevels(idx, before.key, state);
    });
  }

  function paintAround(state) {
    return paintPart("around", state, function (idx, before, whole, shown) {
      if (whole || before.shown !== shown) paintFacts(idx, before.shown, shown);
      if (whole || before.tp !== state.tp) paintChosen(idx.tpButtons, before.tp, state.tp);
      paintPain(before.pain, state.pain, markAreaToggle(idx));
      if (whole || before.side !== state.side) paintSideChoice(state.side);
      if (whole || before.muscle !== state.muscle) paintMuscleFilter(idx, state.muscle);
      if (whole || before.mode !== state.mode) paintModeToggle(state.mode);
      paintAnswer(state, shown);
      return null;
    });
  }

  /* Both, at once: a link opened, or Dash drew the page anew. */
  function paintState(state) {
    return paintMap(state) && paintAround(state);
  }

  /* ------------------------------------------------------------------ views (phones, clinic view) */

  /* Which main view is drawn where there is room for one only. A screen matter, not part of the
   * state: the link and the handout show every view. */
  function showView(tabId) {
    var figures = document.querySelectorAll("#body-map .map-figure");
    var known = Array.prototype.some.call(figures, function (f) { return f.getAttribute("data-tab") === tabId; });
    if (!known) return;
    figures.forEach(function (f) { f.classList.toggle("is-current", f.getAttribute("data-tab") === tabId); });
    document.querySelectorAll(".view-tabs [data-action]").forEach(function (tab) {
      tab.setAttribute("aria-pressed", tab.getAttribute("data-action") === "view-" + tabId ? "true" : "false");
    });
  }

  /* Clinic view keeps, beside the main view, only the insets that show something of the answer
   * (the chosen point, its zones, marked pain), so its main pain area is on the screen with it.
   * With nothing to show, every inset is there to be tapped. */
  function markInsetsThatMatter(root) {
    var insets = root.querySelectorAll(".map-figure-inset");
    var matters = function (figure) { return !!figure.querySelector(".zone-shown, [aria-pressed='true']"); };
    var any = Array.prototype.some.call(insets, matters);
    insets.forEach(function (figure) { figure.classList.toggle("is-aside", any && !matters(figure)); });
  }

  /* Bring the view that holds a shape into sight (a point chosen from a list, say). */
  function showViewOf(element) {
    var figure = element && element.closest(".map-figure");
    if (figure && figure.getClientRects().length === 0) showView(figure.getAttribute("data-tab"));
  }

  calf.paint = { index: index, forget: forget, state: paintState, map: paintMap, around: paintAround,
                 shownPoint: shownPoint, showView: showView,
                 showViewOf: showViewOf, pointElement: pointElement, regionElement: regionElement };
})();
