// Times the tenancy page as a signed-in officer sees it (full server render, over loopback).
// Usage: node bench/desk.mjs http://127.0.0.1:3200 [requests]
const base = process.argv[2] || 'http://127.0.0.1:3000';
const n = Number(process.argv[3] || 400);
const user = process.env.BENCH_USER || 'chmo.east1';
const password = process.env.BENCH_PASSWORD || 'hearth-demo-2026';

const form = new URLSearchParams({ username: user, password, next: '/' });
const signIn = await fetch(`${base}/auth/sign-in`, { method: 'POST', body: form, redirect: 'manual', headers: { Origin: base } });
const cookie = (signIn.headers.get('set-cookie') || '').split(';')[0];
if (!cookie) throw new Error('sign-in failed');
const tok = await (await fetch(`${base}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password }) })).json();
const work = await (await fetch(`${base}/api/v1/my-work`, { headers: { Authorization: `Bearer ${tok.token}` } })).json();
const refs = work.tenancies.map((t) => t.reference);
if (!refs.length) throw new Error('no tenancies');

const times = [];
for (let i = 0; i < n + 20; i++) {
  const ref = refs[i % refs.length];
  const t0 = performance.now();
  const res = await fetch(`${base}/tenancies/${ref}`, { headers: { cookie } });
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200 || !body.includes(ref)) throw new Error(`bad response ${res.status} for ${ref}`);
  if (i >= 20) times.push(ms); // the first 20 warm caches
}
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(1);
console.log(`tenancy page (${user}, ${times.length} requests, sequential): p50 ${pct(50)} ms, p99 ${pct(99)} ms`);
