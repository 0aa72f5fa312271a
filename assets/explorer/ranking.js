/*
 * Ranking marked pain in the browser. Python's rules (components/domain/referral.py: evidence_key and the
 * display order, reason, raised_flags, together and together_sentence, the unexplained areas,
 * followed_nerve_roots and off_map_causes), applied to the table Python generates (referral.browser_table),
 * so the answer, each point's reason, the warning signs and the notes around the list are on screen within
 * a frame, before Dash has loaded and offline too. tests/browser prove it gives Python's ranking on
 * thousands of random pain maps; tests/test_browser_rules.py that it gives Python's reasons, raised flags
 * and notes.
 */
(function () {
  "use strict";

  var calf = window.calfMap;
  var data = calf.page.ranking;
  var table = { regions: new Map(), points: new Map() };
  var names = new Map(Object.entries(data.region_names || {}));
  (data.regions || []).forEach(function (row) { table.regions.set(row[0], row[1]); });
  (data.points || []).forEach(function (row) { table.points.set(row[0], { order: row[1], title: row[2], short: row[3] }); });
  var palpation = data.palpation || { group: {}, choices: {}, notes: {}, parameters: {} };

  function rank(pain, findings) {
    var groups = palpation.group;
    var hits = new Map();
    pain.forEach(function (region) {
      (table.regions.get(region) || []).forEach(function (entry) {
        if (!hits.has(entry[0])) hits.set(entry[0], { key: [0, 0, 0], explains: [] });
        var hit = hits.get(entry[0]);
        hit.key[0] += 1;
        if (entry[1]) hit.key[1] += 1;
        if (entry[2]) hit.key[2] += 1;
        hit.explains.push([region, entry[1]]);  // in the order the pain was marked, as trace() keeps it
      });
    });
    var list = [];
    hits.forEach(function (hit, tp) {
      var key = hit.key;
      // What pressing found comes first (components/domain/palpation.py): found, then the rest, then not found.
      var finding = findings && findings.has(tp) ? findings.get(tp) : null;
      var group = finding && Object.prototype.hasOwnProperty.call(groups, finding) ? groups[finding] : 1;
      key.unshift(group);
      list.push({ tp: tp, key: key, order: table.points.get(tp).order, palpation: finding, explains: hit.explains,
                  misses: pain.filter(function (region) { return !hit.explains.some(function (e) { return e[0] === region; }); }) });
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

  /* For the tests: rank with findings given as {tp: finding}. */
  function rankWith(pain, findings) {
    return rank(pain, new Map(Object.entries(findings || {})));
  }

  function joinNames(names) {
    return names.length <= 1 ? names.join("") : names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  /* referral.explained_words: "both marked areas", "your one marked area", "2 of your 3 marked areas". */
  function explainedWords(explained, marked, whose) {
    whose = whose || "your";
    if (explained === marked && marked === 1) return whose + " one marked area";
    if (explained === marked && marked === 2) return "both marked areas";
    if (explained === marked) return "all " + marked + " marked areas";
    return explained + " of " + whose + " " + marked + " marked areas";
  }

  function regionNames(regions) { return joinNames(regions.map(function (region) { return names.get(region) || region; })); }

  /* referral.reason: one plain sentence that is true of the data, for a candidate of rank(). */
  function reason(candidate, marked) {
    var main = candidate.explains.filter(function (e) { return e[1]; }).map(function (e) { return e[0]; });
    var spill = candidate.explains.filter(function (e) { return !e[1]; }).map(function (e) { return e[0]; });
    var parts = [];
    if (main.length) parts.push("its main pain area covers the " + regionNames(main));
    if (spill.length) parts.push("it sometimes spreads to the " + regionNames(spill));
    var sentence = title(candidate.tp) + " explains " + explainedWords(candidate.explains.length, marked) + ": " + parts.join("; ");
    if (candidate.misses.length) sentence += ". It does not account for the " + regionNames(candidate.misses);
    return sentence + ".";
  }

  /* referral.raised_flags and followed_nerve_roots: the warning signs the marked areas make likely,
   * in the model's order, each with its reason, as [{id, because}]. */
  function raisedFlags(pain) {
    var roots = followedRoots(pain);
    var raised = [];
    (data.red_flags || []).forEach(function (flag) {
      if (pain.some(function (region) { return flag[1].indexOf(region) >= 0; })) raised.push({ id: flag[0], because: flag[3] });
      else if (flag[2] && roots.length) raised.push({ id: flag[0], because: roots[0][1] });
    });
    return raised;
  }

  /* referral.followed_nerve_roots: the roots whose strip of skin holds every marked area (at least
   * min_strip_areas of them), as their rows [strip, because, id, cause]. */
  function followedRoots(pain) {
    return pain.length < data.min_strip_areas ? [] : (data.nerve_roots || []).filter(function (root) {
      return pain.every(function (region) { return root[0].indexOf(region) >= 0; });
    });
  }

  /* The marked areas that no point of this map sends pain to (Trace.unexplained). */
  function unexplained(pain) {
    return pain.filter(function (region) { return !(table.regions.get(region) || []).length; });
  }

  /* referral.together: the fewest points (at most max_together) that between them explain every area
   * any point explains; among equally small sets, more areas in an essential zone, then the set first
   * in ranked order. Points pressed and not found take no part. Returns the points, best first. */
  function together(ranked) {
    var list = ranked.filter(function (c) { return c.palpation !== "not-found"; });
    var coverable = new Set();
    list.forEach(function (c) { c.explains.forEach(function (e) { coverable.add(e[0]); }); });
    if (!coverable.size) return [];
    var best = null;
    function consider(group) {
      var covered = new Set(), essential = new Set();
      group.forEach(function (i) {
        list[i].explains.forEach(function (e) { covered.add(e[0]); if (e[1]) essential.add(e[0]); });
      });
      // Groups come in Python's combinations order (by size, then lexicographic), so only a strictly
      // better set replaces the best: more covered, or as many and as small with more essential.
      if (!best || covered.size > best.covered || (covered.size === best.covered && group.length === best.size &&
                                                   essential.size > best.essential)) {
        best = { group: group.slice(), covered: covered.size, size: group.length, essential: essential.size };
      }
    }
    function combine(size, start, group) {
      if (group.length === size) { consider(group); return; }
      for (var i = start; i < list.length; i += 1) { group.push(i); combine(size, i + 1, group); group.pop(); }
    }
    for (var size = 1; size <= (data.max_together || 3); size += 1) {
      combine(size, 0, []);
      if (best && best.covered === coverable.size) break;
    }
    return best.group.map(function (i) { return list[i].tp; });
  }

  /* referral.together_sentence: "Together, gastrocnemius TP1 and soleus TP1 account for all 3 marked
   * areas." Only when one point is not enough (else null). */
  function togetherSentence(pain, ranked, points) {
    if (points.length < 2) return null;
    var explained = new Set();
    ranked.forEach(function (c) {
      if (points.indexOf(c.tp) >= 0) c.explains.forEach(function (e) { explained.add(e[0]); });
    });
    return "Together, " + joinNames(points.map(short)) + " account for " + explainedWords(explained.size, pain.length, "the") + ".";
  }

  /* referral.off_map_causes: the usual causes of the marked areas that this map does not draw, each
   * once, in the order the areas were marked; a followed nerve root adds its cause with its reason, and
   * such a cause leads. As [{id, regions, because}]. */
  function offMapCauses(pain) {
    var causes = new Map((data.elsewhere || []).map(function (row) { return [row[0], row[1]]; }));
    var found = new Map();
    pain.forEach(function (region) {
      causes.forEach(function (regions, id) {
        if (regions.indexOf(region) >= 0 && !found.has(id)) {
          found.set(id, { id: id, regions: pain.filter(function (r) { return regions.indexOf(r) >= 0; }), because: "" });
        }
      });
    });
    followedRoots(pain).forEach(function (root) {
      var because = root[1], cause = root[3];
      if (causes.has(cause) && !found.has(cause)) found.set(cause, { id: cause, regions: pain.slice(), because: because });
      else if (found.has(cause) && !found.get(cause).because) found.set(cause, { id: cause, regions: pain.slice(), because: because });
    });
    var list = Array.from(found.values());
    // A stable sort: a cause raised by a nerve root's strip explains the whole pattern, so it leads.
    return list.filter(function (hit) { return hit.because; }).concat(list.filter(function (hit) { return !hit.because; }));
  }

  /* The ids of the followed nerve roots (Trace.nerve_roots). */
  function nerveRoots(pain) { return followedRoots(pain).map(function (root) { return root[2]; }); }

  /* state.focus_point and education.muscle_for: the muscle whose self-care is in view: the chosen
   * point's, else the best match's for the marked pain, else the page's default. */
  function muscleInView(tp, ranked) {
    var focus = tp || (ranked.length ? ranked[0].tp : null);
    var point = focus ? calf.page.points.get(focus) : null;
    return point ? point.muscle : calf.page.education.default;
  }

  function title(tp) { var point = table.points.get(tp); return point ? point.title : tp; }
  function short(tp) { var point = table.points.get(tp); return point ? point.short : tp; }

  function painSummary(pain, ranked) {
    if (!pain.length) return "No areas marked.";
    var count = pain.length + " area" + (pain.length === 1 ? "" : "s") + " marked";
    if (!ranked.length) return count + "; no trigger point in this map explains them.";
    var first = ranked.filter(function (c) { return c.rank === 1; });
    if (first.length > 1) return count + "; equally likely: " + joinNames(first.map(function (c) { return short(c.tp); })) + ".";
    return count + "; most likely: " + title(first[0].tp) + ".";
  }

  function ordinal(n) {
    var s = ["th", "st", "nd", "rd"], v = n % 100;
    return n + (s[(v - 20) % 10] || s[v] || s[0]);
  }

  /* Where a point now stands, in words: "now first", "now 3rd", "now last". */
  function placeWords(ranked, tp) {
    var place = ranked.findIndex(function (c) { return c.tp === tp; });
    return place === 0 ? "now first" : place === ranked.length - 1 ? "now last" : "now " + ordinal(place + 1);
  }

  calf.ranking = { rank: rank, rankWith: rankWith, joinNames: joinNames, title: title, short: short,
                   painSummary: painSummary, placeWords: placeWords, palpation: palpation, reason: reason,
                   raisedFlags: raisedFlags, regionNames: regionNames, unexplained: unexplained, together: together,
                   togetherSentence: togetherSentence, offMapCauses: offMapCauses, nerveRoots: nerveRoots,
                   muscleInView: muscleInView };
})();
