// What visits lead to: a household at the door asks for a smaller home, the officer moves it on
// from the tenancy on a phone, and the Team Leader reads the year against its targets.
import { test, expect } from '@playwright/test';
import { signIn, hydrated, collectErrors } from './helpers.mjs';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test('a visit starts downsizing, the officer moves it on, and the Team Leader counts the year', async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  const js = testInfo.project.use.javaScriptEnabled !== false;
  await signIn(page, 'chmo.east1');
  // A home of its own for each run of the journey (hydrated, then without JavaScript).
  const reference = await page.getByTestId('caseload').locator('tbody tr').nth(js ? 9 : 10).locator('td a').first().innerText();
  await page.goto(`/tenancies/${reference}`);
  await hydrated(page, testInfo);
  await expect(page.getByTestId('pipeline-downsizing')).toHaveCount(0);

  const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  const form = page.getByTestId('visit-form');
  await form.locator('summary').click();
  await form.getByLabel('What the visit was for').selectOption('occupancy_check');
  await form.getByLabel('Day', { exact: true }).fill(yesterday);
  await form.getByLabel('Time at the door').fill('10:40');
  await form.getByLabel('Under-occupation').fill('Tenant alone in the home since the children left');
  await form.getByLabel('They would like a smaller home').check();
  await form.getByRole('button', { name: 'Record the visit' }).click();

  // The visit opened downsizing, with what was said as its first step.
  const entry = page.getByTestId('pipeline-downsizing');
  await expect(entry).toContainText('Downsizing: Interested in a smaller home');
  await expect(entry).toContainText('that they would like a smaller home');

  // The options conversation, a few days on.
  await entry.getByLabel('Next step').selectOption('options');
  await entry.getByLabel('What happened').fill('Talked through a one-bedroom flat on the same estate and help with the move');
  await entry.getByRole('button', { name: 'Record the step' }).click();
  await expect(entry).toContainText('Downsizing: Options conversation held');
  await expect(entry).toContainText('one-bedroom flat on the same estate');
  await expect(entry.getByLabel('Next step').locator('option')).toHaveText(['Referred for a move', 'Decided not to move']);

  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
  await entry.screenshot({ path: testInfo.outputPath('pipeline-entry.png') });

  // The Team Leader's year: targets, the months, and this home among the open.
  await signIn(page, 'tl.east');
  await page.goto('/team');
  await hydrated(page, testInfo);
  const targets = page.getByTestId('pipeline-targets');
  await expect(targets).toContainText('Homes recovered');
  await expect(targets).toContainText('of 50');
  await expect(targets).toContainText('Downsizing moves');
  await expect(page.getByTestId('pipeline-chart')).toBeVisible();
  await expect(page.getByTestId('pipeline-open')).toContainText('Downsizing: options conversation held');
  const section = page.locator('section[aria-labelledby="pipeline-h"]');
  await section.locator('summary').click();
  await expect(page.getByTestId('pipeline-entries').locator('tbody tr').filter({ hasText: 'Options conversation held' }).first()).toBeVisible();
  await section.screenshot({ path: testInfo.outputPath('pipeline-team.png') });
  const [w, c] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(w).toBeLessThanOrEqual(c);
  expect(errors).toEqual([]);
});
