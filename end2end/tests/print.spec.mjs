// A tenancy printed for a file or a court bundle: the record, without the navigation, the forms
// and the buttons around it.
import { test, expect } from '@playwright/test';
import { signIn, hydrated } from './helpers.mjs';

test('a printed tenancy is the record, without the screen around it', async ({ page }, testInfo) => {
  await signIn(page, 'chmo.east1');
  const reference = await page.getByTestId('caseload').locator('tbody tr').first().locator('td a').first().innerText();
  await page.goto(`/tenancies/${reference}`);
  await hydrated(page, testInfo);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeVisible();
  await expect(page.getByTestId('visit-form')).toBeVisible();

  await page.emulateMedia({ media: 'print' });
  await expect(nav).toBeHidden();
  await expect(page.getByTestId('visit-form')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
  await expect(page.getByTestId('tenancy-heading')).toBeVisible();
  await expect(page.getByTestId('owner')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('tenancy-print.png'), fullPage: true });
});
