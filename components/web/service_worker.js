/*
 * The calf pain map's service worker: the page and what it loads come from the cache, so a second
 * visit is interactive at once and the map works with the network off.
 *
 * Python (components/web/offline.py) puts the release in front of this file as self.RELEASE: its id,
 * the URLs to keep (the bare page "/", which carries no one's state, and what it loads), and the
 * paths whose responses can carry a person's pain. Those are never stored: they go to the network,
 * and offline the worker only answers for them with words (Dash's callbacks: "no update"; the
 * handout, /compare: a page saying they need the server). A page with a query ("/?pain=...") is
 * read by the server; offline, the bare page stands in for it and the page script takes the state
 * from the history entry (assets/explorer/state.js, openedState).
 *
 * A new release is a new file: the browser installs it beside the old one and it waits until the
 * person chooses to reload (assets/offline.js says so); then it deletes the old release's cache.
 */
"use strict";

var RELEASE = self.RELEASE;
var CACHE = RELEASE.cache_prefix + RELEASE.id;

function isPrivate(url) {
  return RELEASE.private.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // "reload": from the server, not from the browser's HTTP cache, so the release is whole.
    return cache.addAll(RELEASE.precache.map(function (url) { return new Request(url, { cache: "reload" }); }));
  }));
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "activate-release") self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(RELEASE.cache_prefix) === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method === "POST" && url.origin === self.location.origin && url.pathname === RELEASE.callbacks) {
    // Offline, Dash's server callbacks answer "no update" (204): the page keeps what it shows,
    // the map and the ranking go on in the browser. Nothing of the request is kept.
    event.respondWith(fetch(request).catch(function () { return new Response(null, { status: 204 }); }));
    return;
  }
  if (request.method !== "GET") return;
  if (url.origin !== self.location.origin) return;
  if (isPrivate(url)) {
    // The network's, untouched; offline, a page (the handout) says why it cannot open.
    if (request.mode === "navigate") event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (request.mode === "navigate") {
    if (url.pathname === RELEASE.shell) event.respondWith(page(request, url));
    return;
  }
  event.respondWith(kept(request));
});

function offlinePage() {
  return new Response(RELEASE.offline_page.html, { status: 503, headers: RELEASE.offline_page.headers });
}

function shell() {
  return caches.open(CACHE).then(function (cache) { return cache.match(RELEASE.shell); });
}

/* The bare page from the cache; a link with a query from the server, which reads it (offline: the bare page). */
function page(request, url) {
  if (!url.search) {
    return shell().then(function (hit) { return hit || fetch(request); });
  }
  return fetch(request).catch(function () {
    return shell().then(function (hit) { return hit || Response.error(); });
  });
}

/* Scripts, styles, the layout: from the cache; else from the network, kept if the server marks it immutable. */
function kept(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        var control = response.headers.get("Cache-Control") || "";
        // Immutable is the server's word for a fingerprinted file (components/server/hardening.py); its only
        // query is the fingerprint (?m=, ?v=), so no key can hold anything a person chose.
        var fingerprintOnly = /^(\?[mv]=[\w.]+)?$/.test(new URL(request.url).search);
        if (response.ok && response.type === "basic" && /\bimmutable\b/.test(control) && fingerprintOnly) {
          cache.put(request, response.clone());
        }
        return response;
      });
    });
  });
}
