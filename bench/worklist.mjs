// The worklist bench (issue 6): the *My work* page as Leptos renders it, beside a plain Axum
// handler that runs the same service call and writes the same rows as HTML
// (`/bench/plain/my-work`, served when HEARTH_BENCH_ROUTES=1). Both sit behind the same
// session and sign-in middleware, on the same database, signed in as the same officer.
//
// Usage: node bench/worklist.mjs http://127.0.0.1:3200 [seconds per run]
// Prints, per concurrency: requests a second, latency p50/p99 as the client sees it, and the
// ratio page/plain. Concurrency 1 is the server's own time per request (nothing queues).
// BENCH_SERVER_PID=<pid> adds the server's CPU time per request (scripts/bench.sh sets it).
// Each concurrency also measures the floor: `GET /api/v1/me` with the same cookie, which runs the
// same middleware, session and principal load and nothing else; no page can be faster than it.
import { createRequire } from 'node:module';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// autocannon is installed with the browser tests' npm packages, in end2end/.
const autocannon = createRequire(new URL('../end2end/package.json', import.meta.url))('autocannon');

const base = process.argv[2] || 'http://127.0.0.1:3000';
const seconds = Number(process.argv[3] || 10);
const users = (process.env.BENCH_USERS || 'chmo.east1,tl.east').split(',');
const password = process.env.BENCH_PASSWORD || 'hearth-demo-2026';
const levels = (process.env.BENCH_CONCURRENCY || '1,16,64').split(',').map(Number);

async function signIn(user) {
  const form = new URLSearchParams({ username: user, password, next: '/' });
  const res = await fetch(`${base}/auth/sign-in`, { method: 'POST', body: form, redirect: 'manual', headers: { Origin: base } });
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  if (!cookie || (res.headers.get('location') || '').startsWith('/sign-in')) throw new Error(`sign-in failed for ${user}`);
  return cookie;
}

async function check(path, cookie) {
  const res = await fetch(base + path, { headers: { cookie } });
  const body = await res.text();
  if (res.status !== 200 || !body.includes('data-testid="counts"')) throw new Error(`${path}: ${res.status}, not a worklist`);
  return body.length;
}

// The client runs on the same machine: `client` is the share of one core it used meanwhile,
// which the server did not have.
// With BENCH_SERVER_PID, also the server's CPU time per request (from /proc): on a noisy
// machine a steadier figure than requests a second, and the one that bounds them.
const serverPid = process.env.BENCH_SERVER_PID;
const ticksPerSecond = serverPid ? Number(execSync('getconf CLK_TCK').toString().trim()) : 100;
function serverCpuSeconds() {
  if (!serverPid) return 0;
  const fields = readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function run(path, cookie, connections, duration = seconds) {
  return new Promise((resolve, reject) => {
    const cpu = process.cpuUsage();
    const server = serverCpuSeconds();
    autocannon({ url: base + path, connections, duration, headers: { cookie } }, (err, r) => {
      if (err) return reject(err);
      if (r.non2xx || r.errors || r.timeouts) return reject(new Error(`${path}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`));
      const used = process.cpuUsage(cpu);
      const client = (used.user + used.system) / 1e6 / duration;
      const serverMs = ((serverCpuSeconds() - server) * 1000) / Math.max(r.requests.total, 1);
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, n: r.requests.total, client, serverMs });
    });
  });
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
for (const user of users) {
  const cookie = await signIn(user);
  const pageBytes = await check('/', cookie);
  const plainBytes = await check('/bench/plain/my-work', cookie);
  console.log(`\nMy work as ${user}: page ${(pageBytes / 1024).toFixed(0)} KiB, plain ${(plainBytes / 1024).toFixed(0)} KiB of HTML`);
  for (const c of levels) {
    // Warm both, then measure each in turn.
    await run('/', cookie, c, 2);
    await run('/bench/plain/my-work', cookie, c, 2);
    const page = await run('/', cookie, c);
    const plain = await run('/bench/plain/my-work', cookie, c);
    const floor = await run('/api/v1/me', cookie, c);
    console.log(
      `  concurrency ${String(c).padStart(2)}: Leptos page ${fmt(page.rps)} req/s, p50 ${fmt(page.p50)} ms, p99 ${fmt(page.p99)} ms | ` +
        `plain Axum ${fmt(plain.rps)} req/s, p50 ${fmt(plain.p50)} ms, p99 ${fmt(plain.p99)} ms | ` +
        `ratio ${(plain.rps / page.rps).toFixed(2)}x throughput, ${(page.p99 / Math.max(plain.p99, 0.01)).toFixed(2)}x p99 | ` +
        `client ${(page.client * 100).toFixed(0)}%/${(plain.client * 100).toFixed(0)}% of a core` +
        (serverPid ? ` | server CPU ${page.serverMs.toFixed(2)}/${plain.serverMs.toFixed(2)} ms a request` : ''),
    );
    console.log(
      `                  floor (/api/v1/me, same session): ${fmt(floor.rps)} req/s, p50 ${fmt(floor.p50)} ms, p99 ${fmt(floor.p99)} ms, ` +
        `client ${(floor.client * 100).toFixed(0)}% of a core` + (serverPid ? `, server CPU ${floor.serverMs.toFixed(2)} ms a request` : ''),
    );
  }
}
