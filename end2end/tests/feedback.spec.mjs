// Tenant feedback: a tenant opens a link on a phone-sized screen and answers (once with
// JavaScript off, once with it on: the two projects); each lands exactly once; axe-core finds
// no WCAG 2.2 AA violations on any form page; a manager sees the responses in the figures.
import { test, expect } from '@playwright/test';
import { signIn, apiAuth, hydrated, axe } from './helpers.mjs';

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

async function linkPath(request, scope = 'patch') {
  const res = await request.get('/api/v1/feedback/results?by=all&months=12', await apiAuth(request, 'admin'));
  expect(res.ok()).toBeTruthy();
  const links = (await res.json()).links.filter((l) => l.scope_type === scope);
  expect(links.length).toBeGreaterThan(0);
  return links[0].path;
}

/** Presses the form's send button. The suite sends far more feedback from one address than
 * tenants do: when the per-address limit answers "wait a minute" (keeping the answers), it waits
 * as a person would and presses again. */
async function send(page, name) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.getByRole('button', { name }).click();
    await page.waitForLoadState();
    const busy = page.getByRole('alert').filter({ hasText: /Wait a minute|Arhoswch funud/ });
    if (!(await busy.isVisible().catch(() => false))) return;
    await page.waitForTimeout(31_000);
  }
}

async function total(request) {
  const res = await request.get('/api/v1/feedback/results?by=all&months=12', await apiAuth(request, 'admin'));
  return (await res.json()).overall[0].responses;
}


test('a tenant answers on a phone; a mistake keeps what they typed; it lands once', async ({ browser, request }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const path = await linkPath(request);
  const before = await total(request);
  const context = await browser.newContext({ ...phone, javaScriptEnabled: js, baseURL: testInfo.project.use.baseURL });
  const page = await context.newPage();
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tell us about your housing service');
  // The form says how to complain, and that the Housing Ombudsman is there after (Complaint Handling Code 3.1, 3.5).
  await expect(page.getByTestId('how-to-complain')).toContainText('How to make a complaint');
  await expect(page.getByTestId('how-to-complain')).toContainText('Housing Ombudsman');
  // Nothing sideways on a small phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBeTruthy();
  const comment = `Lift broken again <b>${js ? 'with' : 'without'} JavaScript</b> & nobody came`;
  await page.getByRole('group', { name: /Taking everything into account/ }).getByLabel('Fairly satisfied').check();
  await page.getByRole('group', { name: /fairly and with respect/ }).getByLabel('Agree', { exact: true }).check();
  await page.getByLabel('Anything else you would like to tell us?').fill(comment);
  // Asks for a reply but gives no way to reach them: explained, nothing lost.
  await page.getByLabel('Yes, contact me').check();
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.locator('.fb-error-summary')).toContainText('Enter your name');
  await expect(page.getByLabel('Anything else you would like to tell us?')).toHaveValue(comment);
  await expect(page.getByRole('group', { name: /Taking everything into account/ }).getByLabel('Fairly satisfied')).toBeChecked();
  await page.getByLabel('Your name').fill('Ann Tenant');
  await page.getByLabel('Email address or phone number').fill('ann@example.org');
  // A double press sends the same idempotency key twice: one response.
  await page.getByRole('button', { name: 'Send feedback' }).dblclick();
  await expect(page.getByRole('heading', { name: 'Thank you for your feedback' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath(`feedback-phone-${js ? 'js' : 'nojs'}.png`), fullPage: true });
  expect(await total(request)).toBe(before + 1);
  await context.close();
});

test('every feedback page passes axe-core with no violations', async ({ browser, request }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'axe runs in the page; the pages are the same server HTML with JavaScript off');
  const path = await linkPath(request);
  const context = await browser.newContext({ ...phone, bypassCSP: true, baseURL: testInfo.project.use.baseURL });
  const page = await context.newPage();
  await page.goto(path);
  expect(await axe(page)).toEqual([]);
  await page.getByLabel('Yes, contact me').check();
  await page.getByLabel('Email address or phone number').fill('not a contact');
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await page.getByLabel('No, keep my feedback anonymous').check();
  await page.getByRole('group', { name: /Taking everything into account/ }).getByLabel('Very satisfied').check();
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you for your feedback' })).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await page.goto('/feedback/NotARealLinkAtAll00000');
  expect(await axe(page)).toEqual([]);
  // The partner agencies' form too.
  await page.goto(await linkPath(request, 'partner'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Working with the council's housing officers");
  expect(await axe(page)).toEqual([]);
  // The accessibility statement, from every public page's footer.
  await page.getByRole('contentinfo').getByRole('link', { name: 'Accessibility statement' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accessibility statement for Hearth');
  await expect(page.getByText('partially compliant with the Web Content Accessibility Guidelines version 2.2 AA')).toBeVisible();
  await expect(page.getByText('call Housing Services on 01904 551550')).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await context.close();
});

test('a tenant switches the form to Welsh on a phone, answers, and it lands once; axe-core finds nothing', async ({ browser, request }, testInfo) => {
  test.setTimeout(180_000);
  const path = await linkPath(request);
  const context = await browser.newContext({ ...phone, bypassCSP: true, baseURL: testInfo.project.use.baseURL, javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const page = await context.newPage();
  const before = await total(request);
  await page.goto(path);
  // Welsh is configured (config/languages/cy.json): the switch is at the top of the form.
  await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Cymraeg' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dywedwch wrthym am eich gwasanaeth tai');
  if (testInfo.project.use.javaScriptEnabled) expect(await axe(page)).toEqual([]);
  // A mistake is explained in Welsh, and what was typed stays.
  await page.getByLabel('Hoffwn, cysylltwch â mi').check();
  await page.getByLabel('Oes unrhyw beth arall').fill(`Gwasanaeth da iawn (${testInfo.project.name})`);
  await send(page, 'Anfon adborth');
  await expect(page.getByRole('heading', { name: 'Mae problem' })).toBeVisible();
  await expect(page.getByLabel('Oes unrhyw beth arall')).toHaveValue(`Gwasanaeth da iawn (${testInfo.project.name})`);
  if (testInfo.project.use.javaScriptEnabled) expect(await axe(page)).toEqual([]);
  await page.getByLabel('Na, cadwch fy adborth yn ddienw').check();
  await page.getByRole('group', { name: /A chymryd popeth i ystyriaeth/ }).getByLabel('Bodlon iawn').check();
  await send(page, 'Anfon adborth');
  await expect(page.getByRole('heading', { name: 'Diolch am eich adborth' })).toBeVisible();
  if (testInfo.project.use.javaScriptEnabled) expect(await axe(page)).toEqual([]);
  expect(await total(request)).toBe(before + 1);
  await context.close();
});

test('an officer makes a feedback link for a visit; the tenant answers through it', async ({ page, browser, request }, testInfo) => {
  test.setTimeout(120_000);
  const auth = await apiAuth(request, 'chmo.east1');
  const work = await (await request.get('/api/v1/my-work', auth)).json();
  let found = null;
  for (const t of work.tenancies.slice(0, 40)) {
    const d = await (await request.get(`/api/v1/tenancies/${t.reference}`, auth)).json();
    const v = d.visits.find((x) => x.can_link);
    if (v) { found = { tenancy: t.reference, visit: v }; break; }
  }
  expect(found, 'a visit made by chmo.east1').not.toBeNull();
  await signIn(page, 'chmo.east1');
  await page.goto(`/tenancies/${found.tenancy}`);
  await hydrated(page, testInfo);
  await page.getByRole('button', { name: `Make link: tenant feedback on the visit of ${found.visit.date}` }).click();
  let path;
  if (testInfo.project.use.javaScriptEnabled) {
    const card = page.getByTestId('visit-link');
    await expect(card.locator('svg')).toBeVisible();
    path = await card.getByRole('link').getAttribute('href');
  } else {
    // Without JavaScript the page reloads; the officer's links are listed on the Satisfaction page.
    await page.goto('/satisfaction');
    const row = page.getByTestId('links').locator('li', { hasText: found.visit.date }).first();
    path = await row.getByRole('link').getAttribute('href');
  }
  expect(path).toMatch(/^\/feedback\/[A-Za-z0-9]{22}$/);
  // The tenant answers through the visit's link, signed out, on a phone.
  const context = await browser.newContext({ ...phone, baseURL: testInfo.project.use.baseURL, javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const tenant = await context.newPage();
  await tenant.goto(path);
  await expect(tenant.getByRole('heading', { level: 1 })).toHaveText('Tell us about your housing service');
  await tenant.getByRole('group', { name: /help from your housing officer/ }).getByLabel('Very satisfied').check();
  await send(tenant, 'Send feedback');
  await expect(tenant.getByRole('heading', { name: 'Thank you for your feedback' })).toBeVisible();
  await context.close();
  const links = (await (await request.get('/api/v1/feedback/results?by=all&months=12', auth)).json()).links;
  expect(links.find((l) => l.path === path).responses).toBe(1);
});

test('a new answer moves the figures and the chart; an administrator makes a partner link', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, 'admin');
  // The overall TP01 card ("N of M answers") and the chart's bar ("(n=M)"), council-wide.
  const figures = async () => {
    await page.goto('/satisfaction?by=all&months=12');
    const count = Number((await page.getByTestId('response-count').innerText()).match(/^(\d+) responses/)[1]);
    const [, satisfied, base] = (await page.getByTestId('overall').locator('li').first().innerText()).match(/(\d+) of (\d+) answers/);
    const chart = await page.getByRole('img', { name: /Overall satisfaction \(TP01\)/ }).first().textContent();
    return { count, satisfied: Number(satisfied), base: Number(base), chart };
  };
  const before = await figures();
  expect(before.chart).toContain(`(n=${before.base})`);
  // A tenant answers "very satisfied" overall through a patch link.
  await page.goto(await linkPath(request));
  await page.getByRole('group', { name: /Taking everything into account/ }).getByLabel('Very satisfied').check();
  await page.getByLabel('Anything else you would like to tell us?').fill(`Figures check (${testInfo.project.name})`);
  await page.getByLabel('No, keep my feedback anonymous').check();
  await send(page, 'Send feedback');
  await expect(page.getByRole('heading', { name: 'Thank you for your feedback' })).toBeVisible();
  const after = await figures();
  expect(after.count).toBe(before.count + 1);
  expect([after.satisfied, after.base]).toEqual([before.satisfied + 1, before.base + 1]);
  expect(after.chart).toContain(`(n=${before.base + 1})`);

  // A partner agency's link, made here, opens the partner form.
  await hydrated(page, testInfo);
  const label = `Police liaison (${testInfo.project.name} ${Date.now() % 100000})`;
  const form = page.getByTestId('partner-link-form');
  await form.getByLabel('Agency').selectOption({ label: 'North Yorkshire Police' });
  await form.getByLabel('Label (optional)').fill(label);
  await form.getByRole('button', { name: 'Make partner link' }).click();
  const card = page.getByTestId('links').locator('li', { hasText: label });
  await expect(card).toBeVisible();
  const href = await card.locator('a[href^="/feedback/"]').getAttribute('href');
  expect(await card.locator('a[href^="/feedback/"]').innerText()).toMatch(/^https?:\/\/[^/]+\/feedback\//);
  await page.goto(href);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Working with the council's housing officers");
});

test('a manager sees the responses in the figures, charts and comments', async ({ page, request }) => {
  const before = await total(request);
  await signIn(page, 'admin');
  await page.goto('/satisfaction?by=area&months=12');
  await expect(page.getByRole('heading', { name: 'Satisfaction', level: 1 })).toBeVisible();
  await expect(page.getByTestId('response-count')).toContainText(`${before} responses`);
  await expect(page.getByRole('img', { name: /Overall satisfaction \(TP01\) by area team/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /by month/ })).toBeVisible();
  await expect(page.getByTestId('figures').locator('tbody tr')).toHaveCount(3); // East, West, Central
  await expect(page.getByTestId('partner-figures')).toBeVisible();
  await expect(page.getByTestId('benchmark')).toContainText('of 158');
  // Like with like: survey among surveys; Hearth's own figure is labelled transactional, unranked.
  await expect(page.getByTestId('benchmark').locator('thead')).toContainText('Transactional (Hearth links)');
  await expect(page.getByTestId('benchmark').locator('thead')).not.toContainText('Would rank');
  // The comment typed on the phone is there, as text.
  await page.goto('/satisfaction?by=month&months=12&q=lift+broken');
  await expect(page.getByTestId('comments')).toContainText('<b>');
  await expect(page.getByTestId('comments')).toContainText('nobody came');
});

test("a Team Leader turns a tenant's comment into a complaint case in one step", async ({ page }) => {
  await signIn(page, 'tl.east');
  await page.goto('/satisfaction?by=area&months=12');
  const comments = page.getByTestId('comments');
  await expect(comments).toBeVisible();
  const before = await comments.getByText('Case opened:').count();
  const form = page.getByTestId('comment-case').first();
  await form.locator('select[name="kind"]').selectOption('complaint');
  await form.getByRole('button', { name: 'Open a case' }).click();
  await expect(comments.getByText('Case opened:')).toHaveCount(before + 1);
  const link = comments.locator('a[href^="/cases/CAS"]').first();
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Complaint from tenant feedback');
});
