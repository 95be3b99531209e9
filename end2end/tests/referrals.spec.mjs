// Referrals to partner agencies, end to end in Chromium with the right users: an officer refers a
// tenant to Adult Social Care sharing chosen fields with recorded consent; the agency's user sees
// only those fields, accepts and posts an update; the officer sees it; the police see nothing of
// it by page, API or guessed URL. A MARAC referral is invisible to other officers, and the Team
// Leader's view asks why and is recorded.
import { test, expect } from '@playwright/test';
import { signIn, hydrated, collectErrors, apiAuth as api } from './helpers.mjs';

const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

async function firstTenancy(request, officer) {
  const work = await (await request.get('/api/v1/my-work', await api(request, officer))).json();
  return work.tenancies[0].reference;
}

test('an officer refers to Adult Social Care; the agency sees only what was shared, accepts and updates; the police see nothing', async ({ page, request }, testInfo) => {
  const errors = collectErrors(page);
  const tenancy = await firstTenancy(request, 'chmo.east1');
  const detail = await (await request.get(`/api/v1/tenancies/${tenancy}`, await api(request, 'chmo.east1'))).json();
  const lead = detail.members.find((m) => m.is_tenant);
  const reason = `Fell at home twice this month and struggles with stairs (${testInfo.project.name})`;

  // The officer starts from the tenancy page, chooses the agency and the category, then what to share.
  await signIn(page, 'chmo.east1');
  await page.goto(`/tenancies/${tenancy}`);
  await hydrated(page, testInfo);
  await page.getByTestId('refer-link').click();
  await expect(page.getByTestId('new-referral-heading')).toBeVisible();
  await hydrated(page, testInfo);
  const choose = page.getByTestId('choose-agency');
  await choose.getByLabel('Agency').selectOption({ label: 'City of York Adult Social Care' });
  await choose.getByLabel('Category').selectOption('support');
  await choose.getByRole('button', { name: 'Next: what to share' }).click();
  const form = page.getByTestId('referral-form');
  await expect(form).toBeVisible();
  await hydrated(page, testInfo);
  // Adult Social Care's defaults include the date of birth and household: this officer shares less.
  await expect(page.locator('#share-date_of_birth')).toBeChecked();
  await expect(page.locator('#share-rent')).not.toBeChecked();
  await page.locator('#share-date_of_birth').uncheck();
  await page.locator('#share-household').uncheck();
  await page.locator('#share-alerts').uncheck();
  await form.getByLabel('Why are you referring?').fill(reason);
  await form.getByLabel('Consent given on').fill(yesterday());
  await form.getByLabel('How consent was given').fill('Verbally, at the home visit, with her daughter present');
  await form.getByLabel('How (phone or email)').fill('01904 551550');
  await form.getByRole('button', { name: 'Send to the agency' }).click();
  await expect(page.getByTestId('referral-heading')).toContainText('to City of York Adult Social Care');
  const reference = (await page.getByTestId('referral-heading').innerText()).match(/REF\d+/)[0];
  await expect(page.locator('.lede')).toContainText('Sent');
  await expect(page.getByTestId('shared-facts')).toContainText(lead.name.split(' ')[0]);
  // The consent is on the record: when and how it was given.
  await expect(page.locator('main')).toContainText(`Consent, given ${yesterday()} (Verbally, at the home visit, with her daughter present)`);

  // The Adult Social Care user lands on their referrals, and sees only the shared fields.
  await signIn(page, 'partner.asc');
  await expect(page).toHaveURL(/\/referrals$/);
  await expect(page.getByRole('navigation', { name: 'Main' })).not.toContainText('Search');
  await page.getByTestId('referral-table').getByRole('link', { name: reference }).click();
  await expect(page.getByTestId('referral-heading')).toContainText(reference);
  await hydrated(page, testInfo);
  const shared = page.getByTestId('shared-facts');
  await expect(shared).toContainText('Name');
  await expect(shared).toContainText('Address');
  await expect(shared).not.toContainText('Date of birth');
  await expect(shared).not.toContainText('Household');
  expect(await page.content()).not.toContain(tenancy);
  expect(await page.content()).not.toContain(lead.date_of_birth);
  await expect(page.getByTestId('referral-reason')).toHaveText(reason);
  await page.getByTestId('move-accept').getByRole('button', { name: 'Accept' }).click();
  await expect(page.locator('.lede')).toContainText('Accepted');
  const update = page.getByTestId('message-form');
  await update.getByLabel('Post an update or question').fill('Assessment visit booked for Tuesday at 10:00.');
  await update.getByRole('button', { name: 'Post' }).click();
  await expect(page.getByTestId('referral-thread')).toContainText('Assessment visit booked for Tuesday');
  // Other pages are not theirs: they are sent back to their referrals.
  await page.goto(`/tenancies/${tenancy}`);
  await expect(page).toHaveURL(/\/referrals$/);

  // The officer sees the reply on My work and reads it on the referral.
  await signIn(page, 'chmo.east1');
  const mine = page.getByTestId('my-referrals');
  await expect(mine).toContainText(reference);
  await expect(mine.locator('tr', { hasText: reference }).getByTestId('reply-waiting')).toBeVisible();
  await mine.getByRole('link', { name: reference }).click();
  await expect(page.getByTestId('referral-thread')).toContainText('Assessment visit booked for Tuesday');
  await expect(page.getByTestId('referral-thread')).toContainText('Adult Social Care');

  expect(errors).toEqual([]);

  // The police: not in their list, nothing by guessed URL (answered 404), nothing by API.
  await signIn(page, 'partner.police');
  await expect(page.getByTestId('referrals-heading')).toContainText('North Yorkshire Police');
  await expect(page.locator('main')).not.toContainText(reference);
  await page.goto(`/referrals/${reference}`);
  await expect(page.locator('main')).toContainText('was not found');
  await expect(page.locator('main')).not.toContainText(reason);
  const police = await request.get(`/api/v1/referrals/${reference}`, await api(request, 'partner.police'));
  expect(police.status()).toBe(404);
  expect(await police.text()).not.toContain(reason);
  const search = await request.get('/api/v1/search?q=york', await api(request, 'partner.police'));
  expect(search.status()).toBe(403);
});

test('a MARAC referral is invisible to other officers; the Team Leader says why, and the view is recorded', async ({ page, request }, testInfo) => {
  const tenancy = await firstTenancy(request, 'chmo.east1');
  const officer = await api(request, 'chmo.east1');
  const agencies = (await (await request.get('/api/v1/referrals', officer)).json()).agencies;
  const marac = agencies.find((a) => a.kind === 'marac');
  const reason = `High-risk domestic abuse disclosed at the visit (${testInfo.project.name})`;
  const made = await request.post('/api/v1/referrals', { ...officer, data: {
    tenancy, agency_id: marac.id, category: 'marac', urgency: 'urgent', reason, fields: ['name', 'address', 'household'],
    lawful_basis: 'public_task', basis_detail: 'MARAC: Crime and Disorder Act 1998 s.115 (DASH 16)', contact_name: 'Sam', contact_detail: '01904 551550', send: true,
  } });
  expect(made.status()).toBe(200);
  const reference = (await made.json()).detail.reference;

  // Another officer of the same team: refused, nothing shown.
  await signIn(page, 'ihmo.east1');
  await page.goto(`/referrals/${reference}`);
  await expect(page.locator('main')).toContainText('restricted to named officers');
  await expect(page.locator('main')).not.toContainText(reason);
  await page.goto('/referrals');
  await expect(page.locator('main')).not.toContainText(reference);

  // The referrer's Team Leader is asked why before anything is shown.
  await signIn(page, 'tl.east');
  await page.goto(`/referrals/${reference}`);
  await expect(page.getByTestId('reason-gate')).toBeVisible();
  await expect(page.locator('main')).not.toContainText(reason);
  await hydrated(page, testInfo);
  const why = `Supervision: checking the safety plan (${testInfo.project.name})`;
  await page.getByLabel('Why are you opening this referral?').fill(why);
  await page.getByRole('button', { name: 'Open the referral' }).click();
  await expect(page.getByTestId('referral-reason')).toHaveText(reason);
  await expect(page.locator('.lede')).toContainText('Restricted');
  // Writing on it carries the same reason, which is recorded with the change.
  await hydrated(page, testInfo);
  const note = `Safety plan reviewed with the IDVA (${testInfo.project.name})`;
  await page.getByTestId('message-form').getByLabel('Reply to the agency').fill(note);
  await page.getByTestId('message-form').getByRole('button', { name: 'Post' }).click();
  await expect(page.getByTestId('referral-thread')).toContainText(note);

  // The administrator's access report shows the refusal and the view with its reason.
  const trail = await (await request.get(`/api/v1/admin/audit?subject_type=referral&reference=${reference}`, await api(request, 'admin'))).json();
  expect(trail.some((r) => r.username === 'tl.east' && r.action === 'view_referral' && r.reason === why)).toBe(true);
  expect(trail.some((r) => r.username === 'tl.east' && r.action === 'referral_message' && r.reason === why)).toBe(true);
  expect(trail.some((r) => r.username === 'ihmo.east1' && r.outcome === 'denied:need_to_know')).toBe(true);
});

test('an administrator registers an agency and its user, who signs in to an empty referral list; a token is shown once and revoked', async ({ page }, testInfo) => {
  const tag = `${testInfo.project.name}-${Date.now() % 100000}`;
  const agency = `Age UK York (${tag})`;
  const username = `ageuk.${tag}`.toLowerCase();
  await signIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
  await expect(page.getByRole('heading', { name: 'Administration', level: 1 })).toBeVisible();
  await hydrated(page, testInfo);
  const form = page.getByTestId('agency-form');
  await form.getByLabel('Name').fill(agency);
  await form.getByLabel('Kind').selectOption('adult_social_care');
  await form.getByLabel('Team').fill('Hospital discharge');
  await form.getByRole('button', { name: 'Register agency' }).click();
  await expect(page.getByTestId('agencies')).toContainText(agency);
  const user = page.getByTestId('agency-user-form');
  await user.getByLabel('Agency').selectOption({ label: agency });
  await user.getByLabel('Username').fill(username);
  await user.getByLabel('Their name').fill('Pat Jones');
  await user.getByLabel('First password').fill('a long passphrase 2026');
  await user.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByTestId('agencies').locator('tr', { hasText: agency })).toContainText(username);

  if (testInfo.project.use.javaScriptEnabled) {
    // The token appears once, on the page that issued it.
    const token = page.getByTestId('token-form');
    await token.getByLabel('Acts as').selectOption(username);
    await token.getByLabel('For').fill(`Case system ${tag}`);
    await token.getByRole('button', { name: 'Issue token' }).click();
    const secret = (await page.getByTestId('new-token').locator('code').innerText()).trim();
    expect(secret).toMatch(/^hth_/);
    const res = await page.request.get('/api/v1/referrals', { headers: { Authorization: `Bearer ${secret}` } });
    expect(res.status()).toBe(200);
    await page.getByRole('button', { name: `Revoke the token for Case system ${tag}` }).click();
    await expect(page.getByTestId('tokens').locator('tr', { hasText: `Case system ${tag}` })).toContainText('Revoked');
    expect((await page.request.get('/api/v1/referrals', { headers: { Authorization: `Bearer ${secret}` } })).status()).toBe(401);
  }

  // The new user signs in and sees their agency's (empty) list, and nothing else of Hearth.
  await signIn(page, username, 'a long passphrase 2026');
  await expect(page.getByTestId('referrals-heading')).toContainText(agency);
  await expect(page.getByTestId('no-referrals')).toBeVisible();
});
