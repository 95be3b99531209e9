// The patch map's data path on the 60,000-home council: the packed points' size as sent (brotli,
// gzip, raw) for each area team and the whole council, a revalidation (304), and the balance
// suggestion's time for the largest area.
// Usage: node bench/mapdata.mjs http://127.0.0.1:3200
import http from 'node:http';

const base = process.argv[2] || 'http://127.0.0.1:3200';
const token = async (username) => {
  const r = await fetch(`${base}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'hearth-demo-2026' }) });
  return (await r.json()).token;
};
/** Raw bytes on the wire for a GET with the given Accept-Encoding. */
const wire = (path, tok, enc, etag) => new Promise((resolve, reject) => {
  const headers = { authorization: `Bearer ${tok}`, 'accept-encoding': enc };
  if (etag) headers['if-none-match'] = etag;
  const t = performance.now();
  http.get(`${base}${path}`, { headers }, (res) => {
    let n = 0;
    res.on('data', (c) => { n += c.length; });
    res.on('end', () => resolve({ status: res.statusCode, bytes: n, etag: res.headers.etag, ms: performance.now() - t }));
  }).on('error', reject);
});
const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;

const hub = await token('asb.hub');
let largest = null;
for (const [area, tl] of [[1, 'tl.east'], [2, 'tl.west'], [3, 'tl.central']]) {
  const map = await (await fetch(`${base}/api/v1/map?area=${area}`, { headers: { authorization: `Bearer ${hub}` } })).json();
  const homes = map.homes.id.length;
  if (!largest || homes > largest.homes) largest = { area, tl, homes, officers: map.patches.filter((p) => p.officer_id).length, name: map.area };
}
for (const area of [largest.area, 0]) {
  const br = await wire(`/api/v1/map?area=${area}`, hub, 'br');
  const gz = await wire(`/api/v1/map?area=${area}`, hub, 'gzip');
  const raw = await wire(`/api/v1/map?area=${area}`, hub, 'identity');
  const again = await wire(`/api/v1/map?area=${area}`, hub, 'br', br.etag);
  const label = area === 0 ? 'whole council' : `largest area (${largest.name}, ${largest.homes} homes)`;
  console.log(`map points, ${label}: ${kib(br.bytes)} brotli, ${kib(gz.bytes)} gzip, ${kib(raw.bytes)} raw; served in ${raw.ms.toFixed(0)} ms; revalidation ${again.status} with ${again.bytes} bytes`);
}
const tl = await token(largest.tl);
for (const tolerance of [10, 3]) {
  const times = [];
  let last;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await fetch(`${base}/api/v1/map/balance`, { method: 'POST', headers: { authorization: `Bearer ${tl}`, 'content-type': 'application/json' }, body: JSON.stringify({ area: largest.area, officers: largest.officers, tolerance_pct: tolerance }) });
    last = await r.json();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`balance suggestion, ${largest.name} (${largest.homes} homes, ${largest.officers} officers, ±${tolerance}%): ${times[1].toFixed(0)} ms request (median of 3; search ${last.millis} ms), moves ${last.moves} homes, within tolerance: ${last.within_tolerance}, contiguous: ${last.all_contiguous}`);
}
