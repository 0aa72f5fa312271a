/*
 * The panels this script draws itself: the ranked list (#source-ranking) with each point's reason,
 * the warning signs the marked areas raise beside it, what pressing found under each candidate, one
 * pain-number control per marked area, the point's facts before Dash has drawn its own, and the
 * answer sheet on phones. Every text is put in as text (textContent), never as markup.
 */
(function () {
  "use strict";

  var calf = window.calfMap;
  var now = calf.now;
  var ranking = calf.ranking;

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function rankingKey(state) { return state.pain.join(",") + "|" + calf.state.palpationKey(state); }

  /* The button already says the point's name: its reason goes on from there ("Explains both
   * marked areas: ..."), so a screen reader says the name once. */
  function withoutName(reason, title) {
    if (!title || reason.indexOf(title) !== 0) return reason;
    var rest = reason.slice(title.length).replace(/^\s+/, "");
    return rest.charAt(0).toUpperCase() + rest.slice(1);
  }

  function candidateItem(candidate, ranked, counts, marked) {
    var item = element("li");
    item.setAttribute("data-tp-id", candidate.tp);
    item.setAttribute("data-rank", String(candidate.rank));
    var button = element("button", "candidate");
    button.appendChild(element("span", "candidate-name", candidate.rank + ". " + ranking.title(candidate.tp)));
    if (counts.get(candidate.rank) > 1) {
      // Say with whom: "equally likely" alone leaves the reader to guess what it is equal to.
      button.appendChild(element("span", "candidate-tie", "equally likely with " + ranking.joinNames(ranked.filter(function (other) {
        return other.rank === candidate.rank && other.tp !== candidate.tp;
      }).map(function (other) { return ranking.short(other.tp); }))));
    }
    if (candidate.palpation) {
      item.setAttribute("data-palpation", candidate.palpation);
      button.appendChild(element("span", "candidate-palpation palpation-" + candidate.palpation,
                                 ranking.palpation.notes[candidate.palpation] || ""));
    }
    button.appendChild(element("span", "candidate-reason", withoutName(ranking.reason(candidate, marked), ranking.title(candidate.tp))));
    item.appendChild(button);
    item.appendChild(palpationChoices(candidate));
    return item;
  }

  /* "Pressed:" found / tender / not found, under each candidate (the clinic visit). */
  function palpationChoices(candidate) {
    var group = element("div", "palpation");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", ranking.title(candidate.tp) + ": what pressing found");
    var label = element("span", "palpation-label", "Pressed:");
    label.setAttribute("aria-hidden", "true");
    group.appendChild(label);
    ["found", "tender", "not-found"].forEach(function (finding) {
      var choice = element("button", "palpation-choice", ranking.palpation.choices[finding] || finding);
      choice.type = "button";
      choice.setAttribute("data-palpation-of", candidate.tp);
      choice.setAttribute("data-palpation", finding);
      choice.setAttribute("aria-pressed", candidate.palpation === finding ? "true" : "false");
      group.appendChild(choice);
    });
    return group;
  }

  function drawRanking(state, ranked) {
    var list = document.getElementById("source-ranking");
    if (!list) return;
    var key = rankingKey(state);
    if (list.getAttribute("data-drawn") !== key) {
      list.setAttribute("data-drawn", key);
      var counts = new Map();
      ranked.forEach(function (c) { counts.set(c.rank, (counts.get(c.rank) || 0) + 1); });
      list.replaceChildren.apply(list, ranked.map(function (candidate) {
        return candidateItem(candidate, ranked, counts, state.pain.length);
      }));
      drawFlags(state.pain);
      // "Mark where it hurts": the first paint's, and Dash's until the server answers (offline, never).
      document.querySelectorAll("#ranking-panel .mark-hint").forEach(function (hint) { hint.hidden = state.pain.length > 0; });
    }
    list.querySelectorAll("li[data-tp-id]").forEach(function (item) {
      var chosen = item.getAttribute("data-tp-id") === state.tp;
      item.firstChild.classList.toggle("chosen", chosen);
      item.firstChild.setAttribute("aria-pressed", chosen ? "true" : "false");
    });
  }

  /* The warning signs the marked areas raise (ranking.raisedFlags, Python's rule): named in a line
   * above the list, each with why and what to do in the box under it, and said by the second live region. */
  function drawFlags(pain) {
    var words = calf.page.raisedFlagWords;
    var raised = ranking.raisedFlags(pain).map(function (hit) {
      var flag = calf.page.redFlags.find(function (f) { return f.id === hit.id; }) || { id: hit.id, name: hit.id };
      return Object.assign({}, flag, { because: hit.because });
    });
    var names = ranking.joinNames(raised.map(function (flag) { return flag.name; })) + ".";
    var line = document.getElementById("raised-flags-line");
    if (line) {
      line.hidden = !raised.length;
      line.replaceChildren(element("strong", "", words.title + ": "), raised.length ? names : "");
    }
    var box = document.getElementById("raised-flags");
    var list = box && box.querySelector("ul");
    if (list) {
      box.hidden = !raised.length;
      list.replaceChildren.apply(list, raised.map(flagItem));
    }
    var said = raised.length ? words.said + names : "";
    var announcer = document.getElementById("flag-announcer");
    if (announcer && announcer.textContent !== said) announcer.textContent = said;
  }

  function flagItem(flag) {
    var item = element("li", "raised-flag red-flag-" + flag.urgency);
    item.setAttribute("data-flag-id", flag.id);
    item.appendChild(element("span", "urgency urgency-" + flag.urgency, flag.urgency_word));
    item.appendChild(element("strong", "", flag.name));
    item.appendChild(element("p", "because", flag.because));
    item.appendChild(element("p", "flag-action", flag.action));
    return item;
  }

  /* How much each marked area hurts: one control per marked area beside the answer. */
  function painLevels(state) {
    var box = document.getElementById("pain-levels");
    if (!box) return;
    var levels = state.intensity || {};
    var key = state.pain.join(",") + "|" + state.pain.map(function (r) { return levels[r]; }).join(",");
    if (box.getAttribute("data-drawn") === key) return;
    box.setAttribute("data-drawn", key);
    box.hidden = !state.pain.length;
    var list = box.querySelector("ul");
    if (list) list.replaceChildren.apply(list, state.pain.map(function (region) { return levelRow(region, levels); }));
  }

  function levelRow(region, levels) {
    var row = element("li");
    row.setAttribute("data-region-id", region);
    var label = element("label", "", calf.announce.regionName(region));
    label.htmlFor = "level-" + region;
    var select = element("select", "select level-select");
    select.id = "level-" + region;
    select.setAttribute("data-level-for", region);
    var none = element("option", "", "no number");
    none.value = "";
    select.appendChild(none);
    for (var n = 0; n <= calf.LEVELS; n += 1) {
      var option = element("option", "", n + " of 10");
      option.value = String(n);
      select.appendChild(option);
    }
    select.value = Object.prototype.hasOwnProperty.call(levels, region) ? String(levels[region]) : "";
    row.appendChild(label);
    row.appendChild(select);
    return row;
  }

  /* Before Dash has drawn its panels, the first paint's one detail block shows the point's facts
   * from the page's data. */
  function sketchDetail(tp) {
    var block = document.querySelector("#first-paint #tp-detail .detail-block");
    if (!block) return;
    var point = tp ? calf.page.points.get(tp) : null;
    block.hidden = !point;
    block.setAttribute("data-detail-of", point ? tp : "");
    if (!point) { block.replaceChildren(); return; }
    var facts = element("dl", "facts");
    [["Where to find it", point.location, ""], ["Main pain area", point.essential, "zone-essential-text"],
     ["Sometimes also", point.spillover, "zone-spillover-text"], ["What it often feels like", point.feels_like, ""]]
      .forEach(function (row) {
        if (!row[1]) return;
        facts.appendChild(element("dt", "", row[0]));
        facts.appendChild(element("dd", row[2], row[1]));
      });
    var heading = element("h2", "detail-title", point.title);
    heading.tabIndex = -1;
    block.replaceChildren(heading, facts, selfCare(point.muscle));
  }

  function selfCare(muscle) {
    var steps = (calf.page.selfCare.get(muscle) || []).filter(function (step) { return step.kind !== "caution"; });
    var box = element("div", "self-care-sketch");
    if (!steps.length) return box;
    box.appendChild(element("h3", "", "Self-care"));
    var list = element("ol");
    steps.forEach(function (step) {
      list.appendChild(element("li", "", step.title + ": " + step.instructions + (step.timing ? " (" + step.timing + ")" : "")));
    });
    box.appendChild(list);
    return box;
  }

  /* ------------------------------------------------------------------ the answer sheet (phones) */

  /* The answer to a tap starts at the top: of the sheet on phones, of the column beside the map.
   * Setting scrollTop lays the page out at once, so it waits for the frame that paints the tap,
   * unless that frame is already painted (``painted``). */
  function openSheet(painted) {
    var answer = document.getElementById("answer");
    if (!answer) return;
    if (answer.classList.contains("collapsed")) toggleSheet();
    var toTop = function () {
      answer.scrollTop = 0;
      var body = document.getElementById("answer-body");
      if (body) body.scrollTop = 0;
    };
    if (painted) toTop();
    else calf.afterPaint(toTop);
  }

  function toggleSheet() {
    var answer = document.getElementById("answer");
    var button = document.getElementById("sheet-toggle");
    if (!answer || !button) return;
    var collapsed = answer.classList.toggle("collapsed");
    button.setAttribute("aria-expanded", collapsed ? "false" : "true");
    button.textContent = collapsed ? "Show answer" : "Hide answer";
  }

  calf.panels = { ranking: drawRanking, painLevels: painLevels, sketchDetail: sketchDetail,
                  openSheet: openSheet, toggleSheet: toggleSheet };
})();
