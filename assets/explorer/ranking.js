/*
 * Ranking marked pain in the browser. Python's rule (components/domain/referral.py, evidence_key and the
 * display order), applied to the table Python generates (referral.browser_table), so the answer
 * is on screen within a frame, before Dash has loaded too. tests/browser prove it gives Python's
 * ranking on thousands of random pain maps.
 */
(function () {
  "use strict";

  var calf = window.calfMap;
  var data = calf.page.ranking;
  var table = { regions: new Map(), points: new Map() };
  (data.regions || []).forEach(function (row) { table.regions.set(row[0], row[1]); });
  (data.points || []).forEach(function (row) { table.points.set(row[0], { order: row[1], title: row[2], short: row[3] }); });
  var palpation = data.palpation || { group: {}, choices: {}, notes: {}, parameters: {} };

  function rank(pain, findings) {
    var groups = palpation.group;
    var hits = new Map();
    pain.forEach(function (region) {
      (table.regions.get(region) || []).forEach(function (entry) {
        if (!hits.has(entry[0])) hits.set(entry[0], [0, 0, 0]);
        var key = hits.get(entry[0]);
        key[0] += 1;
        if (entry[1]) key[1] += 1;
        if (entry[2]) key[2] += 1;
      });
    });
    var list = [];
    hits.forEach(function (key, tp) {
      // What pressing found comes first (components/domain/palpation.py): found, then the rest, then not found.
      var finding = findings && findings.has(tp) ? findings.get(tp) : null;
      var group = finding && Object.prototype.hasOwnProperty.call(groups, finding) ? groups[finding] : 1;
      key.unshift(group);
      list.push({ tp: tp, key: key, order: table.points.get(tp).order, palpation: finding });
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
                   painSummary: painSummary, placeWords: placeWords, palpation: palpation };
})();
