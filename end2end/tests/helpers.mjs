import { expect } from '@playwright/test';
import { createRequire } from 'node:module';

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const PASSWORD = 'hearth-demo-2026';

/** Signs in through the form, as a person would. The suite signs in from one address many times a
 * minute; when a sign-in limit (per address: 30, then one every 2 seconds; per account: 10 wrong
 * passwords a minute) says "wait", it waits as a person would, and tries again. */
export async function signIn(page, username, password = PASSWORD) {
  for (let attempt = 0; ; attempt++) {
    await page.goto('/sign-in');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    const limited = await page.getByText('Too many attempts').isVisible().catch(() => false);
    if (!limited || attempt >= 3) return;
    await page.waitForTimeout(7_000);
  }
}

/** Waits until the WASM has hydrated the page (when JavaScript is on). */
export async function hydrated(page, testInfo) {
  if (testInfo.project.use.javaScriptEnabled === false) return;
  await page.waitForFunction(() => window.__hearth_hydrated === true || document.querySelector('body[data-hydrated]'), null, { timeout: 20_000 });
}

export function collectErrors(page) {
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  return errors;
}

const tokens = new Map();
/** Bearer-token headers for `username`, signing in through the API once per run (sign-in is rate-limited). */
export async function apiAuth(request, username) {
  if (!tokens.has(username)) {
    let res = await request.post('/api/v1/auth/token', { data: { username, password: PASSWORD } });
    // The suite signs in from one address far faster than people do: when the limit says wait, wait.
    for (let attempt = 0; res.status() === 429 && attempt < 5; attempt++) {
      await new Promise((r) => setTimeout(r, 7_000));
      res = await request.post('/api/v1/auth/token', { data: { username, password: PASSWORD } });
    }
    if (!res.ok()) throw new Error(`API sign-in for ${username}: ${res.status()} ${await res.text()}`);
    tokens.set(username, (await res.json()).token);
  }
  return { headers: { Authorization: `Bearer ${tokens.get(username)}` } };
}

/** Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in a page; returns the violations. */
export async function axe(page) {
  await page.addScriptTag({ path: axeSource });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}
