/* Speaking: what just happened, in words, in the polite live region #announcer (in the page
 * shell, so it speaks before Dash has loaded). Names come from the page's data, never from the
 * text on screen. */
(function () {
  "use strict";

  var calf = window.calfMap;

  /* Words about a tap on the map wait, with the answer they describe, for the frame after the
   * map's (input.js, showAround), so that what is said is already on the screen. */
  function say(text) {
    if (!text) return;
    if (calf.now.aroundDue) calf.now.unsaid = text;
    else speak(text);
  }

  function sayWhatWaited() {
    var text = calf.now.unsaid;
    calf.now.unsaid = "";
    if (text) speak(text);
  }

  function speak(text) {
    var region = document.getElementById("announcer");
    if (!region) return;
    // The same words twice still count as news: vary them invisibly.
    calf.now.spoken = text === calf.now.spoken ? text + "\u00a0" : text;
    region.textContent = calf.now.spoken;
  }

  function regionName(region) {
    var texts = calf.page.regions.get(region);
    return texts ? texts.name : region;
  }

  /* A pain area's accessible name, which says whether it is marked (body_map.region_label). */
  function regionLabel(region, marked) {
    var texts = calf.page.regions.get(region);
    return texts ? texts[marked ? "marked" : "unmarked"] : region;
  }

  function lowerFirst(text) { return text.charAt(0).toLowerCase() + text.slice(1); }

  calf.announce = { say: say, sayWhatWaited: sayWhatWaited, regionName: regionName, regionLabel: regionLabel, lowerFirst: lowerFirst };
})();
