// axe-core over the staff pages, as over the public ones (feedback.spec.mjs): every page each role
// works in, hydrated, at a desk's width and a phone's, with no WCAG 2.2 A or AA violation.
import { test, expect } from '@playwright/test';
import { signIn, apiAuth, hydrated, axe } from './helpers.mjs';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** A tenancy and a case of this officer's, from My work's API. */
async function theirs(request, username) {
  const res = await request.get('/api/v1/my-work', await apiAuth(request, username));
  expect(res.ok()).toBeTruthy();
  const work = await res.json();
  return { tenancy: work.tenancies[0]?.reference, case: work.cases[0]?.reference };
}

/** Opens each path signed in as `username`, checks it with axe-core, and gathers the violations by page. */
async function check(browser, testInfo, username, paths, size) {
  const context = await browser.newContext({ ...size, bypassCSP: true, baseURL: testInfo.project.use.baseURL });
  const page = await context.newPage();
  await signIn(page, username);
  const found = {};
  for (const path of paths) {
    await page.goto(path);
    // The subject access pages and the statement are server HTML with no WASM, like the feedback forms.
    if (!path.startsWith('/subject-access') && path !== '/accessibility') await hydrated(page, testInfo);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    // Lists and figures load after the page: wait for the loading notes to go.
    await expect(page.getByText('Loading…')).toHaveCount(0, { timeout: 20_000 }).catch(() => {});
    const violations = await axe(page);
    if (violations.length) found[`${username} ${path}`] = violations;
  }
  await context.close();
  return found;
}

test('the staff pages pass axe-core with no violations, at a desk and on a phone', async ({ browser, request }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'axe runs in the page; the server renders the same HTML');
  test.setTimeout(240_000);
  const officer = await theirs(request, 'chmo.east1');
  const sustain = await theirs(request, 'sthmo.east1');
  const pages = [
    ['chmo.east1', ['/', '/day', `/tenancies/${officer.tenancy}`, '/search?q=Road', '/map', '/referrals', `/tenancies/${officer.tenancy}/refer`]],
    ['tl.east', ['/', '/team', '/approvals', '/satisfaction']],
    ['sthmo.east1', sustain.case ? ['/', `/cases/${sustain.case}`] : ['/']],
    ['admin', ['/admin', '/subject-access', '/accessibility']],
    ['partner.asc', ['/referrals']],
  ];
  const found = {};
  for (const [who, paths] of pages) {
    Object.assign(found, await check(browser, testInfo, who, paths, { viewport: { width: 1280, height: 900 } }));
  }
  Object.assign(found, await check(browser, testInfo, 'chmo.east1', ['/', `/tenancies/${officer.tenancy}`, '/day'], phone));
  expect(found).toEqual({});
});
