// Shared helpers for Haven's browser suites: the running instance (from run.sh's
// environment), headless Chromium through playwright-core, TOTP codes, staff sign-in,
// the public form, and the file outbox.
import { createHmac } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '..', '..');

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run these suites through tests/browser/run.sh`);
  return v;
}

export const BASE = need('HAVEN_URL').replace(/\/$/, '');
export const DATA_DIR = need('HAVEN_DATA_DIR');
export const SLUG = 'afghanistan-2021';
export const CLOSED_SLUG = process.env.HAVEN_CLOSED_SLUG || 'closed-example';
export const PASSWORD = process.env.HAVEN_TEST_PASSWORD || 'a long enough password for tests';
export const SHOTS = process.env.HAVEN_SCREENSHOTS || join(REPO, 'target', 'browser-screenshots');
export const STATE_FILE = join(DATA_DIR, 'browser-state.json');
mkdirSync(SHOTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/**
 * A fresh browser profile (cookies, cache); `js: false` turns JavaScript off;
 * `viewport` e.g. { width: 390, height: 844 } for a phone.
 */
export async function newContext(browser, {
  js = true, bypassCSP = false, locale = 'en-GB', viewport = { width: 1024, height: 800 },
} = {}) {
  const ctx = await browser.newContext({
    javaScriptEnabled: js,
    bypassCSP,
    locale,
    viewport,
  });
  ctx.setDefaultTimeout(15_000);
  return ctx;
}

export async function shot(page, name) {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// ── TOTP (RFC 6238: SHA-1, 30 s steps, 6 digits) ─────────────────────────────

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of s.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totp(secretB32, at = Date.now()) {
  const step = BigInt(Math.floor(at / 1000 / 30));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(step);
  const mac = createHmac('sha1', base32Decode(secretB32)).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = (mac.readUInt32BE(off) & 0x7fffffff) % 1_000_000;
  return String(bin).padStart(6, '0');
}

// ── Staff ────────────────────────────────────────────────────────────────────

/**
 * First sign-in of an account made by `haven user add`: password, then the enrolment
 * page (TOTP secret from the hidden input), then the recovery codes page.
 * Returns { recoveryCodes } with the page left on the recovery codes.
 * `onEnrolPage` / `onSignInPage` run on those pages (for screenshots or axe).
 */
export async function firstSignIn(page, email, { onSignInPage, onEnrolPage } = {}) {
  await page.goto(`${BASE}/console/sign-in`);
  if (onSignInPage) await onSignInPage(page);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await clickAndWait(page, 'main form button[type=submit]');
  if (!page.url().endsWith('/console/enrol')) {
    throw new Error(`password step did not lead to enrolment but to ${page.url()}`);
  }
  if (onEnrolPage) await onEnrolPage(page);
  const secret = await page.getAttribute('input[type=hidden][name=secret]', 'value');
  if (!secret) throw new Error('no TOTP secret on the enrol page');
  await page.fill('#code', totp(secret));
  await clickAndWait(page, 'main form button[type=submit]');
  const h1 = (await page.textContent('h1')).trim();
  if (h1 !== 'Two-step verification is on') {
    throw new Error(`enrolment failed, page says: ${h1}`);
  }
  const recoveryCodes = (await page.$$eval('ul.recovery-codes li', (lis) => lis.map((l) => l.textContent.trim())));
  return { recoveryCodes, secret };
}

/**
 * Before their first look at a programme, a staff member reads its handling rules and
 * acknowledges them (/console/p/{slug}/rules). Does that, if the page asks.
 */
export async function acknowledgeRules(page, slug) {
  await page.goto(`${BASE}/console/p/${slug}/rules`);
  if (new URL(page.url()).pathname.endsWith('/rules')) {
    await clickAndWait(page, 'main form[action$="/rules"] button[type=submit]');
  }
}

// ── The public form ──────────────────────────────────────────────────────────

/**
 * Fills the afghanistan-2021 form by id. `answers`: { name, country, category (0-3),
 * danger (0 yes, 1 no), situation, email (optional: sets contact_mode=email) }.
 */
export async function fillForm(page, a) {
  await page.fill('#f-full_name', a.name);
  if (a.dob) {
    // Day, month and year boxes: `dob` is [day, month, year].
    const [d, m, y] = a.dob;
    await page.fill('#f-date_of_birth', d);
    await page.fill('#f-date_of_birth-month', m);
    await page.fill('#f-date_of_birth-year', y);
  }
  await page.selectOption('#f-current_country', a.country ?? 'PK');
  await page.fill('#f-current_location', a.location ?? '');
  await page.check(`#f-help_category-${a.category ?? 3}`);
  await page.check(`#f-in_danger-${a.danger ?? 1}`);
  await page.fill('#f-situation', a.situation);
  if (a.email) {
    await page.check('#f-contact_mode-1');
    await page.fill('#f-contact_email', a.email);
  } else {
    await page.check('#f-contact_mode-0');
  }
}

/** Clicks (or presses a key via `act`) and waits for the page it leads to. */
export async function clickAndWait(page, selector, act) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    act ? act() : page.click(selector),
  ]);
}

export async function submitForm(page) {
  await clickAndWait(page, 'main form[method=post] button[type=submit]');
}

export async function readReceipt(page) {
  const reference = (await page.textContent('#reference-code')).trim();
  const passphrase = (await page.textContent('#passphrase')).trim();
  return { reference, passphrase };
}

// ── The file outbox ──────────────────────────────────────────────────────────

export const OUTBOX = join(DATA_DIR, 'outbox');

// Mail to enquirers only: `notice-*.eml` are the emails telling staff that a factor of
// their own account changed (each sign-in that enrols TOTP sends one).
export function outboxFiles() {
  if (!existsSync(OUTBOX)) return [];
  return readdirSync(OUTBOX)
    .filter((f) => !f.startsWith('.') && !f.startsWith('notice-'))
    .sort();
}

export function readOutbox(name) {
  return readFileSync(join(OUTBOX, name), 'utf8');
}

// A confirmation code (`K7QM-3HXA`: no 0/O, 1/I/L or U) in an email's text, whether
// the body travels as it is, quoted-printable or base64.
const CODE_RE = /(?<![0-9A-Z-])([2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4})(?![0-9A-Z-])/;

function bodiesOf(eml) {
  const blocks = eml.split(/\r?\n\r?\n/).slice(1);
  const out = [];
  for (const b of blocks) {
    out.push(b.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))));
    // A multipart body runs on to the next boundary line without a blank line.
    const lines = b.split(/\r?\n/);
    const end = lines.findIndex((l) => l.startsWith('--'));
    const compact = (end < 0 ? lines : lines.slice(0, end)).join('').replace(/\s+/g, '');
    if (/^[A-Za-z0-9+/]+=*$/.test(compact) && compact.length >= 16) {
      out.push(Buffer.from(compact, 'base64').toString('utf8'));
    }
  }
  return out;
}

export function confirmationCode(eml) {
  for (const body of bodiesOf(eml)) {
    const m = body.match(CODE_RE);
    if (m) return m[1];
  }
  return null;
}

/**
 * The person confirms the address they gave, as a person would: the confirmation code
 * is read from the one email that reached that address, and typed into their reply
 * inbox (JavaScript off). Waits until the worker has applied it.
 */
export async function confirmAddress(browser, person) {
  const file = await waitFor(`the confirmation email to ${person.email}`, () => outboxFiles()
    .find((f) => {
      const eml = readOutbox(f);
      const to = eml.split(/\r?\n\r?\n/)[0].match(/^To: *(.*)$/im)?.[1] ?? '';
      return to.includes(person.email) && confirmationCode(eml);
    }));
  const code = confirmationCode(readOutbox(file));
  const ctx = await newContext(browser, { js: false });
  const page = await ctx.newPage();
  const open = async () => {
    await page.goto(`${BASE}/inbox`);
    await page.fill('#f-reference', person.reference);
    await page.fill('#f-passphrase', person.passphrase);
    await clickAndWait(page, 'main form button[type=submit]');
  };
  await open();
  await page.fill('#f-contact-code', code);
  await clickAndWait(page, null, () => page.locator('#f-contact-code').press('Enter'));
  await waitFor(`${person.email} confirmed`, async () => {
    await open();
    return (await page.locator('#f-contact-code').count()) === 0
      && (await page.locator('#contact-state').count()) === 1;
  }, { timeout: 30_000, every: 1000 });
  await ctx.close();
  return file;
}

export async function waitFor(what, fn, { timeout = 30_000, every = 250 } = {}) {
  const until = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

// ── State handed from the end-to-end suite to the axe suite ─────────────────

export function saveState(obj) {
  let prev = {};
  try { prev = JSON.parse(readFileSync(STATE_FILE, 'utf8')); } catch { /* first write */ }
  writeFileSync(STATE_FILE, JSON.stringify({ ...prev, ...obj }, null, 2));
}

export function loadState() {
  try { return JSON.parse(readFileSync(STATE_FILE, 'utf8')); } catch { return {}; }
}
