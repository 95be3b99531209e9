// Hearth's service worker: estates have dead spots, and an officer who reloads a page there must
// not lose it, or the visits kept on the phone waiting to be sent (`pages/outbox.rs`).
//
// - Pages: from the network; each page the officer opened is kept on this phone, and served from
//   here only when there is no signal, for up to 12 hours (then: "open it again with a signal").
// - The site's own files (/pkg/, named by their content's hash): kept, served from here first.
// - Nothing else (the API, server functions, sign-in) is kept or served from here.
// - Signing out, or a page answered by the sign-in form, forgets every kept page.
'use strict';

const PAGES = 'hearth-pages-v1';
const FILES = 'hearth-files-v1';
const KEPT_FOR_MS = 12 * 60 * 60 * 1000;
const KEPT_AT = 'x-hearth-kept-at';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) =>
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== PAGES && n !== FILES).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  ),
);

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === '/auth/sign-out') {
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== 'GET') return;
  if (url.pathname.startsWith('/pkg/')) {
    event.respondWith(fileFirst(request));
  } else if (request.mode === 'navigate' && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/fn/')) {
    event.respondWith(pageFromNetwork(request));
  }
});

async function fileFirst(request) {
  const cache = await caches.open(FILES);
  const kept = await cache.match(request);
  if (kept) return kept;
  const answer = await fetch(request);
  if (answer.ok) await cache.put(request, answer.clone());
  return answer;
}

async function pageFromNetwork(request) {
  const cache = await caches.open(PAGES);
  let answer;
  try {
    answer = await fetch(request);
  } catch (offline) {
    const kept = await cache.match(request);
    const at = kept && Number(kept.headers.get(KEPT_AT));
    if (kept && Date.now() - at < KEPT_FOR_MS) return kept;
    return noSignal();
  }
  const path = new URL(answer.url || request.url).pathname;
  if (path === '/sign-in') {
    // Signed out (or the session ended): nothing of the last session stays on the phone.
    await caches.delete(PAGES);
  } else if (answer.ok && (answer.headers.get('content-type') || '').startsWith('text/html')) {
    const headers = new Headers(answer.headers);
    headers.set(KEPT_AT, String(Date.now()));
    await cache.put(request, new Response(await answer.clone().blob(), { status: answer.status, headers }));
  }
  return answer;
}

function noSignal() {
  const page =
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>No signal · Hearth</title></head><body style="font-family: system-ui, sans-serif; margin: 2rem; max-width: 36rem">' +
    '<h1>No signal</h1><p>This page was not opened on this phone in the last 12 hours, so it cannot be shown without a signal.</p>' +
    '<p>Visits you recorded are kept on this phone and will be sent when there is a signal. Go back to a page you had open, or try again when there is a signal.</p>' +
    '</body></html>';
  return new Response(page, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}
