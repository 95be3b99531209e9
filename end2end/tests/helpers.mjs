import { expect } from '@playwright/test';

export const PASSWORD = 'hearth-demo-2026';

/** Signs in through the form, as a person would. */
export async function signIn(page, username, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
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
    const res = await request.post('/api/v1/auth/token', { data: { username, password: PASSWORD } });
    if (!res.ok()) throw new Error(`API sign-in for ${username}: ${res.status()} ${await res.text()}`);
    tokens.set(username, (await res.json()).token);
  }
  return { headers: { Authorization: `Bearer ${tokens.get(username)}` } };
}
