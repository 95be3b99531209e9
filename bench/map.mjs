// The patch map bench (issue 3), in headless Chromium against a running server with the 60,000-home
// council: first render of every home and patch shape after the data arrives, frame times while
// panning and zooming (p50/p95), the same homes drawn by Leaflet (canvas renderer, circle markers)
// in the same browser as the peer baseline, and a 5,000-home lasso with the totals on screen.
// Usage: node bench/map.mjs http://127.0.0.1:3200
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const base = process.argv[2] || 'http://127.0.0.1:3200';
const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('@playwright/test');
const leafletJs = readFileSync(require.resolve('leaflet/dist/leaflet.js'), 'utf8');
const leafletCss = readFileSync(require.resolve('leaflet/dist/leaflet.css'), 'utf8');
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const f1 = (x) => x.toFixed(1);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, baseURL: base });
const page = await ctx.newPage();
await page.goto('/sign-in');
await page.getByLabel('Username').fill('asb.hub');
await page.getByLabel('Password').fill('hearth-demo-2026');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

// Hearth: the whole council (the Community Safety Hub sees every area).
const t0 = Date.now();
await page.goto('/map?area=0');
await page.waitForFunction(() => window.__hearthMap && window.__hearthMap.ready, null, { timeout: 120_000 });
const loadMs = Date.now() - t0;
const hearth = await page.evaluate(() => {
  const m = window.__hearthMap;
  const [cx, cy, mpp] = m.view();
  // Pan and zoom: 240 views along a path (a real sequence of frames, each drawn in full).
  const views = [];
  for (let k = 0; k < 240; k++) {
    const z = mpp * (0.35 + 0.3 * (1 + Math.sin(k / 25)));
    views.push([cx + 3000 * Math.sin(k / 40), cy + 2000 * Math.cos(k / 33), z]);
  }
  const cpu = views.map((v) => m.frame(...v));
  m.frame(cx, cy, mpp);
  return { points: m.points, first: m.firstRenderMs, cpu, view: [cx, cy, mpp] };
});
// Frame pacing as a person drags or pinches: one redraw per animation frame (the base layer moved
// or scaled from its cache, points drawn afresh), for 120 frames of panning and 120 of zooming.
const paced = await page.evaluate(() => new Promise((done) => {
  const m = window.__hearthMap;
  const [cx, cy, mpp] = m.view();
  const out = { pan: [], zoom: [], panCpu: [], zoomCpu: [] };
  let last = performance.now(), k = 0;
  const step = (now) => {
    const phase = k < 120 ? 'pan' : 'zoom';
    if (k > 1 && k !== 120) out[phase].push(now - last);
    last = now;
    const ms = phase === 'pan' ? m.pan(cx + 20 * k, cy - 10 * k, mpp * 0.6) : m.pan(cx, cy, mpp * 0.6 * Math.pow(0.99, k - 120));
    out[phase + 'Cpu'].push(ms);
    k++;
    if (k < 240) requestAnimationFrame(step); else { m.frame(cx, cy, mpp); done(out); }
  };
  requestAnimationFrame(step);
}));
// Full redraws when the view rests (the base layer rendered afresh at the new zoom), paced.
const settled = await page.evaluate(() => new Promise((done) => {
  const m = window.__hearthMap;
  const [cx, cy, mpp] = m.view();
  const d = [];
  let last = performance.now(), k = 0;
  const step = (now) => {
    if (k > 1) d.push(now - last);
    last = now;
    m.frame(cx + 15 * k, cy, mpp * (0.5 + 0.004 * k));
    k++;
    if (k < 60) requestAnimationFrame(step); else { m.frame(cx, cy, mpp); done(d); }
  };
  requestAnimationFrame(step);
}));

// Lasso: a circle around the centre sized to hold about 5,000 homes, then the totals on screen.
const lasso = await page.evaluate(async () => {
  const m = window.__hearthMap;
  const [, , , w, h] = m.view();
  const circle = (r) => { const p = []; for (let a = 0; a < 64; a++) p.push(w / 2 + r * Math.cos(a / 64 * 2 * Math.PI), h / 2 + r * Math.sin(a / 64 * 2 * Math.PI)); return p; };
  let lo = 5, hi = Math.max(w, h), poly = circle(hi), got = 0;
  for (let i = 0; i < 18; i++) {
    const r = (lo + hi) / 2; poly = circle(r); got = m.lasso(poly).count;
    if (Math.abs(got - 5000) < 150) break;
    if (got < 5000) lo = r; else hi = r;
  }
  const times = [];
  for (let i = 0; i < 5; i++) {
    m.lasso([0, 0, 1, 0, 1, 1]);
    await new Promise((r) => requestAnimationFrame(() => r()));
    const t = performance.now();
    const res = m.lasso(poly);
    // Until the selection panel shows the new count.
    const want = res.count === 1 ? '1 home' : `${res.count.toLocaleString('en-GB').replace(/,/g, '')} homes`;
    while (!(document.querySelector('[data-testid=selection-count]')?.textContent || '').includes(want)) await new Promise((r) => setTimeout(r, 0));
    times.push({ hook: res.ms, screen: performance.now() - t, count: res.count });
  }
  return times;
});
const latlngs = await page.evaluate(() => Array.from(window.__hearthMap.latlngs()));

// Leaflet 1.9.4: the same homes as circle markers on its canvas renderer, same window size.
const lp = await ctx.newPage();
await lp.setContent(`<!doctype html><html><head><style>${leafletCss} html,body,#m{margin:0;height:100%}</style></head><body><div id="m"></div></body></html>`);
await lp.addScriptTag({ content: leafletJs });
const leaflet = await lp.evaluate(({ ll, views0, lat0 }) => {
  const map = L.map('m', { preferCanvas: true, zoomSnap: 0, zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false });
  const zoomOf = (mpp) => Math.log2(156543.03392 * Math.cos(lat0 * Math.PI / 180) / mpp);
  const colours = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#8a6d00', '#56b4e9', '#882255', '#117733', '#332288', '#aa4499', '#44aa99', '#999933'];
  const lats = [], lons = [];
  for (let i = 0; i < ll.length; i += 2) { lats.push(ll[i]); lons.push(ll[i + 1]); }
  const c = [lats.reduce((a, b) => a + b) / lats.length, lons.reduce((a, b) => a + b) / lons.length];
  map.setView(c, zoomOf(views0[2]), { animate: false });
  const renderer = L.canvas();
  const t = performance.now();
  const group = L.layerGroup();
  for (let i = 0; i < lats.length; i++) L.circleMarker([lats[i], lons[i]], { renderer, radius: 3, stroke: false, fillOpacity: 0.9, fillColor: colours[i % 12] }).addTo(group);
  group.addTo(map);
  map.setView(c, zoomOf(views0[2]), { animate: false });
  const first = performance.now() - t;
  // The same 240-view path, in degrees.
  const dLat = 1 / 111132, dLon = 1 / (111320 * Math.cos(lat0 * Math.PI / 180));
  const cpu = [];
  for (let k = 0; k < 240; k++) {
    const z = views0[2] * (0.35 + 0.3 * (1 + Math.sin(k / 25)));
    const s = performance.now();
    map.setView([c[0] + 2000 * Math.cos(k / 33) * dLat, c[1] + 3000 * Math.sin(k / 40) * dLon], zoomOf(z), { animate: false });
    cpu.push(performance.now() - s);
  }
  return { first, cpu, points: lats.length };
}, { ll: latlngs, views0: hearth.view, lat0: latlngs[0] });

const hp50 = pct(hearth.cpu, 50), hp95 = pct(hearth.cpu, 95), lp50 = pct(leaflet.cpu, 50), lp95 = pct(leaflet.cpu, 95);
console.log(`map: ${hearth.points} homes; page load to ready ${loadMs} ms; first render after data ${f1(hearth.first)} ms (Leaflet ${f1(leaflet.first)} ms for ${leaflet.points})`);
console.log(`map frame (full redraw per view, 240 views): Hearth p50 ${f1(hp50)} ms, p95 ${f1(hp95)} ms; Leaflet p50 ${f1(lp50)} ms, p95 ${f1(lp95)} ms; Hearth faster by ${f1(lp50 / hp50)}x (p50), ${f1(lp95 / hp95)}x (p95)`);
const fps = (xs) => (1000 / (xs.reduce((a, b) => a + b, 0) / xs.length)).toFixed(0);
console.log(`map dragging (cached base, 120 frames): frame interval p50 ${f1(pct(paced.pan, 50))} ms, p95 ${f1(pct(paced.pan, 95))} ms, ${fps(paced.pan)} frames/s; script per frame p50 ${f1(pct(paced.panCpu, 50))} ms`);
console.log(`map pinch-zooming (scaled base, 120 frames): frame interval p50 ${f1(pct(paced.zoom, 50))} ms, p95 ${f1(pct(paced.zoom, 95))} ms, ${fps(paced.zoom)} frames/s; script per frame p50 ${f1(pct(paced.zoomCpu, 50))} ms`);
console.log(`map full redraw every frame (base re-rendered, 60 frames): interval p50 ${f1(pct(settled, 50))} ms, p95 ${f1(pct(settled, 95))} ms, ${fps(settled)} frames/s`);
console.log(`map lasso of ${lasso[0].count} homes: selection + totals ${f1(pct(lasso.map((l) => l.hook), 50))} ms, on screen ${f1(pct(lasso.map((l) => l.screen), 50))} ms (median of 5; worst ${f1(Math.max(...lasso.map((l) => l.screen)))} ms)`);
await browser.close();
