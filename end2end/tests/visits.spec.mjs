// Visits officers record themselves, on a phone: the doorstep form, a finding's clock, a refusal
// that keeps what was typed.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
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
  await hydrated(page, testInfo);
  // Hearth's service worker keeps the pages opened from here on, for a reload with no signal.
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker && navigator.serviceWorker.controller)), { timeout: 15_000 }).toBe(true);
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
  // Reloaded with no signal: the page comes from the phone, and the visit still waits.
  const reloaded = await page.reload();
  expect(reloaded.fromServiceWorker()).toBe(true);
  await hydrated(page, testInfo);
  await expect(page.getByTestId('tenancy-heading')).toBeVisible();
  await expect(page.getByTestId('outbox')).toContainText('1 visit waiting to be sent');
  // A page never opened here says so, rather than failing.
  await page.goto('/team').catch(() => {});
  await expect(page.getByRole('heading', { name: 'No signal' })).toBeVisible();
  await page.goBack();
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

test('an officer works the day on a phone: the doors in walking order, a visit recorded, its follow-up clock on the day', async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  const js = testInfo.project.use.javaScriptEnabled !== false;
  await signIn(page, js ? 'chmo.west1' : 'chmo.central1');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My day' }).click();
  await hydrated(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('My day');
  // The programme plans working days: on a weekend or a bank holiday, walk on to the next day
  // with visits, as an officer would.
  for (let i = 0; i < 6 && (await page.getByTestId('day-stop').count()) === 0; i++) {
    await page.getByRole('navigation', { name: 'Other days' }).getByRole('link').last().click();
    await hydrated(page, testInfo);
  }
  const stops = page.getByTestId('day-stop');
  expect(await stops.count()).toBeGreaterThan(1);
  await expect(page.getByTestId('day-summary')).toContainText('the walk between them is about');
  await expect(page.getByTestId('route-map').locator('circle')).toHaveCount(await stops.count());
  // Each door says what to check: the household as recorded, rent, open cases, the last visit.
  const first = stops.first();
  await expect(first).toContainText('Household');
  await expect(first).toContainText('Last visit');
  await expect(stops.nth(1)).toContainText('from the last door');
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
  await page.screenshot({ path: testInfo.outputPath('my-day.png'), fullPage: true });

  // The first door: record the visit (yesterday morning, so it is in the past whatever the time).
  const address = await first.getByRole('heading').getByRole('link').innerText();
  await first.getByRole('link', { name: 'Record the visit' }).click();
  await hydrated(page, testInfo);
  const reference = page.url().split('/tenancies/')[1].split('#')[0];
  const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  const form = page.getByTestId('visit-form');
  await form.locator('summary').click();
  await form.getByLabel('What the visit was for').selectOption('home_check');
  await form.getByLabel('Day', { exact: true }).fill(yesterday);
  await form.getByLabel('Time at the door').fill('09:40');
  const mark = `${testInfo.project.name} ${Date.now()}`;
  await form.getByLabel('Disrepair').fill(`Bathroom extractor fan broken, condensation on the ceiling (${mark})`);
  // The household has changed: a grandchild has come to live here.
  const household = form.getByTestId('household-change');
  const grandchild = js ? 'Grace' : 'Gwen';
  await household.getByLabel('Joined: first name').fill(grandchild);
  await household.getByLabel('Last name', { exact: true }).fill('Ashworth');
  await household.getByLabel('Date of birth', { exact: true }).fill('2019-05-14');
  await household.getByLabel('Sex', { exact: true }).selectOption('F');
  await household.getByLabel('Relationship to the tenant').selectOption('other_relative');
  await form.getByRole('button', { name: 'Record the visit' }).click();
  if (js) await expect(page.getByTestId('visit-recorded')).toContainText('Visit recorded.');
  // The tenancy's household now includes her, and the size criteria count her.
  await page.goto(`/tenancies/${reference}`);
  await hydrated(page, testInfo);
  await expect(page.getByTestId('household')).toContainText(`${grandchild} Ashworth`);

  // Back on the day: that door no longer asks for a visit, and the finding's clock is listed.
  await page.goto('/day');
  await hydrated(page, testInfo);
  const door = page.getByTestId('day-stop').filter({ hasText: address });
  await expect(door.getByRole('link', { name: 'Record the visit' })).toHaveCount(0);
  const followUp = page.getByTestId('follow-ups').locator('tbody tr').filter({ hasText: `condensation on the ceiling (${mark})` });
  await expect(followUp).toHaveCount(1);
  await expect(followUp).toContainText('Disrepair');
  await expect(followUp.locator('a')).toHaveAttribute('href', `/tenancies/${reference}`);
  expect(errors).toEqual([]);
});

test('a Team Leader plans next week\'s visits and assigns them', async ({ page }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'the plan is previewed on the page before it is assigned, which needs JavaScript');
  const errors = collectErrors(page);
  await signIn(page, 'tl.east');
  await page.goto('/team');
  await hydrated(page, testInfo);
  const coverage = page.getByTestId('coverage');
  const total = coverage.locator('tbody tr').last();
  await expect(total).toContainText('All patches');
  const plannedBefore = Number(await total.locator('td[data-label="Planned"]').innerText());

  // Next Monday, a week's home checks, two a day for each officer.
  const now = new Date();
  const monday = new Date(now.getTime() + (((8 - now.getUTCDay()) % 7) || 7) * 86_400_000).toISOString().slice(0, 10);
  const form = page.getByTestId('plan-form');
  await form.getByLabel('From').fill(monday);
  await form.getByLabel('Weeks').fill('1');
  await form.getByLabel('Visits an officer a day').fill('2');
  await form.getByRole('button', { name: 'Preview the plan' }).click();
  const plan = page.getByTestId('plan');
  await expect(plan.getByRole('heading')).toHaveText('The plan');
  await expect(page.getByTestId('plan-summary')).toContainText('Nothing is booked until you assign them.');
  const summary = await page.getByTestId('plan-summary').innerText();
  const n = Number(summary.split(' ')[0]);
  expect(n).toBeGreaterThan(0);
  await expect(plan.getByTestId('plan-visits').locator('tbody tr').first()).toContainText(/Never visited|No contact in two years|Due in the cycle/);
  await plan.getByRole('button', { name: `Assign these ${n} visits` }).click();
  await expect(plan.getByRole('heading')).toHaveText('Visits assigned');
  // The coverage counts them as planned.
  await expect(total.locator('td[data-label="Planned"]')).toHaveText(String(plannedBefore + n));
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
  expect(errors).toEqual([]);
});

/** The fixture photo as a phone writes it: an EXIF block with where it was taken (GPS). */
function phonePhoto() {
  const jpeg = readFileSync(new URL('./fixtures/mould.jpg', import.meta.url));
  const tiff = Buffer.concat([
    Buffer.from('II*\0\x08\0\0\0', 'latin1'),
    Buffer.from([2, 0]),
    Buffer.from([0x12, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0]), // orientation: upright
    Buffer.from([0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]), // GPS IFD at 38
    Buffer.from([0, 0, 0, 0, 1, 0]),
    Buffer.from([0x01, 0x00, 2, 0, 2, 0, 0, 0, 0x4e, 0, 0, 0]),
    Buffer.from('GPS 53.9591N 1.0815W', 'latin1'),
  ]);
  const data = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(data.length + 2);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xe1]), len, data, jpeg.subarray(2)]);
}

test('a disrepair finding with a photo from the phone: where it was taken is removed', async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  const js = testInfo.project.use.javaScriptEnabled !== false;
  await signIn(page, 'chmo.east1');
  const reference = await page.getByTestId('caseload').locator('tbody tr').nth(js ? 11 : 12).locator('td a').first().innerText();
  await page.goto(`/tenancies/${reference}`);
  await hydrated(page, testInfo);
  const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  const form = page.getByTestId('visit-form');
  await form.locator('summary').click();
  await form.getByLabel('Day', { exact: true }).fill(yesterday);
  await form.getByLabel('Time at the door').fill('11:20');
  await form.getByLabel('Disrepair').fill('Black mould spreading from the bedroom window');
  await form.getByRole('button', { name: 'Record the visit' }).click();
  const visitRow = () => page.locator('section[aria-labelledby="visits-h"] tbody tr').filter({ hasText: yesterday }).filter({ hasText: 'Disrepair' }).first();
  const row = visitRow();
  await expect(row).toBeVisible();
  await expect(row.getByTestId('follow-up')).toContainText('Disrepair follow-up by');

  // Not a photo: refused, saying why.
  await row.getByText('Add a photo').click();
  await row.getByLabel('Photo (JPEG or PNG').setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7 a letter') });
  await row.getByRole('button', { name: 'Add the photo' }).click();
  await expect(page.getByTestId('photo-error')).toContainText('not a photo Hearth can keep');

  // The phone's photo of the mould, for the disrepair finding.
  const again = visitRow();
  await again.getByText('Add a photo').click();
  await again.getByLabel('Photo (JPEG or PNG').setInputFiles({ name: 'mould.jpg', mimeType: 'image/jpeg', buffer: phonePhoto() });
  await again.getByLabel('It shows').selectOption('disrepair');
  await again.getByRole('button', { name: 'Add the photo' }).click();
  await expect(page.getByTestId('photo-added')).toBeVisible();
  const thumb = visitRow().getByTestId('photos').locator('img');
  await expect(thumb).toHaveCount(1);
  await expect(thumb).toHaveAttribute('alt', /disrepair/);
  // It shows, and what Hearth keeps says nothing of where it was taken.
  await expect.poll(() => thumb.evaluate((img) => img.complete && img.naturalWidth)).toBe(240);
  const kept = await page.request.get(await thumb.getAttribute('src'));
  expect(kept.headers()['content-type']).toBe('image/jpeg');
  const body = await kept.body();
  expect(body.includes(Buffer.from('53.9591N'))).toBe(false);
  expect(body.length).toBeGreaterThan(3000);
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]).catch(() => [0, 0]);
  expect(scroll).toBeLessThanOrEqual(client);
  await page.locator('section[aria-labelledby="visits-h"]').screenshot({ path: testInfo.outputPath('visit-photo.png') });
  expect(errors.filter((e) => !e.includes('400 (Bad Request)'))).toEqual([]);
});
