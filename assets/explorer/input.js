/*
 * Input: taps, keys, the filter, the back button. Each makes the next state from the current one
 * and commits it: painted at once, said in words, then handed to Dash (when it has loaded).
 */
(function () {
  "use strict";

  var calf = window.calfMap;
  var now = calf.now;
  var copy = calf.state.copy;
  var say = calf.announce.say;

  /* ------------------------------------------------------------------ moving to a new state */

  /* ``onMap``: the input was a tap or key on the map itself, whose answer starts on the map. Where
   * the answer is a column beside the map, the map is painted first (see show); where it is a sheet
   * over the map (phones), both are painted in the tap's frame: the sheet opens over the map, so
   * two frames would show it in two steps, and on a phone's dense screen each frame costs more
   * than the column's layout saves (docs/performance.md). */
  function commit(next, onMap) {
    next.v = ++now.seq;
    var painChanged = !now.current || next.pain.join(",") !== now.current.pain.join(",");
    now.current = next;
    var mapFirst = !!onMap && !calf.panels.answerIsSheet();
    var ranked = show(next, mapFirst);
    if (!mapFirst) calf.panels.openSheet(false);
    if (painChanged) {
      var summary = calf.ranking.painSummary(next.pain, ranked);
      say(now.painNews ? now.painNews + "; " + calf.announce.lowerFirst(summary) : summary);
    }
    now.painNews = "";
    calf.dash.send(next);
  }

  /* Paint the current state; returns its ranking. A tap on the map (``mapFirst``) paints the map
   * in its own frame and what is around it (the point's facts, the ranking, the lists, the sheet)
   * in the frame after, so the zones under the finger never wait for the answer column's layout.
   * Anything else (a list, a link, Dash's redraw) paints both at once. */
  function show(state, mapFirst) {
    var ranked = calf.ranking.rank(state.pain, calf.state.findingsOf(state));
    now.focusPoint = ranked.length ? ranked[0].tp : null;
    now.ranked = ranked;
    calf.paint.map(state);
    if (!mapFirst) showAround(false);
    else if (!now.aroundDue) {
      now.aroundDue = true;
      calf.afterPaint(function () { showAround(true); });
    }
    return ranked;
  }

  /* The panels around the map, for the current state; after a tap on the map, its answer sheet opens. */
  function showAround(tapped) {
    now.aroundDue = false;
    var state = now.current;
    if (!state) return;
    calf.paint.around(state);
    calf.panels.ranking(state, now.ranked);
    calf.panels.painLevels(state);
    if (tapped) calf.panels.openSheet(true);
    calf.announce.sayWhatWaited();
  }

  function muscleOf(tp) {
    var point = calf.page.points.get(tp);
    return point ? point.muscle : null;
  }

  function togglePoint(tp, onMap) {
    var next = copy(now.current);
    next.tp = next.tp === tp ? null : tp;
    // The chosen point is never hidden by the muscle filter.
    if (next.tp && next.muscle !== "all" && muscleOf(tp) !== next.muscle) next.muscle = "all";
    commit(next, onMap);
    if (next.tp) keepPointAboveSheet(next.tp);
    say(next.tp ? calf.ranking.title(tp) + " selected." : "Selection cleared.");
  }

  function togglePain(region, onMap) {
    var next = copy(now.current);
    var at = next.pain.indexOf(region);
    if (at >= 0) { next.pain.splice(at, 1); delete next.intensity[region]; }
    else next.pain.push(region);
    now.painNews = calf.announce.regionName(region) + (at < 0 ? " marked" : " unmarked");
    commit(next, onMap);
  }

  function clearSelection() {
    if (!now.current || !now.current.tp) return null;
    var next = copy(now.current);
    var was = next.tp;
    next.tp = null;
    commit(next);
    say("Selection cleared.");
    return was;
  }

  function setSide(side) {
    if (side === now.current.side) return;
    var next = copy(now.current);
    next.side = side;
    commit(next);
    say("Showing the " + side + " leg.");
  }

  function toggleMode() {
    var next = copy(now.current);
    next.mode = next.mode === "clinic" ? "explore" : "clinic";
    commit(next);
    say(next.mode === "clinic" ? "Clinic view on." : "Clinic view off.");
  }

  function clearPain() {
    if (!now.current.pain.length) return;
    var next = copy(now.current);
    next.pain = [];
    next.intensity = {};
    commit(next);
  }

  function runAction(action) {
    if (action === "clear-selection") {
      var was = clearSelection();
      // The button that was pressed is now hidden: keep focus on the point itself.
      if (was) focusShape(calf.paint.pointElement(was));
    } else if (action === "clear-pain") clearPain();
    else if (action === "side-right" || action === "side-left") setSide(action.slice(5));
    else if (action === "mode") toggleMode();
    else if (action === "sheet") calf.panels.toggleSheet();
    else if (action.indexOf("view-") === 0) calf.paint.showView(action.slice(5));
  }

  /* ------------------------------------------------------------------ the clinic visit
   * What pressing found (found / tender / not_found) and how much each marked area hurts
   * (intensity: area -> 0..10). Python owns both rules (components/domain/palpation.py, state.py). */

  function setPalpation(tp, finding) {
    var next = copy(now.current);
    var lists = { found: next.found, tender: next.tender, "not-found": next.not_found };
    var was = calf.state.findingsOf(next).get(tp) || null;
    Object.keys(lists).forEach(function (key) {
      var at = lists[key].indexOf(tp);
      if (at >= 0) lists[key].splice(at, 1);
    });
    var found = was === finding ? null : finding;  // pressing the chosen finding again clears it
    if (found) lists[found].push(tp);
    commit(next);
    var ranked = calf.ranking.rank(next.pain, calf.state.findingsOf(next));
    say(calf.ranking.title(tp) + ": " + (found ? calf.ranking.palpation.choices[found] : "no finding") + "; " +
        calf.ranking.placeWords(ranked, tp) + ".");
    var again = document.querySelector('#source-ranking [data-palpation-of="' + CSS.escape(tp) + '"][data-palpation="' +
                                       (found || finding) + '"]');
    if (again) again.focus();
  }

  function setLevel(select) {
    var region = select.getAttribute && select.getAttribute("data-level-for");
    if (!region || now.current.pain.indexOf(region) < 0) return false;
    var next = copy(now.current);
    if (select.value === "") delete next.intensity[region];
    else next.intensity[region] = Number(select.value);
    commit(next);
    say(calf.announce.regionName(region) + ": " + (select.value === "" ? "no number" : "pain " + select.value + " of 10") + ".");
    var again = document.getElementById("level-" + region);
    if (again) again.focus();
    return true;
  }

  function setMuscle(muscle) {
    var next = copy(now.current);
    next.muscle = muscle || "all";
    if (next.tp && next.muscle !== "all" && muscleOf(next.tp) !== next.muscle) next.tp = null;
    commit(next);
  }

  /* ------------------------------------------------------------------ taps */

  /* Clicks are taken in the capture phase and not passed on: the list buttons are React
   * components that would otherwise count every click (n_clicks) through Dash's store, work that
   * no callback uses and that would delay the paint. */
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !target.closest || !now.current) return;
    if (handleClick(target, event)) event.stopPropagation();
  }, true);

  /* A press on a shape of the map does not move the focus there at once: the click makes it the
   * map's tab stop and focuses it once the tap's frame is painted (focusAfterPaint), so the arrow
   * keys go on from it. Focusing on the press made the browser restyle the page between the press
   * and the click, half the time a tap took to paint its zone (docs/performance.md). */
  document.addEventListener("mousedown", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("#body-map [data-tp-id], #body-map [data-region-id]")) {
      event.preventDefault();
    }
  }, true);

  /* The map's two kinds of shape, each also a button in its list below the map: a press on either
   * toggles it; from the list, the map first turns to the view that shows it. */
  var PRESSABLE = [
    { selector: "#body-map [data-tp-id], #tp-list [data-tp-id]", key: "data-tp-id",
      element: calf.paint.pointElement, press: togglePoint },
    { selector: "#body-map [data-region-id], #region-list [data-region-id]", key: "data-region-id",
      element: calf.paint.regionElement,
      press: function (region, onMap, event) {
        togglePain(region, onMap);
        // Keep the marked area in sight above the answer sheet that opens on a phone.
        if (onMap) {
          var y = event.clientY;
          keepAboveSheet(function () { return [y]; });
        }
      } },
  ];

  function handleClick(target, event) {
    var choice = target.closest("[data-palpation-of]");
    if (choice) {
      setPalpation(choice.getAttribute("data-palpation-of"), choice.getAttribute("data-palpation"));
      return true;
    }
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
      calf.paint.showViewOf(calf.paint.pointElement(tp));
      if (now.current.tp !== tp) togglePoint(tp);
      // Move focus to the point's facts, never to the page body.
      var heading = document.getElementById("detail-title-" + tp) || document.querySelector("#tp-detail .detail-block:not([hidden]) .detail-title");
      if (heading) heading.focus();
      return true;
    }
    for (var i = 0; i < PRESSABLE.length; i++) {
      var kind = PRESSABLE[i];
      var shape = target.closest(kind.selector);
      if (!shape) continue;
      var id = shape.getAttribute(kind.key);
      var onMap = !!shape.closest("#body-map");
      if (onMap) focusAfterPaint(shape);
      else calf.paint.showViewOf(kind.element(id));
      kind.press(id, onMap, event);
      return true;
    }
    return false;
  }

  /* On phones the answer sheet rises over the bottom of the screen: if it would cover the spot
   * just tapped, the page scrolls so that the spot stays in sight above the sheet. ``spot()`` gives
   * [y, highest]: the spot's y, and (optional) a spot that must not leave the top of the screen for
   * it. Both are read after the tap's frame is painted, so that a tap never waits for a layout. */
  function keepAboveSheet(spot) {
    calf.afterPaint(function () {
      if (!calf.panels.answerIsSheet()) return;
      var where = spot();
      if (!where) return;
      var y = where[0], highest = where[1];
      var top = calf.panels.answerBox().getBoundingClientRect().top;
      var by = y - top + 48;
      if (highest !== undefined) by = Math.min(by, highest - 8);
      if (y > top - 24 && by > 0) window.scrollBy(0, by);
    });
  }

  /* A chosen point, by the same rule: its X stays above the sheet, and the start of its main pain
   * area too when the screen has room for both. */
  function keepPointAboveSheet(tp) {
    keepAboveSheet(function () {
      var point = calf.paint.pointElement(tp);
      if (!point || !point.getClientRects().length) return null;
      var x = (point.querySelector(".tp-x") || point).getBoundingClientRect();
      var zones = Array.prototype.filter.call(
        document.querySelectorAll('#body-map .zone-essential[data-zone-of="' + CSS.escape(tp) + '"]'),
        function (zone) { return zone.getClientRects().length; });
      var below = zones.map(function (zone) { return zone.getBoundingClientRect().top + 24; });
      return [Math.max.apply(null, [x.bottom + 16].concat(below)), x.top];
    });
  }

  /* ------------------------------------------------------------------ keys */

  var DIRECTIONS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };

  /* The map is one tab stop: the shape tapped or moved to last. A tap sets it without focusing. */
  function makeTabStop(el) {
    var idx = calf.paint.index();
    if (!idx || !el) return;
    // Only the old tab stop and the new one change: rewriting every shape's tabindex made the
    // browser restyle the whole map on each tap.
    idx.root.querySelectorAll('[tabindex="0"]').forEach(function (shape) {
      if (shape !== el) shape.setAttribute("tabindex", "-1");
    });
    if (el.getAttribute("tabindex") !== "0") el.setAttribute("tabindex", "0");
  }

  function focusAfterPaint(el) {
    calf.afterPaint(function () {
      makeTabStop(el);
      el.focus({ preventScroll: true });
    });
  }

  function focusShape(el) {
    if (!el) return;
    makeTabStop(el);
    el.focus();
  }

  function visibleShapes() {
    return calf.paint.index().shapes.filter(function (el) { return el.getClientRects().length > 0; });
  }

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

  function isShown(el) { return el.getClientRects().length > 0; }

  /* Page Down and Page Up: the first shape of the next or previous view; where one view is drawn
   * at a time, its tab is chosen first. */
  function firstShapeOfNextView(from, step) {
    var tabs = Array.prototype.filter.call(document.querySelectorAll(".view-tabs [data-action]"), isShown);
    var all = document.querySelectorAll("#body-map svg.map-view");
    var views = Array.prototype.filter.call(all, isShown);
    var next;
    if (tabs.length > 1 && views.length < all.length) {
      var at = tabs.findIndex(function (tab) { return tab.getAttribute("aria-pressed") === "true"; });
      var tab = tabs[(at + step + tabs.length) % tabs.length];
      calf.paint.showView(tab.getAttribute("data-action").slice(5));
      next = Array.prototype.find.call(document.querySelectorAll("#body-map .map-figure.is-current svg.map-view"), isShown);
    } else {
      next = views[(views.indexOf(from.closest("svg")) + step + views.length) % views.length];
    }
    var first = next && next.querySelector("[data-tp-id], [data-region-id]");
    if (first) say((next.getAttribute("aria-label") || "") + ".");
    return first;
  }

  document.addEventListener("keydown", function (event) {
    if (!now.current) return;
    var target = event.target;
    if (event.key === "Escape") {
      if (target && (target.tagName === "SELECT" || target.tagName === "INPUT")) return;
      var was = clearSelection();
      if (was && target && target.closest && target.closest("#tp-detail")) focusShape(calf.paint.pointElement(was));
      return;
    }
    var shape = target && target.closest && target.closest("#body-map [data-tp-id], #body-map [data-region-id]");
    if (!shape) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (shape.hasAttribute("data-tp-id")) togglePoint(shape.getAttribute("data-tp-id"), true);
      else togglePain(shape.getAttribute("data-region-id"), true);
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

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select || !now.current || setLevel(select)) return;
    if (select.id === "muscle-filter") setMuscle(select.value);
  });

  window.addEventListener("popstate", function (event) {
    var saved = event.state && event.state.explorer;
    if (!saved || !now.current) return;
    commit(copy(saved));
  });

  calf.input = { commit: commit, show: show, keepPointAboveSheet: keepPointAboveSheet };
})();
