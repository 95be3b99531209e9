// Screenshots for the README and review: node shots.mjs http://127.0.0.1:3107 ../docs/screenshots
import { chromium } from '@playwright/test';
const [base, dir] = [process.argv[2], process.argv[3]];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
let shoot = async function (user, path, file, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill('hearth-demo-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in') && !u.pathname.startsWith('/auth'));
  if (typeof path === 'function') await path(page); else await page.goto(`${base}${path}`);
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${dir}/${file}`, fullPage: false });
  await page.close();
};
const only = process.env.SHOTS; // e.g. SHOTS=map: only the files whose names start with it
const shootAll = shoot;
shoot = (user, path, file, viewport) => (only && !file.startsWith(only) ? Promise.resolve() : shootAll(user, path, file, viewport));
await shoot('chmo.east1', '/', 'my-work.png');
await shoot('ihmo.east1', '/', 'my-work-introductory.png');
await shoot('chmo.east1', async (page) => {
  const ref = await page.getByTestId('caseload').locator('tbody tr a').first().innerText();
  await page.goto(`${base}/tenancies/${ref}`);
}, 'tenancy.png');
await shoot('chmo.east1', async (page) => {
  const ref = await page.getByTestId('caseload').locator('tbody tr a').nth(3).innerText();
  await page.goto(`${base}/tenancies/${ref}`);
}, 'tenancy-phone.png', { width: 390, height: 844 });
await shoot('chmo.east1', '/search?q=yo31', 'search.png');
await shoot('tl.east', '/', 'team-leader.png');
await shoot('tl.east', '/team', 'team.png');
await shoot('sthmo.east1', async (page) => {
  const ref = await page.locator('table.data a[href^="/cases/"]').first().getAttribute('href');
  await page.goto(`${base}${ref}`);
}, 'case-plan.png');
await shoot('tl.east', async (page) => {
  await page.goto(`${base}/approvals`);
  const ref = await page.getByTestId('approvals').locator('a[href^="/cases/"]').first().getAttribute('href');
  await page.goto(`${base}${ref}`);
}, 'case-referral.png');
await shoot('tl.east', '/satisfaction?by=area&months=12', 'satisfaction.png', { width: 1280, height: 1400 });
// Referrals to partner agencies: the Team Leader's view, the agency's view, the officer's form.
await shoot('tl.east', '/referrals', 'referrals-team-leader.png', { width: 1280, height: 1200 });
await shoot('partner.asc', '/referrals', 'referrals-partner.png');
await shoot('partner.asc', async (page) => {
  const href = await page.getByTestId('referral-table').locator('a[href^="/referrals/"]').first().getAttribute('href');
  await page.goto(`${base}${href}`);
}, 'referral-partner.png', { width: 1280, height: 1100 });
await shoot('chmo.east1', async (page) => {
  const ref = await page.getByTestId('caseload').locator('tbody tr a').first().innerText();
  await page.goto(`${base}/tenancies/${ref}/refer?agency=1&category=support`);
}, 'referral-form.png', { width: 1280, height: 1500 });
await shoot('admin', '/admin', 'admin.png', { width: 1280, height: 1300 });
// The public feedback form, as a tenant sees it on a phone (no sign-in), and a mistake explained.
{
  const tok = await (await fetch(`${base}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'hearth-demo-2026' }) })).json();
  const res = await (await fetch(`${base}/api/v1/feedback/results?by=all`, { headers: { Authorization: `Bearer ${tok.token}` } })).json();
  const link = res.links.find((l) => l.scope_type === 'patch');
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, javaScriptEnabled: false });
  await page.goto(`${base}${link.path}`);
  await page.screenshot({ path: `${dir}/feedback-phone.png`, fullPage: false });
  await page.getByLabel('Yes, contact me').check();
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${dir}/feedback-phone-error.png`, fullPage: false });
  await page.goto(`${base}${link.path}?lang=cy`);
  await page.screenshot({ path: `${dir}/feedback-phone-welsh.png`, fullPage: false });
  await page.close();
}
// The patch map in each colour mode (zoomed in so the shapes show), the whole council, the table and a phone.
const openMap = async (page, query = '') => {
  await page.goto(`${base}/map${query}`);
  await page.waitForFunction(() => window.__hearthMap && window.__hearthMap.ready);
};
const zoomIn = (page, factor) => page.evaluate((f) => { const [cx, cy, mpp] = window.__hearthMap.view(); window.__hearthMap.frame(cx - 600, cy + 300, mpp * f); }, factor);
for (const mode of ['patch', 'workload', 'arrears', 'visits', 'tenure', 'cases']) {
  await shoot('tl.east', async (page) => {
    await openMap(page);
    await page.getByTestId('colour-mode').selectOption(mode);
    await zoomIn(page, mode === 'patch' ? 1 : 0.45);
  }, `map-${mode}.png`, { width: 1400, height: 1000 });
}
await shoot('asb.hub', async (page) => { await openMap(page, '?area=0'); }, 'map-council.png', { width: 1400, height: 1000 });
await shoot('tl.west', async (page) => {
  await openMap(page);
  await page.getByTestId('tolerance').fill('3');
  await page.getByTestId('suggest').click();
  await page.getByTestId('proposal').waitFor();
  await page.getByTestId('show-proposal').click();
}, 'map-balance.png', { width: 1400, height: 1000 });
await shoot('tl.east', async (page) => {
  await openMap(page);
  await page.getByTestId('table-tab').click();
  // The demo council's street names are made up afresh: filter to the first street listed.
  const street = (await page.getByTestId('home-table').locator('tbody tr').first().locator('td').nth(2).textContent()).trim();
  await page.getByTestId('table-street').fill(street);
  await page.getByTestId('table-select-all').click();
}, 'map-table.png', { width: 1400, height: 1000 });
await shoot('tl.east', async (page) => { await openMap(page); }, 'map-phone.png', { width: 390, height: 844 });
await browser.close();
