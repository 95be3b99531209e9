// The visiting programme and the officer's day on the 60,000-home council:
// - planning a quarter (13 weeks) for the largest area: POST /api/v1/programme/plan, previewed;
// - the officer's day page (/day) with 20 visits, server render over loopback, p50 and p99.
// Usage: node bench/day.mjs http://127.0.0.1:3200 [requests]
const base = process.argv[2] || 'http://127.0.0.1:3000';
const n = Number(process.argv[3] || 400);
const password = process.env.BENCH_PASSWORD || 'hearth-demo-2026';

async function token(username) {
  const res = await fetch(`${base}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`token for ${username}: ${res.status}`);
  return (await res.json()).token;
}
const auth = (t) => ({ Authorization: `Bearer ${t}`, 'content-type': 'application/json' });

// The largest area by the homes its programme covers.
let best = null;
for (const area of ['east', 'west', 'central']) {
  const t = await token(`tl.${area}`);
  const p = await (await fetch(`${base}/api/v1/programme`, { headers: auth(t) })).json();
  if (!best || p.total.homes > best.homes) best = { area, token: t, homes: p.total.homes };
}
const day = (d) => d.toISOString().slice(0, 10);
const now = new Date();
const monday = new Date(now.getTime() + ((((8 - now.getUTCDay()) % 7) || 7) + 7) * 86_400_000);

const times = [];
let planned = 0;
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/programme/plan`, { method: 'POST', headers: auth(best.token), body: JSON.stringify({ start: day(monday), weeks: 13, per_day: 6 }) });
  const body = await res.json();
  times.push(performance.now() - t0);
  if (!res.ok) throw new Error(`plan: ${res.status} ${JSON.stringify(body)}`);
  planned = body.visits.length;
}
times.sort((a, b) => a - b);
console.log(`planning a quarter for the largest area (${best.area}, ${best.homes} homes in the programme, ${planned} visits): median ${times[2].toFixed(0)} ms, slowest ${times[4].toFixed(0)} ms`);

// A day of 20 visits for each of the area's officers, booked, then the first officer's day page.
const res = await fetch(`${base}/api/v1/programme/plan`, { method: 'POST', headers: auth(best.token), body: JSON.stringify({ start: day(monday), weeks: 1, per_day: 20, assign: true }) });
if (!res.ok) throw new Error(`assign: ${res.status} ${await res.text()}`);
const user = `chmo.${best.area}1`;
const form = new URLSearchParams({ username: user, password, next: '/' });
const signIn = await fetch(`${base}/auth/sign-in`, { method: 'POST', body: form, redirect: 'manual', headers: { Origin: base } });
const cookie = (signIn.headers.get('set-cookie') || '').split(';')[0];
if (!cookie) throw new Error('sign-in failed');
const api = await (await fetch(`${base}/api/v1/my-day?on=${day(monday)}`, { headers: auth(await token(user)) })).json();
const page = [];
for (let i = 0; i < n + 20; i++) {
  const t0 = performance.now();
  const r = await fetch(`${base}/day?on=${day(monday)}`, { headers: { cookie } });
  const body = await r.text();
  const ms = performance.now() - t0;
  if (r.status !== 200 || !body.includes('day-stop')) throw new Error(`bad day page ${r.status}`);
  if (i >= 20) page.push(ms);
}
page.sort((a, b) => a - b);
const pct = (p) => page[Math.min(page.length - 1, Math.floor((p / 100) * page.length))].toFixed(1);
console.log(`the officer's day page (${user}, ${api.stops.length} visits, ${(api.walk_metres / 1000).toFixed(1)} km walk, ${page.length} requests, sequential): p50 ${pct(50)} ms, p99 ${pct(99)} ms`);
