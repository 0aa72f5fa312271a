/*
 * The diagram's browser side: turn clicks, keys and the URL into the explorer state (sync),
 * and restyle only the traces that changed (paint). A click on an X is painted from here,
 * without waiting for the server; the server fills in the text panels after, and sends the
 * best candidate for marked pain (paintFocus).
 *
 * Everything this file knows about the figure comes from the map index that the server
 * builds with the figure (components/figure.py): trace numbers, ids and colours.
 */
(function () {
  "use strict";

  var SIDES = ["right", "left"];
  var MAX_SHOWN = 40;

  function emptyState() {
    return { tp: null, pain: [], side: "right", muscle: "all", mode: "explore" };
  }

  function shown(value) {
    var text = String(value);
    return "\u201c" + (text.length > MAX_SHOWN ? text.slice(0, MAX_SHOWN) + "\u2026" : text) + "\u201d";
  }

  function uniqueIds(text) {
    var seen = [];
    String(text || "").split(",").forEach(function (part) {
      var id = part.trim().toLowerCase();
      if (id && seen.indexOf(id) < 0) seen.push(id);
    });
    return seen;
  }

  /* URL query -> a valid state, and a note on every value that had to be ignored. */
  function parseSearch(search, index) {
    var params = new URLSearchParams(search || "");
    var state = emptyState();
    var ignored = [];
    var tp = (params.get("tp") || "").trim().toLowerCase();
    if (tp) {
      if (index.points[tp]) state.tp = tp;
      else ignored.push("trigger point " + shown(params.get("tp")) + " is not in this map");
    }
    uniqueIds(params.getAll("pain").join(",")).forEach(function (region) {
      if (index.regions[region] !== undefined) state.pain.push(region);
      else ignored.push("area " + shown(region) + " is not a known region");
    });
    var side = params.get("side");
    if (side !== null) {
      if (SIDES.indexOf(side) >= 0) state.side = side;
      else ignored.push("side " + shown(side) + " must be left or right");
    }
    var muscle = params.get("muscle");
    if (muscle !== null && muscle !== "all") {
      if (index.muscles.indexOf(muscle) >= 0) state.muscle = muscle;
      else ignored.push("muscle " + shown(muscle) + " is not in this map");
    }
    var mode = params.get("mode");
    if (mode !== null) {
      if (mode === "clinic" || mode === "explore") state.mode = mode;
      else ignored.push("mode " + shown(mode) + " must be clinic");
    }
    return { state: state, ignored: ignored };
  }

  function toSearch(state) {
    var parts = [];
    if (state.tp) parts.push("tp=" + encodeURIComponent(state.tp));
    if (state.pain.length) parts.push("pain=" + state.pain.map(encodeURIComponent).join(","));
    if (state.side !== "right") parts.push("side=" + state.side);
    if (state.muscle !== "all") parts.push("muscle=" + encodeURIComponent(state.muscle));
    if (state.mode !== "explore") parts.push("mode=" + state.mode);
    return parts.length ? "?" + parts.join("&") : "";
  }

  function copyState(state) {
    var base = emptyState();
    if (!state || typeof state !== "object") return base;
    return {
      tp: state.tp || null,
      pain: Array.isArray(state.pain) ? state.pain.slice() : [],
      side: SIDES.indexOf(state.side) >= 0 ? state.side : base.side,
      muscle: state.muscle || base.muscle,
      mode: state.mode === "clinic" ? "clinic" : base.mode,
    };
  }

  function togglePain(state, region) {
    var at = state.pain.indexOf(region);
    if (at >= 0) state.pain.splice(at, 1);
    else state.pain.push(region);
  }

  function togglePoint(state, tp) {
    state.tp = state.tp === tp ? null : tp;
  }

  /* A click on the diagram: an X selects its point, anywhere else on the body marks pain. */
  function applyMapClick(state, clickData, index) {
    var point = clickData && clickData.points && clickData.points[0];
    if (!point) return false;
    var trace = index.traces[point.curveNumber];
    if (!trace) return false;
    if (trace.kind === "region") {
      togglePain(state, trace.id);
      return true;
    }
    if (trace.kind === "points" && trace.ids[point.pointNumber]) {
      togglePoint(state, trace.ids[point.pointNumber]);
      return true;
    }
    return false;
  }

  function splitPropId(propId) {
    var dot = propId.lastIndexOf(".");
    var idPart = propId.slice(0, dot);
    var id = idPart.charAt(0) === "{" ? JSON.parse(idPart) : idPart;
    return { id: id, prop: propId.slice(dot + 1) };
  }

  function sync(search, clickData, tpClicks, regionClicks, candidateClicks, clearSelection, clearInline,
                clearPain, side, muscle, modeClicks, state, index) {
    var nu = window.dash_clientside.no_update;
    var triggered = (window.dash_clientside.callback_context.triggered || []).filter(function (t) {
      return t && t.prop_id && t.prop_id !== ".";
    });
    var fromUrl = !triggered.length || triggered.some(function (t) { return t.prop_id.indexOf("url.") === 0; });
    if (fromUrl) {
      var parsed = parseSearch(search, index);
      var clean = toSearch(parsed.state);
      var notice = parsed.ignored.length ? "Part of this link was ignored: " + parsed.ignored.join("; ") + "." : "";
      return [parsed.state, clean === (search || "") ? nu : clean, notice, parsed.state.side, parsed.state.muscle];
    }
    var next = copyState(state);
    var first = splitPropId(triggered[0].prop_id);
    var value = triggered[0].value;
    var id = first.id;
    var changed = true;
    if (id === "body-map") {
      changed = applyMapClick(next, clickData, index);
    } else if (typeof id === "object") {
      if (!value) return [nu, nu, nu, nu, nu]; // a button that just appeared, not a click
      if (id.type === "tp-button") togglePoint(next, id.tp);
      else if (id.type === "candidate") next.tp = id.tp;
      else if (id.type === "region-toggle") togglePain(next, id.region);
      else if (id.type === "clear-inline") next.tp = null;
    } else if (id === "clear-selection") {
      next.tp = null;
    } else if (id === "clear-pain") {
      next.pain = [];
    } else if (id === "side-choice") {
      next.side = SIDES.indexOf(value) >= 0 ? value : "right";
    } else if (id === "muscle-filter") {
      next.muscle = value || "all";
      var point = next.tp && index.pointMuscles[next.tp];
      if (point && next.muscle !== "all" && point !== next.muscle) next.tp = null;
    } else if (id === "mode-toggle") {
      next.mode = next.mode === "clinic" ? "explore" : "clinic";
    }
    if (!changed) return [nu, nu, nu, nu, nu];
    return [next, toSearch(next), nu, nu, nu];
  }

  /* ---------------------------------------------------------------- painting */

  function graphDiv() {
    return document.querySelector("#body-map .js-plotly-plot");
  }

  function shownPoint(state, focus) {
    if (state.tp) return state.tp;
    return state.pain.length ? focus || null : null;
  }

  function setOf(list) {
    var out = {};
    (list || []).forEach(function (key) { out[key] = true; });
    return out;
  }

  /* Restyle only traces whose look changes; one Plotly.restyle call, style-only attributes. */
  function applyToGraph(gd, state, tp, index) {
    var before = gd.__explorer;
    if (!before || before.data !== gd.data) {
      before = { zones: {}, regions: {}, tp: null, side: "right", muscle: "all", data: gd.data };
    }
    var style = index.style;
    var updates = {};
    function set(trace, attr, value) {
      updates[trace] = updates[trace] || {};
      updates[trace][attr] = value;
    }
    var zonesNow = setOf(tp ? index.zones[tp] : []);
    Object.keys(Object.assign({}, before.zones, zonesNow)).forEach(function (trace) {
      if (!!before.zones[trace] !== !!zonesNow[trace]) set(trace, "opacity", zonesNow[trace] ? 1 : 0);
    });
    var regionsNow = setOf(state.pain.map(function (r) { return index.regions[r]; }));
    Object.keys(Object.assign({}, before.regions, regionsNow)).forEach(function (trace) {
      if (!!before.regions[trace] !== !!regionsNow[trace]) {
        set(trace, "fillcolor", regionsNow[trace] ? style.painFill : style.hoverFill);
        set(trace, "line.width", regionsNow[trace] ? 2.5 : 0);
      }
    });
    if (before.tp !== tp) {
      if (before.tp && index.rings[before.tp] !== undefined) set(index.rings[before.tp], "opacity", 0);
      if (tp && index.rings[tp] !== undefined) set(index.rings[tp], "opacity", 1);
    }
    // The figure starts with every muscle visible: only a real change pays for `visible`.
    if (before.muscle !== state.muscle) {
      index.traces.forEach(function (trace, number) {
        if (trace.kind === "points") set(number, "visible", state.muscle === "all" || state.muscle === trace.muscle);
      });
    }
    // Plotly.restyle takes one value per listed trace. Only scalar style attributes are sent
    // (opacity, fillcolor, line.width), so Plotly restyles without recalculating.
    // Opacity (zones, rings) is set straight on the drawn trace, the way the floor page does it.
    Object.keys(updates).forEach(function (trace) {
      var attrs = updates[trace];
      if (Object.keys(attrs).length === 1 && attrs.opacity !== undefined && setOpacityNow(gd, Number(trace), attrs.opacity)) {
        delete updates[trace];
      }
    });
    var traces = Object.keys(updates).map(Number);
    if (traces.length) {
      var attrs = {};
      traces.forEach(function (trace) { Object.keys(updates[trace]).forEach(function (a) { attrs[a] = []; }); });
      Object.keys(attrs).forEach(function (attr) {
        attrs[attr] = traces.map(function (trace) { return updates[trace][attr]; });
      });
      window.Plotly.restyle(gd, attrs, traces);
    }
    if (before.side !== state.side) {
      var range = style.range.slice();
      window.Plotly.relayout(gd, { "xaxis.range": state.side === "left" ? [range[1], range[0]] : range });
      flipLabels(gd, index);
    }
    gd.__explorer = { zones: zonesNow, regions: regionsNow, tp: tp, side: state.side, muscle: state.muscle, data: gd.data };
    gd.setAttribute("data-shown-tp", tp || "");
    gd.setAttribute("data-side", state.side);
  }

  /* Point labels sit on the side away from the leg's midline; in the mirror that is the other
   * screen side. Rare (a side change), so a full restyle is fine here. */
  var LABEL_FLIP = { "middle left": "middle right", "middle right": "middle left" };
  function flipLabels(gd, index) {
    var traces = [], positions = [];
    index.traces.forEach(function (trace, number) {
      if (trace.kind !== "points") return;
      traces.push(number);
      positions.push(gd.data[number].textposition.map(function (p) { return LABEL_FLIP[p] || p; }));
    });
    if (traces.length) window.Plotly.restyle(gd, { textposition: positions }, traces);
  }

  /* Show or hide one trace without Plotly.restyle, whose full supplyDefaults pass costs ~75 ms
   * here. The value is written to gd.data and _fullData too, so any later redraw (resize,
   * relayout) draws the same thing. Returns false when the trace is not drawn yet. */
  function setOpacityNow(gd, trace, value) {
    var full = gd._fullData && gd._fullData[trace];
    var group = full && gd.querySelector("g.trace" + full.uid);
    if (!group) return false;
    gd.data[trace].opacity = value;
    full.opacity = value;
    group.style.opacity = value;
    return true;
  }

  /* Paint a selection from the input event itself, before Dash has run any callback; the
   * sync and paint callbacks that follow find the graph already in that state. */
  function paintNow(tpId) {
    var gd = graphDiv();
    if (!gd || !gd._fullLayout || !currentIndex) return;
    var next = copyState(lastState);
    togglePoint(next, tpId);
    lastState = next;
    applyToGraph(gd, next, shownPoint(next, lastFocus), currentIndex);
  }

  function listenForClicks(gd) {
    if (gd.__explorerListening) return;
    gd.__explorerListening = true;
    gd.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var trace = point && currentIndex && currentIndex.traces[point.curveNumber];
      if (trace && trace.kind === "points" && trace.ids[point.pointNumber]) paintNow(trace.ids[point.pointNumber]);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest(".tp-button[data-tp-id]");
    if (button) paintNow(button.getAttribute("data-tp-id"));
  }, true);

  var currentIndex = null;
  var pending = null;
  function paintWhenReady(state, tp, index, tries) {
    var gd = graphDiv();
    if (gd && gd._fullLayout && gd.data && window.Plotly) {
      currentIndex = index;
      listenForClicks(gd);
      applyToGraph(gd, state, tp, index);
      return;
    }
    if (tries > 200) return;
    clearTimeout(pending);
    pending = setTimeout(function () { paintWhenReady(state, tp, index, tries + 1); }, 25);
  }

  function filterLists(state) {
    document.querySelectorAll(".tp-group[data-muscle]").forEach(function (group) {
      group.hidden = state.muscle !== "all" && group.getAttribute("data-muscle") !== state.muscle;
    });
  }

  var lastFocus = null;
  var lastState = emptyState();

  /* Painting never waits for the server: it uses the last focus the server sent. */
  function paint(rawState, index) {
    var state = copyState(rawState);
    lastState = state;
    var tp = shownPoint(state, lastFocus);
    paintWhenReady(state, tp, index, 0);
    filterLists(state);
    var outputs = window.dash_clientside.callback_context.outputs_list;
    var painSet = setOf(state.pain);
    var tpPressed = outputs[1].map(function (o) { return String(o.id.tp === state.tp); });
    var regionPressed = outputs[2].map(function (o) { return String(!!painSet[o.id.region]); });
    return [
      { tp: tp, pain: state.pain, side: state.side },
      tpPressed,
      regionPressed,
      String(state.mode === "clinic"),
      state.mode === "clinic" ? "page clinic" : "page",
    ];
  }

  /* The server's best candidate for marked pain: repaint only when it changes what is shown. */
  function paintFocus(focus, index) {
    lastFocus = focus || null;
    paintWhenReady(lastState, shownPoint(lastState, lastFocus), index, 0);
    return lastFocus;
  }

  /* Esc clears the selection from anywhere except a text field or an open menu. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var target = event.target;
    if (target && (target.tagName === "INPUT" && target.type === "text")) return;
    if (target && target.closest && target.closest(".Select-menu-outer, .dash-dropdown")) return;
    var button = document.getElementById("clear-selection");
    if (button) button.click();
  });

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    explorer: { sync: sync, paint: paint, paintFocus: paintFocus, parseSearch: parseSearch, toSearch: toSearch },
  });
})();
