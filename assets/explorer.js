/*
 * The explorer's browser side. Python owns the rules of the state: it parses the URL (once, for
 * the first HTML, which carries the result in #initial-state) and writes the canonical query
 * back (the page-query store). This script only moves from one valid state to the next on a
 * tap, a key or the back button, paints the map from the state at once, and hands the state to
 * Dash, whose server callbacks fill in the ranking and the self-care.
 *
 * Every id it handles comes from the page's own data-* attributes or from Python, and every
 * look-up goes through a Map, so an id such as "__proto__" is just an unknown key.
 */
(function () {
  "use strict";

  var seq = 0;            // every state this script makes gets a higher number; older ones are stale
  var current = null;     // the state as painted
  var focusPoint = null;  // the point Python chose for the marked pain
  var painted = null;     // what the DOM shows now, for diffing
  var index = null;       // element look-ups, built once the map is in the page
  var urlReady = false;

  function noUpdate() { return window.dash_clientside.no_update; }

  function emptyState() {
    return { tp: null, pain: [], side: "right", muscle: "all", mode: "explore", v: 0,
             intensity: {}, found: [], tender: [], not_found: [] };
  }

  /* Shape only: the values themselves were validated by Python or read from the page. */
  function copyState(state) {
    var base = emptyState();
    if (!state || typeof state !== "object") return base;
    return {
      tp: typeof state.tp === "string" && state.tp ? state.tp : null,
      pain: Array.isArray(state.pain) ? state.pain.filter(function (p) { return typeof p === "string"; }) : [],
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

  function initialData() {
    var node = document.getElementById("initial-state");
    var data = null;
    try { data = JSON.parse(node ? node.textContent : "null"); } catch (error) { data = null; }
    return data && typeof data === "object" ? data : { state: null, notice: "" };
  }

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
    shapes.forEach(function (el, number) { el.setAttribute("tabindex", number === 0 ? "0" : "-1"); });
    root.setAttribute("data-interactive", "true");
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
    };
  }

  function ensureIndex() {
    if (!index || !document.body.contains(index.root)) index = buildIndex();
    return index;
  }

  /* ------------------------------------------------------------------ ranking marked pain
   * Python's rule (components/referral.py, evidence_key and the display order), applied to the
   * table Python generates (referral.browser_table), so the answer is on screen within a frame.
   * tests/browser prove it gives Python's ranking on thousands of random pain maps. */

  var table = null;

  function rankingTable() {
    if (table) return table;
    var data = initialData().ranking || { regions: [], points: [] };
    table = { regions: new Map(), points: new Map() };
    data.regions.forEach(function (row) { table.regions.set(row[0], row[1]); });
    data.points.forEach(function (row) { table.points.set(row[0], { order: row[1], title: row[2], short: row[3] }); });
    return table;
  }

  function rank(pain, findings) {
    var ranking = rankingTable();
    var groups = palpationWords().group;
    var hits = new Map();
    pain.forEach(function (region) {
      (ranking.regions.get(region) || []).forEach(function (entry) {
        if (!hits.has(entry[0])) hits.set(entry[0], [0, 0, 0]);
        var key = hits.get(entry[0]);
        key[0] += 1;
        if (entry[1]) key[1] += 1;
        if (entry[2]) key[2] += 1;
      });
    });
    var list = [];
    hits.forEach(function (key, tp) {
      // What pressing found comes first (components/palpation.py): found, then the rest, then not found.
      var finding = findings && findings.has(tp) ? findings.get(tp) : null;
      var group = finding && Object.prototype.hasOwnProperty.call(groups, finding) ? groups[finding] : 1;
      key.unshift(group);
      list.push({ tp: tp, key: key, order: ranking.points.get(tp).order, palpation: finding });
    });
    list.sort(function (a, b) {
      return a.key[0] - b.key[0] || b.key[1] - a.key[1] || b.key[2] - a.key[2] || b.key[3] - a.key[3] || a.order - b.order;
    });
    list.forEach(function (candidate, place) {
      var before = list[place - 1];
      var tied = before && before.key.join() === candidate.key.join();
      candidate.rank = tied ? before.rank : place + 1;
    });
    return list;
  }

  function joinNames(names) {
    return names.length <= 1 ? names.join("") : names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  var reasons = { pain: "", text: new Map() };
  var drawnPain = null;

  /* #source-ranking is this script's: the server sends only the reason sentences for it. */
  function drawRanking(state, ranked) {
    var list = document.getElementById("source-ranking");
    if (!list) return;
    var key = state.pain.join(",") + "|" + palpationKey(state);
    if (drawnPain !== key) {
      drawnPain = key;
      var counts = new Map();
      ranked.forEach(function (c) { counts.set(c.rank, (counts.get(c.rank) || 0) + 1); });
      var items = ranked.map(function (candidate) {
        var point = rankingTable().points.get(candidate.tp);
        var item = document.createElement("li");
        item.setAttribute("data-tp-id", candidate.tp);
        item.setAttribute("data-rank", String(candidate.rank));
        var button = document.createElement("button");
        button.className = "candidate";
        var name = document.createElement("span");
        name.className = "candidate-name";
        name.textContent = candidate.rank + ". " + point.title;
        button.appendChild(name);
        if (counts.get(candidate.rank) > 1) {
          var tie = document.createElement("span");
          tie.className = "candidate-tie";
          // Say with whom: "equally likely" alone leaves the reader to guess what it is equal to.
          tie.textContent = "equally likely with " + joinNames(ranked.filter(function (other) {
            return other.rank === candidate.rank && other.tp !== candidate.tp;
          }).map(function (other) { return rankingTable().points.get(other.tp).short; }));
          button.appendChild(tie);
        }
        var reason = document.createElement("span");
        reason.className = "candidate-reason";
        reason.textContent = reasons.pain === key ? withoutName(reasons.text.get(candidate.tp) || "", point.title) : "";
        button.appendChild(reason);
        item.appendChild(button);
        addPalpation(item, candidate, point);
        return item;
      });
      list.replaceChildren.apply(list, items);
    }
    list.querySelectorAll("li[data-tp-id]").forEach(function (item) {
      var chosen = item.getAttribute("data-tp-id") === state.tp;
      var button = item.firstChild;
      button.classList.toggle("chosen", chosen);
      button.setAttribute("aria-pressed", chosen ? "true" : "false");
    });
  }

  /* The button already says the point's name: its reason goes on from there ("Explains both
   * marked areas: ..."), so a screen reader says the name once. */
  function withoutName(reason, title) {
    if (!title || reason.indexOf(title) !== 0) return reason;
    var rest = reason.slice(title.length).replace(/^\s+/, "");
    return rest.charAt(0).toUpperCase() + rest.slice(1);
  }

  function painSummary(pain, ranked) {
    if (!pain.length) return "No areas marked.";
    var count = pain.length + " area" + (pain.length === 1 ? "" : "s") + " marked";
    if (!ranked.length) return count + "; no trigger point in this map explains them.";
    var first = ranked.filter(function (c) { return c.rank === 1; });
    if (first.length > 1) {
      return count + "; equally likely: " + joinNames(first.map(function (c) { return rankingTable().points.get(c.tp).short; })) + ".";
    }
    return count + "; most likely: " + rankingTable().points.get(first[0].tp).title + ".";
  }

  /* ------------------------------------------------------------------ painting */

  function each(map, key, fn) { (map.get(key) || []).forEach(fn); }

  function setPressed(map, key, pressed) {
    each(map, key, function (el) { el.setAttribute("aria-pressed", pressed ? "true" : "false"); });
  }

  function shownPoint(state) {
    if (state.tp) return state.tp;
    return state.pain.length ? focusPoint : null;
  }

  /* Apply a state to the DOM, touching only what differs from what is shown. */
  function paintState(state) {
    var idx = ensureIndex();
    if (!idx) return false;
    var shown = shownPoint(state);
    var before = painted || { tp: null, shown: null, pain: [], side: "right", muscle: "all", mode: "explore" };
    if (before.shown !== shown) {
      if (before.shown) each(idx.zones, before.shown, function (el) { el.classList.remove("zone-shown"); });
      if (shown) each(idx.zones, shown, function (el) { el.classList.add("zone-shown"); });
      each(idx.points, before.shown, function (el) { el.classList.remove("tp-best"); });
      each(idx.details, before.shown, function (el) { el.hidden = true; });
      each(idx.details, shown, function (el) { el.hidden = false; });
      var empty = document.querySelector("#tp-detail .detail-empty");
      if (empty) empty.hidden = !!shown;
      var panel = document.getElementById("tp-detail");
      if (panel) panel.setAttribute("data-tp-id", shown || "");
    }
    each(idx.points, shown, function (el) { el.classList.toggle("tp-best", shown !== state.tp); });
    if (before.tp !== state.tp) {
      setPressed(idx.points, before.tp, false);
      setPressed(idx.tpButtons, before.tp, false);
      setPressed(idx.points, state.tp, true);
      setPressed(idx.tpButtons, state.tp, true);
    }
    var now = new Set(state.pain);
    var was = new Set(before.pain);
    now.forEach(function (r) {
      if (!was.has(r)) { setPressed(idx.regions, r, true); setPressed(idx.regionToggles, r, true); each(idx.regions, r, function (el) { labelRegion(el, true); }); }
    });
    was.forEach(function (r) {
      if (!now.has(r)) { setPressed(idx.regions, r, false); setPressed(idx.regionToggles, r, false); each(idx.regions, r, function (el) { labelRegion(el, false); }); }
    });
    if (before.side !== state.side || !painted) {
      idx.root.setAttribute("data-side", state.side);
      document.querySelectorAll("#side-choice [data-action]").forEach(function (button) {
        button.setAttribute("aria-pressed", button.getAttribute("data-action") === "side-" + state.side ? "true" : "false");
      });
    }
    if (before.muscle !== state.muscle || !painted) {
      idx.points.forEach(function (els, id) {
        els.forEach(function (el) {
          el.classList.toggle("tp-muted", state.muscle !== "all" && el.getAttribute("data-muscle") !== state.muscle);
        });
      });
      idx.groups.forEach(function (els, muscle) {
        els.forEach(function (el) { el.hidden = state.muscle !== "all" && muscle !== state.muscle; });
      });
      var select = document.getElementById("muscle-filter");
      if (select && select.value !== state.muscle) select.value = state.muscle;
    }
    if (before.mode !== state.mode || !painted) {
      var page = document.getElementById("page");
      if (page) page.classList.toggle("clinic", state.mode === "clinic");
      var toggle = document.getElementById("mode-toggle");
      if (toggle) toggle.setAttribute("aria-pressed", state.mode === "clinic" ? "true" : "false");
    }
    idx.root.setAttribute("data-shown-tp", shown || "");
    markInsetsThatMatter(idx.root);
    var detail = document.getElementById("tp-detail");
    if (detail) detail.classList.toggle("is-best", !!shown && shown !== state.tp);
    var answer = document.getElementById("answer");
    if (answer) {
      answer.classList.toggle("idle", !state.tp && !state.pain.length);
      answer.classList.toggle("pain-first", !state.tp && state.pain.length > 0);
    }
    painted = { tp: state.tp, shown: shown, pain: state.pain.slice(), side: state.side, muscle: state.muscle, mode: state.mode };
    return true;
  }

  /* ------------------------------------------------------------------ speaking */

  var spoken = "";
  function say(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    // The same words twice still count as news: vary them invisibly.
    spoken = text === spoken ? text + "\u00a0" : text;
    region.textContent = spoken;
  }

  function nameOf(element) {
    return (element && element.getAttribute("aria-label") || "").replace(/, trigger point$/, "")
      .replace(/: mark as painful$/, "").replace(/, marked as painful$/, "");
  }

  /* A pain area's name says whether it is marked (components/body_map.py, region_label). */
  function labelRegion(el, pressed) {
    var name = nameOf(el);
    el.setAttribute("aria-label", pressed ? name + ", marked as painful" : name + ": mark as painful");
  }

  /* What the live region says after a tap on a pain area: the area, then the answer. */
  var painNews = "";
  function notePainChange(region, marked) {
    var el = (ensureIndex().regions.get(region) || [])[0];
    painNews = el ? nameOf(el) + (marked ? " marked" : " unmarked") : "";
  }

  /* ------------------------------------------------------------------ moving to a new state */

  function commit(next) {
    next.v = ++seq;
    var painChanged = !current || next.pain.join(",") !== current.pain.join(",");
    current = next;
    var ranked = rank(current.pain, findingsOf(current));
    focusPoint = ranked.length ? ranked[0].tp : null;
    paintState(current);
    drawRanking(current, ranked);
    paintLevels(current);
    if (painChanged) say(painNews ? painNews + "; " + lowerFirst(painSummary(current.pain, ranked)) : painSummary(current.pain, ranked));
    painNews = "";
    openSheet();
    // Dash's own work (stores, callbacks, React) waits until the frame with the change is painted.
    var state = current;
    window.requestAnimationFrame(function () {
      window.setTimeout(function () { window.dash_clientside.set_props("explorer-state", { data: state }); }, 0);
    });
  }

  function pointName(tp) {
    var idx = ensureIndex();
    var el = idx && (idx.points.get(tp) || [])[0];
    return el ? nameOf(el) : tp;
  }

  function togglePoint(tp) {
    var next = copyState(current);
    next.tp = next.tp === tp ? null : tp;
    if (next.tp && next.muscle !== "all") {
      var el = (ensureIndex().points.get(tp) || [])[0];
      if (el && el.getAttribute("data-muscle") !== next.muscle) next.muscle = "all";
    }
    commit(next);
    say(next.tp ? pointName(tp) + " selected." : "Selection cleared.");
  }

  function togglePain(region) {
    var next = copyState(current);
    var at = next.pain.indexOf(region);
    if (at >= 0) { next.pain.splice(at, 1); delete next.intensity[region]; }
    else next.pain.push(region);
    notePainChange(region, at < 0);
    commit(next);
  }

  function lowerFirst(text) { return text.charAt(0).toLowerCase() + text.slice(1); }

  function clearSelection() {
    if (!current || !current.tp) return false;
    var next = copyState(current);
    var was = next.tp;
    next.tp = null;
    commit(next);
    say("Selection cleared.");
    return was;
  }

  function runAction(action) {
    var next = copyState(current);
    if (action === "clear-selection") {
      var was = clearSelection();
      // The button that was pressed is now hidden: keep focus on the point itself.
      if (was) focusShape((ensureIndex().points.get(was) || [])[0]);
      return;
    }
    if (action === "clear-pain") {
      if (!next.pain.length) return;
      next.pain = [];
      next.intensity = {};
      commit(next);
      return;
    }
    if (action === "side-right" || action === "side-left") {
      next.side = action.slice(5);
      if (next.side === current.side) return;
      commit(next);
      say("Showing the " + next.side + " leg.");
      return;
    }
    if (action === "mode") {
      next.mode = next.mode === "clinic" ? "explore" : "clinic";
      commit(next);
      say(next.mode === "clinic" ? "Clinic view on." : "Clinic view off.");
      return;
    }
    if (action === "sheet") toggleSheet();
    if (action.indexOf("view-") === 0) showView(action.slice(5));
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
    var matters = function (figure) {
      return !!figure.querySelector(".zone-shown, [aria-pressed='true']");
    };
    var any = Array.prototype.some.call(insets, matters);
    insets.forEach(function (figure) { figure.classList.toggle("is-aside", any && !matters(figure)); });
  }

  /* Bring the view that holds a shape into sight (a point chosen from a list, say). */
  function showViewOf(element) {
    var figure = element && element.closest(".map-figure");
    if (figure && figure.getClientRects().length === 0) showView(figure.getAttribute("data-tab"));
  }

  /* ------------------------------------------------------------------ the answer sheet (phones) */

  function openSheet() {
    var answer = document.getElementById("answer");
    if (!answer) return;
    if (answer.classList.contains("collapsed")) toggleSheet();
    // The answer to this tap starts at the top: of the sheet on phones, of the column beside the map.
    answer.scrollTop = 0;
    var body = document.getElementById("answer-body");
    if (body) body.scrollTop = 0;
  }

  function toggleSheet() {
    var answer = document.getElementById("answer");
    var button = document.getElementById("sheet-toggle");
    if (!answer || !button) return;
    var collapsed = answer.classList.toggle("collapsed");
    button.setAttribute("aria-expanded", collapsed ? "false" : "true");
    button.textContent = collapsed ? "Show answer" : "Hide answer";
  }

  /* ------------------------------------------------------------------ input */

  function focusShape(el) {
    var idx = ensureIndex();
    if (!idx || !el) return;
    idx.shapes.forEach(function (shape) { shape.setAttribute("tabindex", shape === el ? "0" : "-1"); });
    el.focus();
  }

  function visibleShapes() {
    return ensureIndex().shapes.filter(function (el) { return el.getClientRects().length > 0; });
  }

  /* Clicks are taken in the capture phase and not passed on: the map's shapes and the list
   * buttons are React components that would otherwise count every click (n_clicks) through
   * Dash's store, work that no callback uses and that would delay the paint. */
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !target.closest || !current) return;
    if (handleClick(target, event)) event.stopPropagation();
  }, true);

  function handleClick(target, event) {
    if (handleVisitClick(target)) return true;
    var action = target.closest("[data-action]");
    if (action && action.tagName !== "SELECT") {
      runAction(action.getAttribute("data-action"));
      return true;
    }
    if (target.closest("#handout-link[aria-disabled='true']")) {
      event.preventDefault();
      return true;
    }
    var candidate = target.closest("#source-ranking [data-tp-id]");
    if (candidate) {
      var tp = candidate.getAttribute("data-tp-id");
      showViewOf((ensureIndex().points.get(tp) || [])[0]);
      if (current.tp !== tp) togglePoint(tp);
      // Move focus to the point's facts, never to the page body.
      var heading = document.getElementById("detail-title-" + tp);
      if (heading) heading.focus();
      return true;
    }
    var point = target.closest("#body-map [data-tp-id], #tp-list [data-tp-id]");
    if (point) {
      var tpId = point.getAttribute("data-tp-id");
      if (point.closest("#body-map")) focusShapeQuietly(point);
      else showViewOf((ensureIndex().points.get(tpId) || [])[0]);
      togglePoint(tpId);
      return true;
    }
    var region = target.closest("#body-map [data-region-id], #region-list [data-region-id]");
    if (region) {
      var regionId = region.getAttribute("data-region-id");
      if (region.closest("#body-map")) focusShapeQuietly(region);
      else showViewOf((ensureIndex().regions.get(regionId) || [])[0]);
      togglePain(regionId);
      if (region.closest("#body-map")) keepAboveSheet(event);
      return true;
    }
    return false;
  }

  /* On phones the answer sheet rises over the bottom of the screen: if it would cover the spot
   * just tapped, the page scrolls so that the spot stays in sight above the sheet. */
  function keepAboveSheet(event) {
    var y = event.clientY;
    window.requestAnimationFrame(function () {
      var answer = document.getElementById("answer");
      if (!answer || getComputedStyle(answer).position !== "fixed" || answer.getBoundingClientRect().left > 0) return;
      var top = answer.getBoundingClientRect().top;
      if (y > top - 24) window.scrollBy(0, y - top + 48);
    });
  }

  /* ------------------------------------------------------------------ moving by keyboard */

  var DIRECTIONS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };

  function centreOf(el) {
    var box = (el.querySelector(".tp-hit") || el).getBoundingClientRect();
    return [box.left + box.width / 2, box.top + box.height / 2];
  }

  /* The shape whose centre lies nearest in the arrow's direction, in the same view first: a
   * step sideways counts double, so Down goes down the leg rather than across it. */
  function nearestInDirection(from, shapes, direction) {
    var origin = centreOf(from);
    var view = from.closest("svg");
    var best = null, bestCost = Infinity;
    shapes.forEach(function (el) {
      if (el === from) return;
      var c = centreOf(el);
      var dx = c[0] - origin[0], dy = c[1] - origin[1];
      var along = dx * direction[0] + dy * direction[1];
      if (along <= 2) return;
      var across = Math.abs(dx * direction[1] - dy * direction[0]);
      var cost = along + 2 * across + (el.closest("svg") === view ? 0 : 40);
      if (cost < bestCost) { bestCost = cost; best = el; }
    });
    return best;
  }

  /* Page Down and Page Up: the first shape of the next or previous view; where one view is drawn
   * at a time, its tab is chosen first. */
  function firstShapeOfNextView(from, step) {
    var tabs = Array.prototype.filter.call(document.querySelectorAll(".view-tabs [data-action]"),
      function (tab) { return tab.getClientRects().length > 0; });
    var views = Array.prototype.filter.call(document.querySelectorAll("#body-map svg.map-view"),
      function (view) { return view.getClientRects().length > 0; });
    var next;
    if (tabs.length > 1 && views.length < document.querySelectorAll("#body-map svg.map-view").length) {
      var at = tabs.findIndex(function (tab) { return tab.getAttribute("aria-pressed") === "true"; });
      var tab = tabs[(at + step + tabs.length) % tabs.length];
      showView(tab.getAttribute("data-action").slice(5));
      next = Array.prototype.find.call(document.querySelectorAll("#body-map .map-figure.is-current svg.map-view"),
        function (view) { return view.getClientRects().length > 0; });
    } else {
      var here = views.indexOf(from.closest("svg"));
      next = views[(here + step + views.length) % views.length];
    }
    var first = next && next.querySelector("[data-tp-id], [data-region-id]");
    if (first) say(nameOfView(next) + ".");
    return first;
  }

  function nameOfView(view) { return view.getAttribute("aria-label") || ""; }

  /* A tap makes the tapped shape the map's tab stop, without drawing a focus ring. */
  function focusShapeQuietly(el) {
    var idx = ensureIndex();
    if (!idx) return;
    idx.shapes.forEach(function (shape) { shape.setAttribute("tabindex", shape === el ? "0" : "-1"); });
  }

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select && current && handleLevelChange(select)) return;
    if (!select || select.id !== "muscle-filter" || !current) return;
    var next = copyState(current);
    next.muscle = select.value || "all";
    if (next.tp && next.muscle !== "all") {
      var el = (ensureIndex().points.get(next.tp) || [])[0];
      if (el && el.getAttribute("data-muscle") !== next.muscle) next.tp = null;
    }
    commit(next);
  });

  document.addEventListener("keydown", function (event) {
    if (!current) return;
    var target = event.target;
    if (event.key === "Escape") {
      if (target && (target.tagName === "SELECT" || target.tagName === "INPUT")) return;
      var was = clearSelection();
      if (was && target && target.closest && target.closest("#tp-detail")) focusShape((ensureIndex().points.get(was) || [])[0]);
      return;
    }
    var shape = target && target.closest && target.closest("#body-map [data-tp-id], #body-map [data-region-id]");
    if (!shape) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (shape.hasAttribute("data-tp-id")) togglePoint(shape.getAttribute("data-tp-id"));
      else togglePain(shape.getAttribute("data-region-id"));
      return;
    }
    var shapes = visibleShapes();
    if (DIRECTIONS[event.key]) {
      event.preventDefault();
      focusShape(nearestInDirection(shape, shapes, DIRECTIONS[event.key]) || shape);
    } else if (event.key === "PageDown" || event.key === "PageUp") {
      event.preventDefault();
      focusShape(firstShapeOfNextView(shape, event.key === "PageDown" ? 1 : -1) || shape);
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      focusShape(shapes[event.key === "Home" ? 0 : shapes.length - 1]);
    }
  });

  window.addEventListener("popstate", function (event) {
    var saved = event.state && event.state.explorer;
    if (!saved || !current) return;
    commit(copyState(saved));
  });

  /* ------------------------------------------------------------------ the clinic visit (issue 17)
   * What pressing found (found / tender / not_found: trigger point ids) and how much each marked
   * area hurts (intensity: area -> 0..10). Python owns both rules (components/palpation.py,
   * components/state.py); the words come from referral.browser_table, so they are written once. */

  var LEVELS = 10;

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

  function palpationWords() {
    var words = initialData().ranking;
    return (words && words.palpation) || { group: {}, choices: {}, notes: {}, parameters: {} };
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

  /* For the tests: rank with findings given as {tp: finding}. */
  function rankWith(pain, findings) {
    return rank(pain, new Map(Object.entries(findings || {})));
  }

  function addPalpation(item, candidate, point) {
    var words = palpationWords();
    if (candidate.palpation) {
      item.setAttribute("data-palpation", candidate.palpation);
      var note = document.createElement("span");
      note.className = "candidate-palpation palpation-" + candidate.palpation;
      note.textContent = words.notes[candidate.palpation] || "";
      item.firstChild.insertBefore(note, item.firstChild.querySelector(".candidate-reason"));
    }
    var group = document.createElement("div");
    group.className = "palpation";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", point.title + ": what pressing found");
    var label = document.createElement("span");
    label.className = "palpation-label";
    label.setAttribute("aria-hidden", "true");
    label.textContent = "Pressed:";
    group.appendChild(label);
    ["found", "tender", "not-found"].forEach(function (finding) {
      var choice = document.createElement("button");
      choice.type = "button";
      choice.className = "palpation-choice";
      choice.setAttribute("data-palpation-of", candidate.tp);
      choice.setAttribute("data-palpation", finding);
      choice.setAttribute("aria-pressed", candidate.palpation === finding ? "true" : "false");
      choice.textContent = words.choices[finding] || finding;
      group.appendChild(choice);
    });
    item.appendChild(group);
  }

  function ordinal(n) {
    var s = ["th", "st", "nd", "rd"], v = n % 100;
    return n + (s[(v - 20) % 10] || s[v] || s[0]);
  }

  function setPalpation(tp, finding) {
    var next = copyState(current);
    var lists = { found: next.found, tender: next.tender, "not-found": next.not_found };
    var was = findingsOf(next).get(tp) || null;
    Object.keys(lists).forEach(function (key) {
      var at = lists[key].indexOf(tp);
      if (at >= 0) lists[key].splice(at, 1);
    });
    var now = was === finding ? null : finding;  // pressing the chosen finding again clears it
    if (now) lists[now].push(tp);
    commit(next);
    var ranked = rank(next.pain, findingsOf(next));
    var place = ranked.findIndex(function (c) { return c.tp === tp; });
    var name = rankingTable().points.get(tp).title;
    var words = palpationWords();
    var where = place === 0 ? "now first" : place === ranked.length - 1 ? "now last" : "now " + ordinal(place + 1);
    say(name + ": " + (now ? words.choices[now] : "no finding") + "; " + where + ".");
    var again = document.querySelector('#source-ranking [data-palpation-of="' + CSS.escape(tp) + '"][data-palpation="' +
                                        (now || finding) + '"]');
    if (again) again.focus();
  }

  function regionTitle(region) {
    var idx = ensureIndex();
    var toggle = idx && (idx.regionToggles.get(region) || [])[0];
    return toggle ? toggle.textContent : region;
  }

  /* The number on each marked area, drawn by Python at the area's own point ([data-level-of]),
   * and one control per marked area beside the answer. */
  function paintLevels(state) {
    var levels = state.intensity || {};
    document.querySelectorAll("#body-map [data-level-of]").forEach(function (badge) {
      var region = badge.getAttribute("data-level-of");
      var marked = state.pain.indexOf(region) >= 0 && Object.prototype.hasOwnProperty.call(levels, region);
      var text = badge.querySelector("text");
      if (text) text.textContent = marked ? String(levels[region]) : "";
      badge.classList.toggle("level-shown", marked);
    });
    var box = document.getElementById("pain-levels");
    if (!box) return;
    var key = state.pain.join(",") + "|" + state.pain.map(function (r) { return levels[r]; }).join(",");
    if (box.getAttribute("data-drawn") === key) return;
    box.setAttribute("data-drawn", key);
    box.hidden = !state.pain.length;
    var rows = state.pain.map(function (region) {
      var row = document.createElement("li");
      row.setAttribute("data-region-id", region);
      var id = "level-" + region;
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = regionTitle(region);
      var select = document.createElement("select");
      select.id = id;
      select.className = "select level-select";
      select.setAttribute("data-level-for", region);
      var none = document.createElement("option");
      none.value = "";
      none.textContent = "no number";
      select.appendChild(none);
      for (var n = 0; n <= LEVELS; n += 1) {
        var option = document.createElement("option");
        option.value = String(n);
        option.textContent = n + " of 10";
        select.appendChild(option);
      }
      select.value = Object.prototype.hasOwnProperty.call(levels, region) ? String(levels[region]) : "";
      row.appendChild(label);
      row.appendChild(select);
      return row;
    });
    var list = box.querySelector("ul");
    if (list) list.replaceChildren.apply(list, rows);
  }

  function handleLevelChange(select) {
    var region = select.getAttribute && select.getAttribute("data-level-for");
    if (!region || current.pain.indexOf(region) < 0) return false;
    var next = copyState(current);
    if (select.value === "") delete next.intensity[region];
    else next.intensity[region] = Number(select.value);
    commit(next);
    say(regionTitle(region) + ": " + (select.value === "" ? "no number" : "pain " + select.value + " of 10") + ".");
    var again = document.getElementById("level-" + region);
    if (again) again.focus();
    return true;
  }

  function handleVisitClick(target) {
    var choice = target.closest("[data-palpation-of]");
    if (!choice) return false;
    setPalpation(choice.getAttribute("data-palpation-of"), choice.getAttribute("data-palpation"));
    return true;
  }

  /* ------------------------------------------------------------------ Dash callbacks */

  /* Once, when the page starts: the state Python parsed from the URL, and its notice. */
  function boot() {
    // The ranking chart (dcc.Graph) loads plotly.js only when it first appears: the small
    // bundle this app ships, not the full one Dash would fetch.
    var node = document.getElementById("initial-state");
    if (node && node.getAttribute("data-plotly")) window._dashPlotlyJSURL = node.getAttribute("data-plotly");
    var data = initialData();
    var opened = openedState(data);
    var state = copyState(opened.state);
    state.v = ++seq;
    current = state;
    return [state, typeof opened.notice === "string" ? opened.notice : ""];
  }

  /* Offline, the service worker answers a link with a query with the page made for the bare "/"
   * (components/offline.py): Python did not read this link now, but it did when the link was last
   * open here, and syncUrl kept that state in the history entry. Never a second URL parser. */
  function openedState(data) {
    if (!data.bare || window.location.search.length < 2) return data;
    var saved = window.history.state && window.history.state.explorer;
    return saved ? { state: saved, notice: "" } : { state: null, notice: data.offline_notice };
  }

  /* Whenever the state or Python's best point changes. Stale states (older than the one a
   * newer tap already painted) are skipped. */
  function paint(state) {
    var incoming = copyState(state);
    if (!current || incoming.v >= current.v) current = incoming;
    var ranked = rank(current.pain, findingsOf(current));
    focusPoint = ranked.length ? ranked[0].tp : null;
    var first = !painted;
    paintState(current);
    drawRanking(current, ranked);
    paintLevels(current);
    // A link that opens with pain marked says its answer once, as a tap would.
    if (first && current.pain.length) say(painSummary(current.pain, ranked));
    // A link to a point opens on the view that holds it, where one view is drawn at a time.
    if (first && current.tp) showViewOf((ensureIndex().points.get(current.tp) || [])[0]);
    return noUpdate();
  }

  /* Python's canonical query for a state: write it to the address bar and the history. */
  function syncUrl(page) {
    if (!page || typeof page !== "object" || typeof page.query !== "string") return noUpdate();
    var url = window.location.pathname + page.query + window.location.hash;
    var entry = { explorer: copyState(page.state) };
    if (!urlReady) window.history.replaceState(entry, "", url);
    else if (page.query !== window.location.search) window.history.pushState(entry, "", url);
    urlReady = true;
    return noUpdate();
  }

  /* The server's reason sentence for each ranked point, put under the names already shown. */
  function showReasons(data) {
    if (!data || typeof data !== "object" || !Array.isArray(data.pain) || !data.reasons) return noUpdate();
    reasons = { pain: data.pain.join(",") + "|" + (typeof data.palpation === "string" ? data.palpation : ""),
                text: new Map(Object.entries(data.reasons)) };
    if (current && reasons.pain === current.pain.join(",") + "|" + palpationKey(current)) {
      document.querySelectorAll("#source-ranking li[data-tp-id]").forEach(function (item) {
        var reason = item.querySelector(".candidate-reason");
        var point = rankingTable().points.get(item.getAttribute("data-tp-id"));
        if (reason) reason.textContent = withoutName(reasons.text.get(item.getAttribute("data-tp-id")) || "", point ? point.title : "");
      });
    }
    return noUpdate();
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    explorer: { boot: boot, paint: paint, syncUrl: syncUrl, showReasons: showReasons, rank: rank,
                rankWith: rankWith },
  });
})();
