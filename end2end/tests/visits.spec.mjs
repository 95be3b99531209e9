// Visits officers record themselves, on a phone: the doorstep form, a finding's clock, a refusal
// that keeps what was typed.
import { test, expect } from '@playwright/test';
import { signIn, hydrated, collectErrors } from './helpers.mjs';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test('an officer records a visit with a disrepair finding and sees its follow-up clock', async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  const js = testInfo.project.use.javaScriptEnabled !== false;
  await signIn(page, 'chmo.east1');
  // A different home for each run of the journey (hydrated, then without JavaScript).
  const row = page.getByTestId('caseload').locator('tbody tr').nth(js ? 3 : 4);
  const reference = await row.locator('td a').first().innerText();
  await page.goto(`/tenancies/${reference}`);
  await hydrated(page, testInfo);
  const followUps = page.getByTestId('follow-up').filter({ hasText: 'Disrepair' });
  const before = await followUps.count();

  // Yesterday morning, so the visit is in the past whatever the time of day the suite runs.
  const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  const form = page.getByTestId('visit-form');
  await form.locator('summary').click();
  await form.getByLabel('What the visit was for').selectOption('home_check');
  await form.getByLabel('Day', { exact: true }).fill(yesterday);
  await form.getByLabel('Time at the door').fill('09:15');

  if (js) {
    // No access, yet a finding: refused with a reason, and the typed finding stays in its box.
    await form.getByLabel('No access', { exact: true }).check();
    await form.getByLabel('Signs of abandonment').fill('Curtains drawn, post piled up behind the door');
    await form.getByRole('button', { name: 'Record the visit' }).click();
    await expect(page.getByTestId('form-error')).toContainText('No access: nobody was seen');
    await expect(form.getByLabel('Signs of abandonment')).toHaveValue('Curtains drawn, post piled up behind the door');
    await form.getByLabel('Signs of abandonment').fill('');
    await form.getByLabel('Visit completed').check();
  }
  await form.getByLabel('Disrepair').fill('Damp and black mould on the back bedroom wall; window frame rotten');
  await form.getByLabel('Notes').fill('Tenant at home; household as recorded.');
  await form.getByRole('button', { name: 'Record the visit' }).click();

  if (js) {
    const done = page.getByTestId('visit-recorded');
    await expect(done).toContainText('Visit recorded.');
    await expect(done).toContainText('Disrepair: follow up within 2 working days');
    // A fresh form for the next visit: nothing of the last report is left in it.
    await expect(page.getByTestId('visit-form').getByLabel('Disrepair')).toHaveValue('');
  }
  // The tenancy lists the visit with its open follow-up and clock, once.
  await expect(followUps).toHaveCount(before + 1);
  await expect(followUps.first()).toContainText('Disrepair follow-up by');
  // Still a phone's width.
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
  await page.screenshot({ path: testInfo.outputPath('visit-recorded.png'), fullPage: true });

  // The follow-up waits on My work with its clock, and closes with what was done.
  await page.goto('/');
  await hydrated(page, testInfo);
  const mine = page.getByTestId('follow-ups').locator('tbody tr').filter({ hasText: 'window frame rotten' });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText('Disrepair');
  await mine.getByRole('textbox').fill('Referred to repairs, job R-20411');
  await mine.getByRole('button', { name: 'Close' }).click();
  if (js) await expect(mine).toContainText('Closed');
  else await expect(mine).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('follow-ups').locator('tbody tr').filter({ hasText: 'window frame rotten' })).toHaveCount(0);
  expect(errors.filter((e) => !e.includes('400 (Bad Request)'))).toEqual([]);
});

test('a visit recorded with no signal is kept on the phone and sent once when the signal returns', async ({ page, context, request }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'keeping a visit on the phone needs JavaScript; without it the browser keeps the form');
  await signIn(page, 'chmo.east1');
  const reference = await page.getByTestId('caseload').locator('tbody tr').nth(6).locator('td a').first().innerText();
  await page.goto(`/tenancies/${reference}`);
  await hydrated(page, testInfo);
  // Yesterday, so the visit is in the past whatever the time of day the suite runs.
  const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  const rightToBuy = (p) => p.locator('section[aria-labelledby="visits-h"] table tbody tr').filter({ hasText: 'Right to buy' }).filter({ hasText: yesterday });
  const before = await rightToBuy(page).count();

  const form = page.getByTestId('visit-form');
  await form.locator('summary').click();
  await form.getByLabel('What the visit was for').selectOption('right_to_buy');
  await form.getByLabel('Day', { exact: true }).fill(yesterday);
  await form.getByLabel('Time at the door').fill('07:45');
  await form.getByLabel('Notes').fill('Recorded on the stairwell with no signal');
  await context.setOffline(true);
  await form.getByRole('button', { name: 'Record the visit' }).click();
  await expect(page.getByTestId('visit-kept')).toBeVisible();
  await expect(page.getByTestId('outbox')).toContainText('1 visit waiting to be sent');
  await expect(page.getByTestId('outbox')).toContainText(reference);
  // Nothing is lost when the page is closed: the phone keeps the report.
  expect(await page.evaluate(() => localStorage.getItem('hearth.outbox.visits'))).toContain(reference);
  await page.close();

  await context.setOffline(false);
  const again = await context.newPage();
  await again.goto('/');
  await hydrated(again, testInfo);
  // Opening Hearth with a signal sends it; the banner goes.
  await expect(again.getByTestId('outbox')).toHaveCount(0);
  expect(await again.evaluate(() => localStorage.getItem('hearth.outbox.visits'))).toBeNull();
  await again.goto(`/tenancies/${reference}`);
  await expect(rightToBuy(again)).toHaveCount(before + 1);
  // Sent again (a second tab, a flaky signal): still recorded once.
  await again.reload();
  await expect(rightToBuy(again)).toHaveCount(before + 1);
});

test('a Team Leader reads the area\'s visiting and its under-occupied homes', async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  await signIn(page, 'tl.east');
  await page.goto('/team');
  await hydrated(page, testInfo);
  const visiting = page.getByTestId('visiting');
  await expect(visiting.locator('tbody tr').last()).toContainText('Team');
  await expect(visiting.locator('td[data-label="Closed on time this month"]').last()).toContainText(' of ');
  await expect(page.getByTestId('under-summary')).toContainText('are under-occupied by the size criteria');
  const first = page.getByTestId('under-occupiers').locator('tbody tr').first();
  const spare = await first.locator('td[data-label="Spare"]').innerText();
  // The list and the home's own page read the household by the same rule.
  await first.getByRole('link').click();
  await expect(page.getByTestId('occupation')).toContainText(`Under-occupied (${spare} spare bedroom`);
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
  expect(errors).toEqual([]);
});
