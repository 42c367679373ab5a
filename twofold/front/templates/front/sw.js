{% autoescape off %}// Twofold's service worker: it keeps static files and the offline page, and nothing else.
//
// No page, fragment or answer with anybody's information is ever put in a cache. Pages
// always come from the network (the offline page stands in when there is none); static
// files come from the cache first; every other request passes by untouched. The cache
// name carries a hash of everything kept here, so a deploy that changes any of it
// installs a new worker, and the new worker deletes the old caches.
"use strict";

const CACHE_NAME = {{ cache_name }};
const STATIC_URL = new URL({{ static_prefix }}, self.location.href).href;
const OFFLINE_URL = new URL({{ offline_url }}, self.location.href).href;
// Kept on install: the offline page and the static files it uses.
const PRECACHE = {{ precache }};

function isStaticAsset(request) {
  return request.method === "GET" && request.url.startsWith(STATIC_URL);
}

function keepsStatic(request, response) {
  // Only a static file's own successful answer: never an error page or a redirect.
  return (
    isStaticAsset(request) &&
    response.ok &&
    response.type === "basic" &&
    !response.redirected &&
    response.url.startsWith(STATIC_URL)
  );
}

self.addEventListener("install", (event) => {
  // Fetched without cookies: what is kept never depends on who is signed in.
  const requests = PRECACHE.map(
    (url) => new Request(url, { credentials: "omit", cache: "reload" })
  );
  event.waitUntil(
    caches
      .open(CACHE_NAME)
      .then((cache) => cache.addAll(requests))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => name !== CACHE_NAME).map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

function offlinePage() {
  return caches
    .open(CACHE_NAME)
    .then((cache) => cache.match(OFFLINE_URL))
    .then((response) => response || Response.error());
}

function staticCacheFirst(request) {
  return caches.open(CACHE_NAME).then((cache) =>
    cache.match(request).then((kept) => {
      if (kept) {
        return kept;
      }
      return fetch(request).then((response) => {
        if (keepsStatic(request, response)) {
          cache.put(request, response.clone());
        }
        return response;
      });
    })
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.mode === "navigate" && request.method === "GET") {
    // Network only: a page is never read from, or written to, a cache.
    event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (isStaticAsset(request)) {
    event.respondWith(staticCacheFirst(request));
  }
  // Anything else (fragments, forms, beacons) goes to the network as if no worker were here.
});
{% endautoescape %}
