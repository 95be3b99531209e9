// Need-to-know cases in the browser: the approvals queue names a restricted case by reference only,
// to the Team Leader who must decide it, and shows nothing of it to an officer who may not open it;
// the case itself shows the rest. Run hydrated and with JavaScript off.
import { test, expect } from '@playwright/test';
import { signIn, hydrated, collectErrors, apiAuth as api } from './helpers.mjs';

const RESTRICTED = 'Restricted: open it to see who it concerns';

/** A restricted case of a Community HMO with nothing open on it, referred now with `marker` in its
 * concerns; with the area's Team Leader and a Sustainable Tenancy HMO who may not open it. */
async function referRestricted(request, marker) {
  for (const area of ['east', 'west', 'central']) {
    for (const n of [1, 2, 3, 4, 5]) {
      const officer = `chmo.${area}${n}`;
      let auth;
      try { auth = await api(request, officer); } catch { break; }
      const work = await (await request.get('/api/v1/my-work', auth)).json();
      for (const c of work.cases.filter((c) => c.restricted)) {
        const detail = await (await request.get(`/api/v1/cases/${c.reference}`, auth)).json();
        if (!detail.can_refer || detail.workflow.some((w) => ['proposed', 'sent_back'].includes(w.state))) continue;
        const res = await request.post(`/api/v1/cases/${c.reference}/referral`, {
          ...auth,
          data: { version: detail.version, concerns: `${marker}: threats from a former partner`, risks: 'Serious harm', tried: 'MARAC referral' },
        });
        expect(res.ok(), await res.text()).toBeTruthy();
        return { reference: c.reference, teamLeader: `tl.${area}`, outsider: `sthmo.${area}1` };
      }
    }
  }
  throw new Error('no restricted case of a Community HMO can be referred');
}

test('a restricted case waits in the queue by reference only, and only for those who may open it', async ({ page, request }, testInfo) => {
  const errors = collectErrors(page);
  const marker = `Kx${testInfo.project.name.replace(/\W/g, '')}${Date.now() % 100000}`;
  const { reference, teamLeader, outsider } = await referRestricted(request, marker);

  await signIn(page, teamLeader);
  await page.goto('/approvals');
  await hydrated(page, testInfo);
  const row = page.getByTestId('approvals').locator('tr', { hasText: reference });
  await expect(row).toContainText(RESTRICTED);
  await expect(page.locator('main')).not.toContainText(marker);
  await row.getByRole('link', { name: RESTRICTED }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${reference}$`));
  await expect(page.locator('main')).toContainText(marker);

  // An officer of the area who may not open the case sees nothing of it.
  await page.context().clearCookies();
  await signIn(page, outsider);
  await page.goto('/approvals');
  await hydrated(page, testInfo);
  await expect(page.locator('main')).not.toContainText(reference);
  await expect(page.locator('main')).not.toContainText(marker);
  await page.goto(`/cases/${reference}`);
  await expect(page.locator('main')).toContainText('restricted to named officers');
  await expect(page.locator('main')).not.toContainText(marker);
  expect(errors.filter((e) => !e.includes('403'))).toEqual([]);
});
