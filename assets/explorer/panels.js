/*
 * The panels this script draws itself: the ranked list (#source-ranking) with each point's reason,
 * the warning signs the marked areas raise beside it, what pressing found under each candidate, one
 * pain-number control per marked area, the point's facts before Dash has drawn its own, the notes
 * around the ranking and the self-care when no server answers (offline), and the answer sheet on
 * phones. Every text is put in as text (textContent), never as markup.
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
    drawLocalNotes(state, ranked);
    drawLocalEducation(state, ranked);
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

  /* ------------------------------------------------------------------ when no server answers */

  /* Online, Dash's server callbacks draw the notes around the ranking and the self-care of the muscle
   * in view. Offline (the service worker answers those callbacks "no update"), the page says them
   * itself, by Python's rules (ranking.js) in Python's words (#initial-state), in its own containers
   * (*-local, with ids of their own), where React draws nothing, and hides the server's, which keep
   * their last answer. Online the page leaves them to the server, also before Dash has loaded: drawn
   * there, they would go and come back while Dash asks the server. Every text is put in as text. */
  function noServer() { return navigator.onLine === false; }

  function showLocal(serverId, mine, on) {
    var server = document.getElementById(serverId);
    if (server) server.hidden = on;
    if (mine) mine.hidden = !on;
  }

  /* layout.ranking_notes: the points that together explain the marked areas above the list; the
   * areas no point explains and the causes off this map below it. */
  function drawLocalNotes(state, ranked) {
    var top = document.getElementById("ranking-top-local");
    var below = document.getElementById("ranking-notes-local");
    var on = noServer();
    // The server's top holds only "Mark where it hurts" until pain is marked.
    showLocal("ranking-top", top, on && state.pain.length > 0);
    showLocal("ranking-notes", below, on);
    if (!on || !top || !below) return;
    var key = rankingKey(state);
    if (top.getAttribute("data-drawn") === key) return;
    top.setAttribute("data-drawn", key);
    top.replaceChildren.apply(top, notesAbove(state.pain, ranked));
    below.replaceChildren.apply(below, notesBelow(state.pain));
  }

  function notesAbove(pain, ranked) {
    var notes = [];
    if (!pain.length) return notes;
    var together = ranking.togetherSentence(pain, ranked, ranking.together(ranked));
    if (together) notes.push(withId(element("p", "together", together), "together-line-local"));
    if (!ranked.length) notes.push(element("p", "hint", calf.page.notes.no_ranking));
    return notes;
  }

  function notesBelow(pain) {
    var words = calf.page.notes;
    var notes = [];
    var unexplained = ranking.unexplained(pain);
    if (unexplained.length) {
      var names = ranking.regionNames(unexplained);
      var notice = withId(element("div", "notice notice-calm"), "unexplained-notice-local");
      notice.setAttribute("role", "status");
      notice.append(element("strong", "", words.unexplained_lead), words.unexplained.split("{names}").join(names));
      notes.push(notice);
    }
    var causes = ranking.offMapCauses(pain);
    if (causes.length) notes.push(elsewhereNotice(causes));
    return notes;
  }

  /* layout.elsewhere_notice: each cause off this map, what it is, why it is named, its note and source. */
  function elsewhereNotice(causes) {
    var words = calf.page.notes;
    var list = element("ul");
    causes.forEach(function (hit) {
      var cause = calf.page.causes.get(hit.id) || { title: hit.id, kind: "", kind_words: "", note: "", source: "" };
      var item = element("li");
      item.setAttribute("data-region-id", hit.regions[0] || "");
      item.setAttribute("data-cause-id", hit.id);
      item.setAttribute("data-kind", cause.kind);
      item.append(element("strong", "", cause.title), element("span", "cause-kind cause-" + cause.kind, cause.kind_words));
      if (hit.because) item.appendChild(element("p", "because", hit.because));
      item.append(element("p", "", cause.note), element("span", "technical", words.source + cause.source));
      list.appendChild(item);
    });
    var notice = withId(element("div", "notice notice-calm"), "elsewhere-notice-local");
    notice.append(element("strong", "", words.elsewhere_title), element("p", "hint", words.elsewhere_lead), list);
    return notice;
  }

  function withId(el, id) { el.id = id; return el; }

  /* education.education_panel and safety_block for the muscle of the point in view (the chosen one,
   * else the best match for the marked pain: state.focus_point), and the warning signs beside it. */
  function drawLocalEducation(state, ranked) {
    var mine = document.getElementById("education-local");
    var safety = document.getElementById("answer-safety-local");
    var on = noServer();
    showLocal("education-wrap", mine, on);
    showLocal("answer-safety", safety, on);
    if (!on || !mine) return;
    var muscle = ranking.muscleInView(state.tp, ranked);
    if (mine.getAttribute("data-muscle") === muscle) return;
    mine.setAttribute("data-muscle", muscle);
    mine.replaceChildren(selfCarePanel(muscle), redFlagsPanel());
    if (safety) {
      var check = safetyBlock(muscle, "answer-before-you-start-local");
      safety.replaceChildren.apply(safety, check ? [check] : []);
    }
  }

  function selfCarePanel(muscle) {
    var words = calf.page.education.words;
    var facts = calf.page.education.muscles.get(muscle);
    var steps = calf.page.selfCare.get(muscle) || [];
    var box = withId(element("div", "self-care"), "self-care-local");
    box.appendChild(withId(element("h2", "", words.title.split("{name}").join(facts ? facts.name : muscle)),
                           "self-care-local-title"));
    var check = safetyBlock(muscle, "before-you-start-local");
    if (check) box.appendChild(check);
    if (facts) box.appendChild(element("p", "muscle-summary", facts.summary));
    if (facts && facts.factors.length) {
      var factors = element("ul", "factors");
      facts.factors.forEach(function (factor) { factors.appendChild(element("li", "", factor)); });
      box.append(element("h3", "", words.factors), factors);
    }
    if (!steps.some(function (step) { return step.kind !== "caution"; })) {
      box.appendChild(withId(element("p", "no-routine", words.no_routine), "no-routine-local"));
    }
    words.headings.forEach(function (pair) {
      var kind = pair[0];
      var ofKind = steps.filter(function (step) { return step.kind === kind; });
      if (!ofKind.length) return;
      var list = element(kind === "release" || kind === "stretch" ? "ol" : "ul", "steps steps-" + kind);
      ofKind.forEach(function (step) { list.appendChild(stepItem(step)); });
      box.append(element("h3", "", pair[1]), list);
    });
    return box;
  }

  function stepItem(step) {
    var words = calf.page.education.words;
    var item = element("li", "step step-" + step.kind);
    item.setAttribute("data-step-id", step.id);
    item.appendChild(element("strong", "", step.title));
    if (step.timing) item.appendChild(element("span", "timing", step.timing));
    item.appendChild(element("p", "", step.instructions));
    if (step.disagreement) {
      var differ = element("p", "disagreement");
      differ.append(element("strong", "", words.differ), step.disagreement);
      item.appendChild(differ);
    }
    item.appendChild(element("p", "technical step-source", words.source + step.source));
    return item;
  }

  /* education.safety_block: "Before you start", the checks that rule pressing out for this muscle. */
  function safetyBlock(muscle, blockId) {
    var words = calf.page.education.words;
    var facts = calf.page.education.muscles.get(muscle);
    if (!facts || !facts.checks.length) return null;
    var list = element("ul");
    facts.checks.forEach(function (check) {
      var item = element("li", "safety-check safety-check-" + check.kind);
      item.setAttribute("data-check-id", check.id);
      item.append(element("span", "safety-kind safety-" + check.kind, words.safety[check.kind] || check.kind), " ",
                  check.text, element("span", "technical check-source", " " + words.source + check.source));
      list.appendChild(item);
    });
    var block = withId(element("section", "before-you-start"), blockId);
    block.setAttribute("aria-labelledby", blockId + "-title");
    block.append(withId(element("h3", "", words.before), blockId + "-title"), list);
    return block;
  }

  /* education.red_flags_block: every warning sign, an emergency leading with what to do now. */
  function redFlagsPanel() {
    var words = calf.page.education.words;
    var list = element("ul");
    calf.page.redFlags.forEach(function (flag) {
      var item = element("li", "red-flag red-flag-" + flag.urgency);
      item.setAttribute("data-flag-id", flag.id);
      var action = element("p", "flag-action", flag.action);
      var signs = element("p", "", flag.signs);
      item.append(element("strong", "", flag.name), element("span", "urgency urgency-" + flag.urgency, flag.urgency_word));
      if (flag.urgency === "emergency") item.append(action, signs);
      else item.append(signs, action);
      item.appendChild(element("p", "technical flag-source", words.source + flag.source));
      list.appendChild(item);
    });
    var box = withId(element("section", "red-flags"), "red-flags-local");
    box.setAttribute("aria-labelledby", "red-flags-local-title");
    box.append(withId(element("h2", "", words.red_flags), "red-flags-local-title"), list);
    return box;
  }

  /* Going offline or back online: the panels switch between the page's and the server's, and the
   * server is handed the state again, so its answer is for what is on screen. */
  function followTheNetwork() {
    var again = function () {
      if (!now.current) return;
      calf.input.show(now.current);
      if (navigator.onLine) calf.dash.send(calf.state.copy(now.current));
    };
    window.addEventListener("online", again);
    window.addEventListener("offline", again);
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

  /* The answer's box: Dash's, or the first paint's before Dash has drawn the page. */
  function answerBox() {
    return document.getElementById("answer") || document.querySelector("#first-paint .answer");
  }

  /* Whether the answer is a sheet over the bottom of the map (phones) rather than a column beside
   * it. style.css decides, by the window's width; so it is read from the layout once per size, before
   * a tap changes anything (reading it then costs no layout). */
  var sheetLayout = null;
  window.addEventListener("resize", function () { sheetLayout = null; });
  function answerIsSheet() {
    if (sheetLayout === null) {
      var answer = answerBox();
      if (!answer) return false;
      sheetLayout = getComputedStyle(answer).position === "fixed" && answer.getBoundingClientRect().left <= 0;
    }
    return sheetLayout;
  }

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

  followTheNetwork();

  calf.panels = { ranking: drawRanking, painLevels: painLevels, sketchDetail: sketchDetail,
                  openSheet: openSheet, toggleSheet: toggleSheet,
                  answerBox: answerBox, answerIsSheet: answerIsSheet };
})();
