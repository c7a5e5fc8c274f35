// Tsuzuri service worker {{ version }}: read recent days and weeks with the network gone.
// Writes never pass through here: the page's outbox (static/offline.js) sends them.
"use strict";

const VERSION = "{{ version }}";
const SHELL_CACHE = `shell-${VERSION}`;
const PAGES_CACHE = `pages-${VERSION}`;
const STATIC_CACHE = "static";  // hashed names: an entry never goes stale, so it outlives versions
// Photos seen online (/photos/<uuid>/<size>.webp never changes), so kept pages show them
// offline too. Logout's "forget" deletes this cache with the others.
const PHOTOS_CACHE = "photos";
const PHOTO = /^\/photos\/[0-9a-f-]{36}\/\d+\.webp$/;
const SHELL = {{ shell|safe }};
const OFFLINE_PAGE = "/offline/";
const STATIC_URL = "{{ static_url }}";
const NETWORK_TIMEOUT_MS = 3000;

// Pages kept for reading offline. Everything else (login, admin, settings, search, exports,
// htmx fragments, anything with a query string) goes to the network only.
const CACHEABLE = [
  /^\/$/,
  /^\/days\/\d{4}-\d{2}-\d{2}\/$/,
  /^\/months\/\d{4}-\d{2}\/$/,
  /^\/weeks\/\d{4}-\d{2}-\d{2}\/$/,
  /^\/entries\/[0-9a-f-]{36}\/edit\/$/,
  /^\/weeks\/\d{4}-\d{2}-\d{2}\/(items|reading)\/[0-9a-f-]{36}\/edit\/$/,
  /^\/weeks\/\d{4}-\d{2}-\d{2}\/edit\/$/,
];

self.addEventListener("install", (event) => {
  // What the fetch handler below never answers goes straight to the network, without waking
  // this worker: the inline saves and htmx's fragments (an edit form, a section) are then sent
  // as soon as they are asked for. The first rule that matches decides (Chromium 123+; other
  // browsers run the handler, which lets these requests through as before).
  if (event.addRoutes) {
    event.addRoutes([
      { condition: { urlPattern: { pathname: `${STATIC_URL}*` } }, source: "fetch-event" },
      { condition: { urlPattern: { pathname: "/photos/*" } }, source: "fetch-event" },
      { condition: { requestMethod: "POST" }, source: "network" },
      { condition: { requestMode: "cors" }, source: "network" },
    ]);
  }
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  // Old versions' caches go; the outbox lives in IndexedDB and is never touched here.
  const keep = new Set([SHELL_CACHE, PAGES_CACHE, STATIC_CACHE, PHOTOS_CACHE]);
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => !keep.has(n)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

const cacheKey = (url) => (url.pathname === "/" ? "/" : url.pathname);
const isCacheable = (url) =>
  (url.search === "" || (url.pathname === "/" && url.searchParams.get("source") === "pwa")) &&
  CACHEABLE.some((pattern) => pattern.test(url.pathname));

async function storePage(key, response) {
  if (response.ok && !response.redirected && response.type === "basic") {
    const cache = await caches.open(PAGES_CACHE);
    await cache.put(key, response.clone());
  }
  return response;
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
                 (error) => { clearTimeout(timer); reject(error); });
  });
}

async function networkFirst(request, url) {
  const key = cacheKey(url);
  const network = fetch(request).then((response) => storePage(key, response));
  try {
    return await withTimeout(network, NETWORK_TIMEOUT_MS);
  } catch (error) {
    const cached = await caches.match(key, { cacheName: PAGES_CACHE });
    if (cached) return markCached(cached);
    try {
      return await network;  // slow, not gone: keep waiting rather than show the offline page
    } catch (stillFailing) {
      return (await caches.match(OFFLINE_PAGE)) || Response.error();
    }
  }
}

function markCached(response) {
  // Let the page say that it is showing a saved copy.
  const headers = new Headers(response.headers);
  headers.set("X-Served-By", "service-worker-cache");
  return new Response(response.body, { status: response.status, headers });
}

async function cacheFirst(request, cacheName = STATIC_CACHE) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    (await caches.open(cacheName)).put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.headers.get("HX-Request")) return;  // fragments vary on HX-Request: never cached
  if (url.pathname.startsWith("/archive/")) return;  // exports and imports: the network only
  if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(cacheFirst(request));
  } else if (PHOTO.test(url.pathname)) {
    event.respondWith(cacheFirst(request, PHOTOS_CACHE));
  } else if (request.mode === "navigate" && isCacheable(url)) {
    event.respondWith(networkFirst(request, url));
  } else if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(async () => (await caches.match(OFFLINE_PAGE)) || Response.error()),
    );
  }
});

// The page asks for recent days and weeks to be kept (after login, then about once a day).
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "warm") {
    event.waitUntil(warm(event.data.urls || []).then((count) => {
      if (event.source) event.source.postMessage({ type: "warmed", count });
    }));
  } else if (event.data && event.data.type === "forget") {
    event.waitUntil(caches.keys().then((names) => Promise.all(names.map((n) => caches.delete(n)))));
  }
});

async function warm(urls) {
  const cache = await caches.open(PAGES_CACHE);
  let count = 0;
  for (const path of urls) {
    const url = new URL(path, self.location.origin);
    if (!isCacheable(url)) continue;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok && !response.redirected) {
        await cache.put(cacheKey(url), response);
        count += 1;
      }
    } catch (error) {
      break;  // offline again: try another day
    }
  }
  return count;
}
