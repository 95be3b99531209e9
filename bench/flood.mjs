// The public feedback form under a flood (issue 5): one address hammers one link with
// submissions while (a) tenants at other addresses submit to other links and (b) an officer
// works. Prints how much of the flood was let through, whether every legitimate submission
// landed, and the officer's tenancy page times before and during the flood.
// The server must trust X-Forwarded-For (HEARTH_TRUST_PROXY=1) so addresses can be simulated.
//
// Usage: node bench/flood.mjs http://127.0.0.1:3200 [seconds]
import { createRequire } from 'node:module';

const autocannon = createRequire(new URL('../end2end/package.json', import.meta.url))('autocannon');
const base = process.argv[2] || 'http://127.0.0.1:3000';
const seconds = Number(process.argv[3] || 10);
const password = process.env.BENCH_PASSWORD || 'hearth-demo-2026';

const token = (await (await fetch(`${base}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })).json()).token;
const results = await (await fetch(`${base}/api/v1/feedback/results?by=all`, { headers: { Authorization: `Bearer ${token}` } })).json();
const links = results.links.filter((l) => l.scope_type === 'patch').map((l) => l.path);
if (links.length < 2) throw new Error('need two patch links');
const [flooded, ...others] = links;

// Each flood request carries its own idempotency key (a counter, set as each request is built),
// so whatever the limiter lets through is stored: the bench measures the rate limiter, not the
// idempotent save (one key for the whole flood would store at most one response).
const runId = Date.now();
let floodN = 0;
const floodForm = () => new URLSearchParams({ idempotency_key: `flood-${runId}-${String(floodN++).padStart(10, '0')}`, TP01: 'very_dissatisfied', comment: 'spam '.repeat(50) }).toString();
const signIn = await fetch(`${base}/auth/sign-in`, { method: 'POST', body: new URLSearchParams({ username: 'chmo.east1', password, next: '/' }), redirect: 'manual', headers: { Origin: base } });
const cookie = (signIn.headers.get('set-cookie') || '').split(';')[0];
const work = await (await fetch(`${base}/api/v1/my-work`, { headers: { Authorization: `Bearer ${(await (await fetch(`${base}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'chmo.east1', password }) })).json()).token}` } })).json();
const refs = work.tenancies.map((t) => t.reference);

async function officerTimes(stopAt) {
  const times = [];
  for (let i = 0; performance.now() < stopAt; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}/tenancies/${refs[i % refs.length]}`, { headers: { cookie } });
    await res.text();
    if (res.status !== 200) throw new Error(`officer page ${res.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(1);
  return `${times.length} pages, p50 ${pct(50)} ms, p99 ${pct(99)} ms`;
}

console.log(`officer's tenancy page, quiet (${seconds} s): ${await officerTimes(performance.now() + seconds * 1000)}`);

const flood = new Promise((resolve, reject) => {
  autocannon(
    {
      url: base + flooded,
      method: 'POST',
      connections: 32,
      duration: seconds,
      requests: [{ setupRequest: (req) => ({ ...req, body: floodForm() }) }],
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, 'x-forwarded-for': '198.51.100.66' },
    },
    (err, r) => (err ? reject(err) : resolve(r)),
  );
});
let legit = 0;
let landed = 0;
const tenants = (async () => {
  const stop = performance.now() + seconds * 1000;
  for (let n = 0; performance.now() < stop; n++) {
    legit++;
    const res = await fetch(base + others[n % others.length], {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ idempotency_key: `legit-${Date.now()}-${n}-000000`, TP01: 'fairly_satisfied' }),
      headers: { origin: base, 'x-forwarded-for': `192.0.2.${(n % 250) + 1}` },
    });
    if (res.status === 303) landed++;
    await new Promise((r) => setTimeout(r, 200));
  }
})();
const during = await officerTimes(performance.now() + seconds * 1000);
const r = await flood;
await tenants;
const stats = r.statusCodeStats || {};
const count = (code) => (stats[code] ? stats[code].count : 0);
console.log(`flood from one address on one link: ${r.requests.total} requests in ${seconds} s (${r.requests.average.toFixed(0)}/s); ${count(303)} let through, ${count(429)} refused with 429`);
console.log(`tenants at other addresses on other links during the flood: ${landed} of ${legit} submissions landed`);
console.log(`officer's tenancy page, during the flood: ${during}`);
