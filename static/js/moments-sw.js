// The service worker of the live-moments area (PRACTICE.md §7), relcap's own code. The view
// moments.views.service_worker serves it at /moments/sw.js with self.RELCAP_MOMENTS set above.
// It keeps the stylesheets, the script and the entry form, so that the practice page added to a
// home screen opens the form without a connection. It never touches a POST: entries kept
// offline wait in the page's own storage (static/js/moments.js).
"use strict";
var CONFIG = self.RELCAP_MOMENTS;
var CACHE = "relcap-moments-" + CONFIG.cache;  // a new name whenever an asset changes

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(CONFIG.assets); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("relcap-moments-") === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (CONFIG.assets.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate" && url.pathname.indexOf(CONFIG.scope) === 0) {
    // The network first; the last entry form seen when there is none.
    event.respondWith(fetch(request).then(function (response) {
      if (url.pathname === CONFIG.form && response.ok && !response.redirected) {
        var kept = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(CONFIG.form, kept); });
      }
      return response;
    }).catch(function () {
      return caches.match(CONFIG.form).then(function (hit) { return hit || Response.error(); });
    }));
  }
});
