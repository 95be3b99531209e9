// Awaab's Law on a phone: damp and mould found at a visit starts the investigation's clock; the
// officer records the investigation, which starts the summary's and the safety work's clocks; My
// work and the Team page show the next clock.
import { test, expect } from '@playwright/test';
import { signIn, hydrated, collectErrors } from './helpers.mjs';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

async function noSidewaysScroll(page) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
}

test('damp and mould found at a visit climbs the ladder with a clock on every rung', async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  const js = testInfo.project.use.javaScriptEnabled !== false;
  await signIn(page, 'chmo.east1');
  // A home of its own for each run of the journey (hydrated, then without JavaScript).
  const reference = await page.getByTestId('caseload').locator('tbody tr').nth(js ? 13 : 14).locator('td a').first().innerText();
  await page.goto(`/tenancies/${reference}`);
  await hydrated(page, testInfo);
  const section = page.getByTestId('tenancy-hazards');
  await expect(section.getByTestId('hazard-report')).toHaveCount(1);

  const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  const form = page.getByTestId('visit-form');
  await form.locator('summary').click();
  await expect(form.getByText("starts Awaab's Law's clocks")).toBeVisible();
  await form.getByLabel('Day', { exact: true }).fill(yesterday);
  await form.getByLabel('Time at the door').fill('10:40');
  await form.getByLabel('Damp and mould').fill('Black mould across the back bedroom ceiling; baby sleeps in that room');
  await form.getByRole('button', { name: 'Record the visit' }).click();

  // The visit opened the hazard: the investigation's clock runs from the door.
  const hazard = section.getByTestId('hazard').first();
  await expect(hazard).toContainText('baby sleeps in that room');
  const rungs = hazard.getByTestId('hazard-rungs').locator('li');
  await expect(rungs).toHaveCount(1);
  await expect(rungs.first()).toContainText('Investigated · within 10 working days of the report');
  await expect(section.getByTestId('hazard-report')).toHaveCount(0);

  // The surveyor's investigation, recorded this morning: a significant hazard.
  const step = hazard.getByTestId('hazard-step');
  await step.getByLabel('What the investigation found').selectOption('significant');
  await step.getByLabel('Time', { exact: true }).fill('00:01');
  await step.getByLabel('What was done or found').fill('Surveyor: extractor fan failed, mould on two walls; fan and treatment ordered');
  await step.getByRole('button', { name: 'Record the step' }).click();
  await expect(rungs).toHaveCount(3);
  await expect(hazard).toContainText('Significant hazard');
  await expect(rungs.nth(0)).toContainText('done');
  await expect(rungs.nth(1)).toContainText('Written summary sent to the tenant · within 3 working days of the investigation');
  await expect(rungs.nth(2)).toContainText('Safety work done · within 5 working days of the investigation');
  await expect(hazard.getByTestId('hazard-step').getByLabel('Step').locator('option')).toHaveText(['Written summary sent to the tenant', 'Safety work done']);
  await noSidewaysScroll(page);
  await hazard.screenshot({ path: testInfo.outputPath('hazard-ladder.png') });

  // My work: the next clock, the summary's.
  await page.goto('/');
  await hydrated(page, testInfo);
  const home = page.locator(`a[href="/tenancies/${reference}#hazards"]`);
  const mine = page.getByTestId('my-hazards').locator('tbody tr').filter({ has: home });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText('Written summary sent to the tenant');
  await noSidewaysScroll(page);
  await page.getByTestId('my-hazards').screenshot({ path: testInfo.outputPath('hazard-my-work.png') });

  // The Team Leader sees it among the area's, with the officer.
  await signIn(page, 'tl.east');
  await page.goto('/team');
  await hydrated(page, testInfo);
  const team = page.getByTestId('team-hazards');
  await expect(team.getByTestId('hazard-figures')).toContainText('open');
  await expect(team.locator('tbody tr').filter({ has: home })).toHaveCount(1);
  await noSidewaysScroll(page);
  expect(errors).toEqual([]);
});
