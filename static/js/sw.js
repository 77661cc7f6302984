// Eventarium's service worker: after the first visit the app opens with no network at all.
// scripts/finish-build.mjs fills in the version and the build's files. A new build installs
// beside the running one and waits; the page (sw-register.js) offers to switch, and the switch
// drops the old cache.
const VERSION = '__VERSION__';
const FILES = ['__FILES__'];
const CACHE = `eventarium-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES.map((file) => new Request(file, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('eventarium-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'switch') self.skipWaiting();
});

// The build's files from the cache (they never change within a version); the page itself from
// the cache too, whatever its query or fragment. Anything else of the site (the console's API)
// from the network the first time, then from the cache.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  const page = request.mode === 'navigate';
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const hit = await cache.match(page ? './' : request, { ignoreSearch: page });
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok && !page) cache.put(request, response.clone());
      return response;
    }),
  );
});
