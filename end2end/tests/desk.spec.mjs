// The officer's desk: sign in as each role, find a tenancy by postcode, open it.
import { test, expect } from '@playwright/test';
import { signIn, hydrated, collectErrors, apiAuth } from './helpers.mjs';

const roles = [
  { user: 'chmo.east1', sees: 'Community HMO', desk: true },
  { user: 'ihmo.east1', sees: 'Introductory Tenancy HMO', desk: true },
  { user: 'sthmo.east1', sees: 'Sustainable Tenancy HMO', desk: true },
  { user: 'tl.east', sees: 'Team Leader', desk: true },
  { user: 'asb.hub', sees: 'ASB / Community Safety Hub', desk: true },
  { user: 'legal', sees: 'Legal', desk: true },
  { user: 'partner.asc', sees: 'Partner agency', desk: false },
  { user: 'admin', sees: 'Administrator', desk: false },
];

for (const r of roles) {
  test(`${r.user} signs in and sees only what the role may`, async ({ page }, testInfo) => {
    const errors = collectErrors(page);
    await signIn(page, r.user);
    // Each role lands where it works: partner-agency users on their agency's referrals (Hearth has
    // nothing else for them), administrators on Administration, everyone else on My work.
    await expect(page).toHaveURL(r.user.startsWith('partner.') ? /\/referrals$/ : r.user === 'admin' ? /\/admin$/ : /\/$/);
    await expect(page.getByTestId('signed-in-as')).toBeVisible();
    await expect(page.locator('.who-role')).toContainText(r.sees);
    if (r.desk) {
      await expect(page.getByRole('heading', { name: 'My work' })).toBeVisible();
      await expect(page.getByTestId('counts')).toBeVisible();
      // The tiles count what the role works: tenancies and arrears only for those who manage tenancies.
      const tenancies = ['chmo.east1', 'ihmo.east1'].includes(r.user);
      const team = ['legal', 'asb.hub'].includes(r.user);
      await expect(page.getByTestId('counts')).toContainText(tenancies ? 'Arrears over' : team ? 'Escalations waiting' : 'Open cases');
      if (!tenancies) await expect(page.getByTestId('counts')).not.toContainText('Arrears over');
      // Legal and the Hub work from the escalations waiting for their team, with their clocks.
      if (r.user === 'legal') await expect(page.getByTestId('team-queue-section')).toContainText('Waiting for Legal');
      if (r.user === 'asb.hub') await expect(page.getByTestId('team-queue-section')).toContainText('Waiting for the Community Safety Hub');
    } else if (r.user.startsWith('partner.')) {
      await expect(page.getByTestId('referrals-heading')).toContainText('Adult Social Care');
      await expect(page.getByRole('navigation', { name: 'Main' })).not.toContainText('My work');
    } else {
      await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
      await expect(page.getByRole('navigation', { name: 'Main' })).not.toContainText('My work');
    }
    await hydrated(page, testInfo);
    expect(errors.filter((e) => !e.includes('403'))).toEqual([]);
  });
}

test('a wrong password explains itself and keeps the username', async ({ page }) => {
  await signIn(page, 'chmo.east1', 'not-the-password');
  await expect(page.getByTestId('sign-in-error')).toContainText('not right');
  await expect(page.getByLabel('Username')).toHaveValue('chmo.east1');
});

test('an officer finds a tenancy by postcode and opens it', async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  await signIn(page, 'chmo.east1');
  // Take a postcode from the officer's own caseload, then search for it as typed on an estate.
  const firstRow = page.getByTestId('caseload').locator('tbody tr').first();
  const address = await firstRow.locator('td').nth(2).innerText();
  const postcode = address.split(',').pop().trim();
  expect(postcode).toMatch(/^YO\d{1,2} \d[A-Z]{2}$/);
  // The most urgent first; the whole caseload one link away.
  const shown = await page.getByTestId('caseload').locator('tbody tr').count();
  expect(shown).toBe(50);
  await page.getByTestId('show-all').click();
  // With JavaScript the list reloads in place (the 50 rows stay until the rest arrive), without it the page reloads.
  await expect.poll(() => page.getByTestId('caseload').locator('tbody tr').count()).toBeGreaterThan(shown);
  await expect(page.getByRole('link', { name: 'Show the most urgent only' })).toBeVisible();
  await page.goto('/search');
  await hydrated(page, testInfo);
  if (testInfo.project.use.javaScriptEnabled === false) {
    await page.getByTestId('search-input').fill(postcode.toLowerCase());
    await page.getByRole('button', { name: 'Search' }).click();
  } else {
    // Answered as you type: no button press.
    await page.getByTestId('search-input').pressSequentially(postcode.toLowerCase().replace(' ', ''), { delay: 30 });
  }
  const results = page.getByTestId('results');
  await expect(results).toBeVisible();
  await expect(results.locator('li').first()).toContainText(postcode);
  await results.locator('li').filter({ hasText: 'Tenancy' }).first().getByRole('link').click();
  await expect(page.getByTestId('tenancy-heading')).toContainText(postcode);
  await expect(page.getByTestId('owner')).toBeVisible();
  await expect(page.getByTestId('household').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('history').locator('li').first()).toBeVisible();
  await expect(page.getByTestId('balance')).toBeVisible();
  // And on to the property.
  await page.locator('.crumbs a').click();
  await expect(page.getByTestId('property-heading')).toContainText(postcode);
  await expect(page.getByTestId('tenancy-history').locator('tbody tr').first()).toBeVisible();
  expect(errors).toEqual([]);
});

test.describe('on a 390-pixel phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  /** The page reads without sideways scrolling: nothing is wider than the screen. */
  async function fitsThePhone(page, what) {
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(widths[0], `${what} is ${widths[0]}px wide on a ${widths[1]}px screen`).toBeLessThanOrEqual(widths[1]);
  }

  test('My work, search and a tenancy read down the screen, never sideways', async ({ page }, testInfo) => {
    const errors = collectErrors(page);
    await signIn(page, 'chmo.east1');
    await hydrated(page, testInfo);
    const row = page.getByTestId('caseload').locator('tbody tr').first();
    await expect(row).toBeVisible();
    // Each cell says what it is, as the column heading would.
    await expect(row.locator('td[data-label="Balance"]')).toBeVisible();
    await fitsThePhone(page, 'My work');
    await page.goto('/?all=1');
    await expect(page.getByRole('link', { name: 'Show the most urgent only' })).toBeVisible();
    await fitsThePhone(page, 'My work, every tenancy');
    const address = await page.getByTestId('caseload').locator('tbody tr').first().locator('td').nth(2).innerText();
    const postcode = address.split(',').pop().trim();
    const reference = await page.getByTestId('caseload').locator('tbody tr').first().locator('td a').first().innerText();
    await page.goto(`/search?q=${encodeURIComponent(postcode)}`);
    await expect(page.getByTestId('results').locator('li').first()).toBeVisible();
    await fitsThePhone(page, 'Search');
    await page.goto(`/tenancies/${reference}`);
    await expect(page.getByTestId('household').locator('tbody tr').first()).toBeVisible();
    await expect(page.getByTestId('occupation')).toContainText(/Right-sized|Under-occupied|Overcrowded/);
    await fitsThePhone(page, `Tenancy ${reference}`);
    await page.screenshot({ path: testInfo.outputPath('tenancy-on-a-phone.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});

test("an officer opening another area's record is refused", async ({ page, request }) => {
  // A West tenancy, found by the West Team Leader through the API.
  const work = await (await request.get('/api/v1/my-work', await apiAuth(request, 'chmo.west1'))).json();
  const westRef = work.tenancies[0].reference;
  await signIn(page, 'chmo.east1');
  const res = await page.goto(`/tenancies/${westRef}`);
  expect(res.status()).toBe(403);
  await expect(page.getByRole('alert')).toContainText('another area team');
});
