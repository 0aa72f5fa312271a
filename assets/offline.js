/*
 * Installs the service worker (served at /sw.js by components/web/offline.py), and says when a new
 * release is ready: "A new version is ready", with a button that reloads into it, and after that
 * reload, "Updated to the new version". Both in the page's polite #app-update region.
 */
(function () {
  "use strict";

  var WORKER = "/sw.js";
  var UPDATED = "calf-pain-map-updated";  // this tab reloaded into a new release; no state, no pain
  var reloading = false;

  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;

  function notice(text, action) {
    var region = document.getElementById("app-update");
    if (!region) return;
    if (!text) { region.replaceChildren(); return; }
    var words = document.createElement("p");
    words.textContent = text;
    var parts = [words];
    if (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = action.label;
      button.addEventListener("click", action.run);
      parts.push(button);
    }
    region.replaceChildren.apply(region, parts);
  }

  function offer(waiting) {
    notice("A new version of the calf pain map is ready.", { label: "Reload to update", run: function () {
      reloading = true;
      try { window.sessionStorage.setItem(UPDATED, "1"); } catch (error) { /* private mode: no message */ }
      waiting.postMessage({ type: "activate-release" });
    } });
  }

  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (reloading) window.location.reload();
  });

  /* A new release, once installed beside the one in charge. Without a controller this is the first
   * install: nothing is replaced, nothing to say. */
  function follow(worker) {
    if (!worker) return;
    if (worker.state === "installed") {
      if (navigator.serviceWorker.controller) offer(worker);
      return;
    }
    worker.addEventListener("statechange", function () { follow(worker); });
  }

  function watch(registration) {
    // The browser may have found the release while the page loaded (a reload checks for one).
    follow(registration.waiting || registration.installing);
    registration.addEventListener("updatefound", function () { follow(registration.installing); });
  }

  function start() {
    try {
      if (window.sessionStorage.getItem(UPDATED)) {
        window.sessionStorage.removeItem(UPDATED);
        notice("Updated to the new version.", { label: "Dismiss", run: function () { notice(""); } });
      }
    } catch (error) { /* no session storage: nothing to say */ }
    navigator.serviceWorker.register(WORKER, { scope: "/" }).then(watch, function () { /* the page works without it */ });
  }

  /* Only once the map answers taps (the contract's #body-map[data-interactive]), and the browser is
   * idle: the first visit's download of the release never competes with the page becoming usable. */
  function whenInteractive(run) {
    var later = function () { (window.requestIdleCallback || window.setTimeout)(run, { timeout: 2000 }); };
    if (document.querySelector('#body-map[data-interactive="true"]')) return later();
    var watching = new MutationObserver(function () {
      if (!document.querySelector('#body-map[data-interactive="true"]')) return;
      watching.disconnect();
      later();
    });
    watching.observe(document.documentElement, { subtree: true, attributes: true,
                                                 attributeFilter: ["data-interactive"] });
  }

  whenInteractive(start);
})();
