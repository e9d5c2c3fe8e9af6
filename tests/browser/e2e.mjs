// End to end in headless Chromium, against the Haven that run.sh started:
//  1. people send the afghanistan-2021 form in English and Pashto (right to left), with
//     JavaScript off and on, and each gets a reference code and passphrase;
//  2. the English form can be filled in and sent with the keyboard alone;
//  3. an agent signs in for the first time (password, TOTP enrolment, recovery codes),
//     finds an enquiry by its reference code, claims it and replies from the
//     acknowledgement template; the person reads the reply in their reply inbox; an
//     agent takes a call in Pashto (phone intake), reads the codes back, verifies the caller;
//  4. a supervisor prepares a bulk reply to the general queue, a second supervisor
//     approves it, and the file outbox receives exactly one message per enquiry with an
//     email address, each to that one address;
//  5. an admin copies the example programme, completes the launch checklist and opens it;
//  6. on a phone (390 px), JavaScript off, in English and Dari (right to left): the
//     receipt's two codes are whole (no group broken over lines, nothing outside the
//     page or clipped, left to right) on screen, under print styles at 390 px and at
//     A4's width, and Chromium prints the receipt to PDF; the form's language buttons
//     carry every typed answer (text, textarea, date boxes, country, radios, checkbox,
//     email) into Dari without storing anything, and sending then gives a receipt.
// The tests share state and run in order (node --test runs top-level tests serially).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  BASE, SLUG, SHOTS, launch, newContext, shot, fillForm, submitForm, readReceipt, firstSignIn,
  clickAndWait, outboxFiles, readOutbox, waitFor, saveState, PASSWORD, acknowledgeRules,
  confirmAddress,
} from './lib.mjs';

const FORM = `${BASE}/p/${SLUG}`;
const REFERENCE_RE = /^[A-Z0-9][A-Z0-9-]{5,}$/;

let browser;
const sent = {}; // label → { reference, passphrase, email?, queue }

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// ── 1. The public form, English and Pashto, JavaScript off and on ───────────

const people = [
  { label: 'en-nojs', lang: 'en', js: false, name: 'Amina Rahimi', email: 'amina@example.org' },
  { label: 'ps-nojs', lang: 'ps', js: false, name: 'ګل احمد', email: null },
  { label: 'en-js', lang: 'en', js: true, name: 'Farid Noori', email: 'farid@example.org' },
  { label: 'ps-js', lang: 'ps', js: true, name: 'زرغونه', email: 'zarghona@example.org' },
];

for (const person of people) {
  test(`public form in ${person.lang}, JavaScript ${person.js ? 'on' : 'off'}: receipt with reference and passphrase`, async () => {
    const ctx = await newContext(browser, { js: person.js });
    const page = await ctx.newPage();
    const url = person.lang === 'en' ? FORM : `${FORM}?lang=${person.lang}`;
    const res = await page.goto(url);
    assert.equal(res.status(), 200);
    const html = page.locator('html');
    assert.equal(await html.getAttribute('lang'), person.lang);
    assert.equal(await html.getAttribute('dir'), person.lang === 'ps' ? 'rtl' : 'ltr');
    // JavaScript really is off (or on) in this page: the CSS `scripting` media feature
    // reports it (the test's own evaluation goes through DevTools either way).
    assert.equal(await page.evaluate(() => matchMedia('(scripting: none)').matches), !person.js,
      'JavaScript state of the page');
    if (person.label.endsWith('-nojs')) await shot(page, `form-${person.lang}`);
    await fillForm(page, {
      name: person.name,
      category: 3, // other → general queue
      danger: 1, // no
      situation: person.lang === 'ps'
        ? 'زه باید له هېواده ووځم. ' + person.label
        : `I need to leave with my two children. (${person.label})`,
      email: person.email,
    });
    await submitForm(page);
    // Submit once (issue 21): the POST answers 303 to the receipt, so a reload shows
    // the same receipt and sends nothing; the codes never appear in the URL.
    assert.equal(page.url(), `${FORM}/receipt`, 'the POST redirects to the receipt');
    await page.reload();
    assert.equal(page.url(), `${FORM}/receipt`, 'a reload stays on the receipt');
    assert.equal(await html.getAttribute('dir'), person.lang === 'ps' ? 'rtl' : 'ltr',
      'the receipt keeps the language direction');
    const r = await readReceipt(page);
    assert.match(r.reference, REFERENCE_RE, `reference code: ${r.reference}`);
    assert.ok(r.passphrase.length >= 10, `passphrase: ${r.passphrase}`);
    // The reply-inbox link is the slug-free one, and keeps the language.
    assert.equal(await page.getAttribute('a[href^="/inbox"]', 'href'),
      `/inbox?lang=${person.lang}`);
    if (person.label.endsWith('-nojs')) await shot(page, `receipt-${person.lang}`);
    sent[person.label] = { ...r, email: person.email, name: person.name, queue: 'general' };
    await ctx.close();
    // Nothing but a confirmation code reaches a new address until the person types
    // that code into their reply inbox.
    if (person.email) {
      const file = await confirmAddress(browser, sent[person.label]);
      const eml = readOutbox(file);
      for (const other of people.filter((o) => o.email && o.email !== person.email)) {
        assert.ok(!eml.includes(other.email), `the confirmation names nobody else (${other.email})`);
      }
      assert.ok(!eml.includes(SLUG), 'the confirmation does not name the programme');
    }
  });
}

// ── 2. Keyboard only ─────────────────────────────────────────────────────────

test('English form sent with the keyboard alone (Tab, Space, Enter, typing), focus always visible', async () => {
  const ctx = await newContext(browser, { js: true });
  const page = await ctx.newPage();
  await page.goto(FORM);
  const focusOrder = [];
  const invisibleFocus = [];
  const nativeFocusOnly = new Set();
  let submitted = false;
  for (let i = 0; i < 60 && !submitted; i += 1) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      return {
        id: el.id,
        tag: el.tagName.toLowerCase(),
        type: el.getAttribute('type'),
        cls: el.className,
        text: (el.textContent || '').trim().slice(0, 40),
        visibleFocus: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none',
        // False when focus is inside the element's own shadow tree (the date input's
        // calendar button): the browser draws its own ring there, Haven's CSS does not apply.
        hostFocused: el.matches(':focus'),
        inViewport: (() => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; })(),
      };
    });
    const key = f.id || `${f.tag}${f.cls ? '.' + f.cls : ''}`;
    focusOrder.push(key);
    if (!f.hostFocused) nativeFocusOnly.add(key);
    else if (!f.visibleFocus || !f.inViewport) invisibleFocus.push(key);
    switch (f.id) {
      case 'f-full_name': await page.keyboard.type('Keyboard Only Person'); break;
      case 'f-current_country': await page.keyboard.type('Pakistan'); break;
      case 'f-help_category-0': await page.keyboard.press('Space'); break; // at risk
      case 'f-in_danger-0': await page.keyboard.press('Space'); break; // yes: urgent queue
      case 'f-situation': await page.keyboard.type('I am being searched for.\nPlease help.'); break;
      case 'f-contact_mode-0': await page.keyboard.press('Space'); break; // reply inbox only
      default:
        if (f.tag === 'button' && f.type === 'submit') {
          await clickAndWait(page, null, () => page.keyboard.press('Enter'));
          submitted = true;
        }
    }
  }
  console.log(`  focus order: ${focusOrder.join(' → ')}`);
  if (nativeFocusOnly.size) {
    console.log(`  note: focus inside ${[...nativeFocusOnly]} (browser's own control) shows only Chromium's default ring`);
  }
  assert.ok(submitted, 'Tab reached the submit button');
  assert.equal(focusOrder[0], 'a.skip-link', 'the first Tab stop is the skip link');
  assert.ok(!focusOrder.includes('f-website'), 'the honeypot is never focused');
  const expected = ['f-full_name', 'f-date_of_birth', 'f-date_of_birth-month', 'f-date_of_birth-year', 'f-current_country', 'f-current_location',
    'f-help_category-0', 'f-in_danger-0', 'f-family_members', 'f-situation', 'f-phone',
    'f-consent_partners', 'f-contact_mode-0', 'f-contact_email'];
  const seen = focusOrder.filter((k, i) => k.startsWith('f-') && k !== focusOrder[i - 1]);
  assert.deepEqual(seen, expected, 'every field is reached once, in visual order');
  assert.deepEqual(invisibleFocus, [], 'every focused element shows a focus indicator');
  const r = await readReceipt(page);
  assert.match(r.reference, REFERENCE_RE);
  sent.keyboard = { ...r, queue: 'urgent' };
  await ctx.close();
});

// ── 3. An agent replies; the person reads it ─────────────────────────────────

test('agent: first sign-in, find by reference, claim, reply from template; person reads it in the reply inbox', async () => {
  const person = sent['en-nojs'];
  assert.ok(person, 'the English no-JavaScript submission exists');
  const ctx = await newContext(browser, { js: false }); // the console needs no JavaScript either
  const page = await ctx.newPage();
  const { recoveryCodes } = await firstSignIn(page, 'agent1@example.org', {
    onEnrolPage: async (p) => { await shot(p, 'console-enrol'); },
  });
  assert.equal(recoveryCodes.length, 10, 'ten recovery codes are shown');
  await clickAndWait(page, 'main a.button');
  assert.equal(new URL(page.url()).pathname, '/console');
  await shot(page, 'console-queues');

  // Before their first look at the programme's enquiries: its handling rules.
  await page.fill('#reference', person.reference);
  await clickAndWait(page, 'main form.search button[type=submit]');
  assert.equal(new URL(page.url()).pathname, `/console/p/${SLUG}/rules`);
  assert.ok((await page.textContent('#rules')).includes('Read an enquiry only to help'));
  await shot(page, 'console-handling-rules');
  await clickAndWait(page, 'main form[action$="/rules"] button[type=submit]');
  assert.equal(new URL(page.url()).pathname, `/console/p/${SLUG}`);

  await page.goto(`${BASE}/console`);
  await page.fill('#reference', person.reference);
  await clickAndWait(page, 'main form.search button[type=submit]');
  assert.match(new URL(page.url()).pathname, /^\/console\/e\/[^/]+$/);
  const enquiryUrl = page.url().split('?')[0];
  assert.equal((await page.textContent('h1 .code')).trim(), person.reference);
  assert.ok((await page.textContent('main')).includes(person.name), 'the decrypted answers are shown');

  await clickAndWait(page, 'main form[action$="/claim"] button');
  assert.match(page.url(), /done=claimed/);
  assert.match(await page.textContent('main dl.summary'), /Claimed by\s*You/);

  await page.goto(`${enquiryUrl}?template=acknowledgement`);
  assert.equal(await page.inputValue('#reply-subject'), 'We have your enquiry');
  const draft = await page.inputValue('#reply-text');
  assert.ok(draft.includes(`Hello ${person.name},`), `placeholders filled: ${draft.slice(0, 60)}`);
  assert.ok(!/\{(name|reference|inbox_url|programme)\}/.test(draft), 'no placeholder left');
  await page.fill('#reply-text', `${draft}\n\nReference checked by the e2e test.`);
  const before = outboxFiles();
  await clickAndWait(page, 'main form[action$="/reply"] button[type=submit][accesskey=r]');
  assert.match(page.url(), /done=replied/);
  await shot(page, 'console-enquiry');
  assert.ok((await page.textContent('#replies ~ ol.notes')).includes('We have your enquiry'));

  // The person, in a fresh browser with JavaScript off, reads it.
  const pctx = await newContext(browser, { js: false });
  const pp = await pctx.newPage();
  await pp.goto(`${BASE}/p/${SLUG}/status`);
  await pp.fill('#f-reference', person.reference);
  await pp.fill('#f-passphrase', person.passphrase);
  await clickAndWait(pp, 'main form button[type=submit]');
  // The conversation: each message labelled with its side, staff replies with their subject.
  const reply = pp.locator('#conversation li.from-staff article').first();
  assert.equal((await reply.locator('p strong').textContent()).trim(), 'We have your enquiry');
  const text = await reply.locator('p.preserve').textContent();
  assert.ok(text.includes(`Hello ${person.name},`) && text.includes('Reference checked by the e2e test.'),
    `the reply text is in the inbox: ${text.slice(0, 80)}`);
  await shot(pp, 'inbox-with-reply');
  await pctx.close();

  // They gave an email address: exactly one message, to them, saying only that there is a reply.
  const fresh = await waitFor('the reply email in the outbox', () => {
    const f = outboxFiles().filter((n) => !before.includes(n));
    return f.length ? f : null;
  });
  assert.equal(fresh.length, 1, `one email: ${fresh}`);
  const eml = readOutbox(fresh[0]);
  assert.match(eml, /^To: .*amina@example\.org/im);
  assert.ok(!eml.includes('Reference checked by the e2e test'), 'a minimal email does not carry the reply');
  saveState({ replied: person, enquiryUrl: new URL(enquiryUrl).pathname });
  await ctx.close();
});

// ── 4. A bulk reply, approved by a second supervisor ────────────────────────

test('agent, JavaScript off: takes a call in Pashto, reads the codes back, then verifies the caller', async () => {
  const ctx = await newContext(browser, { js: false });
  const page = await ctx.newPage();
  await firstSignIn(page, 'agent2@example.org');
  await acknowledgeRules(page, SLUG);
  await page.goto(`${BASE}/console`);
  await clickAndWait(page, `main a[href="/console/p/${SLUG}/new"]`);
  // The caller's language, chosen on the page: the console stays English.
  await page.selectOption('#caller-language', 'ps');
  await clickAndWait(page, 'main form[method=get] button[type=submit]');
  assert.equal(await page.getAttribute('.phone-form', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  // Asked first: is it safe to talk, when may we call back.
  await page.check('#f-call_safe');
  await page.fill('#f-call_back', 'after 5 pm');
  await fillForm(page, { name: 'Phone Caller', category: 0, danger: 1, situation: 'Taken by phone in Pashto.' });
  await clickAndWait(page, '.phone-form form[method=post] button[type=submit]:not([name])');
  await shot(page, 'console-phone-receipt');
  const codes = await readReceipt(page);
  assert.match(codes.reference, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
  assert.ok(await page.locator('ol.spelling[lang=ps]').count(), 'spelled for a Pashto speaker');
  // Done without "read back": refused, the same codes again.
  await clickAndWait(page, 'main form[action$="/new/done"] button[type=submit]');
  assert.ok(await page.locator('.error-summary a[href="#f-read-back"]').count());
  assert.equal((await readReceipt(page)).reference, codes.reference);
  await page.check('#f-read-back');
  await clickAndWait(page, 'main form[action$="/new/done"] button[type=submit]');
  assert.equal(new URL(page.url()).pathname, `/console/p/${SLUG}/new`);
  assert.ok(!page.url().includes(codes.reference.replace(/-/g, '')));

  // Later the caller rings about it: find it, show a one-time number.
  await page.goto(`${BASE}/console`);
  await page.fill('#reference', codes.reference);
  await clickAndWait(page, 'main form.search button[type=submit]');
  await clickAndWait(page, 'main a[href$="/verify"]');
  assert.ok(await page.locator('#no-detail').count(), 'unverified: no status or detail');
  await clickAndWait(page, 'main form[action$="/verify"] button[type=submit]');
  const number = (await page.textContent('#caller-number')).replace(/\s/g, '');
  assert.match(number, /^[0-9]{6}$/);
  const verifyUrl = page.url();

  // The caller types it into their reply inbox (another browser, JavaScript off).
  const caller = await (await newContext(browser, { js: false })).newPage();
  await caller.goto(`${BASE}/inbox`);
  await caller.fill('#f-reference', codes.reference);
  await caller.fill('#f-passphrase', codes.passphrase);
  await caller.fill('#f-caller-number', number);
  await clickAndWait(caller, 'main form button[type=submit]');

  await page.goto(verifyUrl);
  assert.equal(await page.getAttribute('#caller-verdict', 'data-verdict'), 'verified');
  await shot(page, 'console-caller-verified');
});

test('bulk reply: supervisor 1 prepares it, supervisor 2 approves, one email per address lands in the outbox', async () => {
  const general = Object.values(sent).filter((s) => s.queue === 'general');
  const addresses = general.map((s) => s.email).filter(Boolean).sort();
  assert.equal(general.length, 4);
  assert.equal(addresses.length, 3);

  const c1 = await newContext(browser, { js: true });
  const p1 = await c1.newPage();
  await firstSignIn(p1, 'sup1@example.org');
  await acknowledgeRules(p1, SLUG);
  await p1.goto(`${BASE}/console/p/${SLUG}/q/general`);
  await shot(p1, 'console-queue-general');
  await p1.goto(`${BASE}/console/p/${SLUG}/campaigns`);
  await p1.selectOption('#template', 'acknowledgement');
  await p1.selectOption('#queue', 'general');
  await clickAndWait(p1, 'main form[method=post] button[type=submit]');
  assert.match(new URL(p1.url()).pathname, /^\/console\/c\/[^/]+$/);
  const campaignPath = new URL(p1.url()).pathname;
  assert.equal((await p1.textContent('#campaign-count')).trim(), String(general.length));
  assert.equal((await p1.textContent('#campaign-state')).trim(), 'pending');
  assert.ok((await p1.textContent('main')).includes('A different supervisor must approve'));
  assert.equal(await p1.locator('form[action$="/approve"]').count(), 0, 'the author cannot approve');
  await shot(p1, 'console-campaign-pending');
  await c1.close();

  const before = outboxFiles();
  const c2 = await newContext(browser, { js: true });
  const p2 = await c2.newPage();
  await firstSignIn(p2, 'sup2@example.org');
  await acknowledgeRules(p2, SLUG);
  await p2.goto(`${BASE}${campaignPath}`);
  const approve = p2.locator('form[action$="/approve"] button');
  assert.equal((await approve.textContent()).trim(), `Approve and send ${general.length} separate messages`);
  // The approver has seen the recipients and the text, and confirms with their password.
  await p2.fill('#approve-password', PASSWORD);
  await clickAndWait(p2, null, () => approve.click());
  assert.match(p2.url(), /done=dispatched/);
  assert.equal((await p2.textContent('#campaign-state')).trim(), 'dispatched');

  // The worker sends them; the page shows the progress.
  await waitFor('the campaign to finish sending', async () => {
    await p2.reload();
    const n = async (id) => Number((await p2.textContent(id)).trim());
    return (await n('#progress-queued')) + (await n('#progress-sending')) === 0;
  }, { timeout: 45_000, every: 1000 });
  assert.equal((await p2.textContent('#progress-sent')).trim(), String(addresses.length));
  assert.equal((await p2.textContent('#progress-failed')).trim(), '0');
  await shot(p2, 'console-campaign-dispatched');
  saveState({ campaignPath });
  await c2.close();

  const fresh = outboxFiles().filter((n) => !before.includes(n));
  assert.equal(fresh.length, addresses.length, `one file per email address: ${fresh}`);
  const known = people.map((p) => p.email).filter(Boolean);
  const recipients = [];
  for (const f of fresh) {
    const eml = readOutbox(f);
    const headers = eml.split(/\r?\n\r?\n/)[0];
    const to = headers.match(/^To: *(.*)$/im)?.[1] ?? '';
    assert.equal(headers.match(/^(Cc|Bcc):/im), null, `${f}: no Cc or Bcc`);
    const inFile = known.filter((a) => eml.includes(a));
    assert.equal(inFile.length, 1, `${f} names exactly one person: ${inFile}`);
    assert.ok(to.includes(inFile[0]), `${f} is addressed to ${inFile[0]}: To: ${to}`);
    recipients.push(inFile[0]);
  }
  assert.deepEqual(recipients.sort(), addresses, 'each address got exactly one message');
});

// ── 5. An admin launches a new programme from a copy, with JavaScript off ────

test('admin, JavaScript off: copy the example, complete the launch checklist, open it; the form is live', async () => {
  const NEW = 'sudan-2026';
  const EDIT = `${BASE}/admin/programmes/${NEW}`;
  const ctx = await newContext(browser, { js: false });
  const page = await ctx.newPage();
  await firstSignIn(page, 'admin2@example.org');
  await page.goto(`${BASE}/admin/programmes`);
  await page.selectOption('#from', SLUG);
  await page.fill('#slug', NEW);
  await page.fill('#pw-create', PASSWORD);
  await clickAndWait(page, 'main form[action="/admin/programmes"] button[type=submit]');

  // What the copy would share with people outside its staff is listed; nothing is ticked.
  assert.equal((await page.textContent('h1')).trim(), 'What the copy brings along');
  assert.ok(await page.locator('input[name=keep][value="partners.resettlement-ngo"]').count());
  assert.equal(await page.locator('input[name=keep]:checked').count(), 0);
  await shot(page, 'admin-copy-choices');
  await page.fill('#pw-copy', PASSWORD);
  await clickAndWait(page, 'main form[action="/admin/programmes"] button[type=submit]');
  assert.equal(new URL(page.url()).pathname, `/admin/programmes/${NEW}`);
  assert.match(await page.textContent('div.notice'), /draft programme was created/);
  const pub = await (await newContext(browser, { js: false })).newPage();
  assert.equal((await pub.goto(`${BASE}/p/${NEW}`)).status(), 404, 'a draft is not public');

  // The checklist: nobody has a role yet; what was copied is to review.
  const stateOf = async (part) => (await page.textContent(`#part-${part} .tag`)).trim();
  assert.equal(await stateOf('staff'), 'Missing');
  assert.equal(await stateOf('texts'), 'To review');
  assert.equal(await stateOf('partners'), 'Done', 'no partner came along');
  await shot(page, 'admin-checklist-copy');

  // Opening now is refused, naming what is missing, with a link to it.
  await page.selectOption('#status-to', 'open');
  await page.fill('#pw-status', PASSWORD);
  await clickAndWait(page, 'form[action$="/status"] button[type=submit]');
  assert.match(await page.textContent('.error-summary'), /Nobody holds a role in this programme yet/);
  await shot(page, 'admin-open-refused');
  await clickAndWait(page, '.error-summary a[href$="/staff"]');
  assert.equal(new URL(page.url()).pathname, `/admin/programmes/${NEW}/staff`);

  // Staff: an existing account gets the agent role, with the password.
  await page.fill('#grant-email', 'agent1@example.org');
  await page.selectOption('#grant-role', 'agent');
  await page.fill('#pw-grant', PASSWORD);
  await clickAndWait(page, 'form[action$="/staff/grant"] button[type=submit]');
  assert.match(await page.textContent('div.notice'), /The role was given/);
  assert.ok((await page.textContent('main table')).includes('agent1@example.org'));

  // Texts: the title in English changes; rules: tried in the test box.
  await page.goto(`${EDIT}/general`);
  await page.fill('#title-en', 'Sudan 2026: request for help');
  await clickAndWait(page, 'form[action$="/general"] button[type=submit]');
  assert.match(await page.textContent('div.notice'), /Saved as a new version/);
  await page.goto(`${EDIT}/routing`);
  await page.selectOption('#t-in_danger', 'yes');
  await clickAndWait(page, 'section.test-box button[type=submit]');
  assert.match(await page.textContent('#test-result'), /In immediate danger/);

  // Everything else copied is read and confirmed as it is, from the checklist.
  await page.goto(EDIT);
  for (let i = 0; i < 20 && await page.locator('form[action$="/launch/confirm"] button').count(); i++) {
    await clickAndWait(page, 'form[action$="/launch/confirm"] button');
  }
  for (const part of ['texts', 'questions', 'routing', 'templates', 'staff', 'retention', 'partners', 'contact']) {
    assert.equal(await stateOf(part), 'Done', `${part} is done`);
  }
  assert.match(await page.textContent('main'), /8 of 8 parts done/);
  await shot(page, 'admin-checklist-done');

  // Open: live at once.
  await page.selectOption('#status-to', 'open');
  await page.fill('#pw-status', PASSWORD);
  await clickAndWait(page, 'form[action$="/status"] button[type=submit]');
  assert.match(await page.textContent('div.notice'), /Saved as a new version/);
  assert.match(await page.textContent('dl.summary'), /Open/);
  await shot(page, 'admin-programme-opened');

  const live = await pub.goto(`${BASE}/p/${NEW}`);
  assert.equal(live.status(), 200);
  assert.equal((await pub.textContent('h1')).trim(), 'Sudan 2026: request for help');
  await fillForm(pub, {
    name: 'Hawa Adam', country: 'SD', category: 3, danger: 1,
    situation: 'I need to reach my family.',
  });
  await submitForm(pub);
  const r = await readReceipt(pub);
  assert.match(r.reference, REFERENCE_RE);
  await ctx.close();
});

// ── 6. On a phone, JavaScript off: whole codes on screen and on paper; switching language ─

// Where each code and each of its groups is drawn: the codes may wrap only between
// groups (the markup puts each group in a `.group` span that does not wrap, with a <wbr>
// after each hyphen), so each group must lie on one line, inside the page (left edge
// at 0 or more: a right-to-left page once pushed the start of its left-to-right codes
// off the printed page), inside any box that clips, in reading order left to right.
async function codesWhole(page, width, what) {
  const g = await page.evaluate(() => {
    const html = document.documentElement;
    const clippers = (el) => {
      const out = [];
      for (let up = el.parentElement; up && up !== html; up = up.parentElement) {
        const cs = getComputedStyle(up);
        if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') out.push(up.getBoundingClientRect());
      }
      return out;
    };
    return {
      scrollWidth: html.scrollWidth,
      codes: ['reference-code', 'passphrase'].map((id) => {
        const el = document.getElementById(id);
        const clips = clippers(el);
        return {
          id,
          direction: getComputedStyle(el).direction,
          groups: [...el.querySelectorAll('.group')].map((s) => {
            const range = document.createRange();
            range.selectNodeContents(s);
            const rects = [...range.getClientRects()].filter((r) => r.width > 0);
            const left = Math.min(...rects.map((r) => r.left));
            const right = Math.max(...rects.map((r) => r.right));
            return {
              text: s.textContent,
              lines: new Set(rects.map((r) => Math.round(r.top))).size,
              fragments: [...s.getClientRects()].filter((r) => r.width > 0).length,
              top: Math.round(rects[0]?.top ?? NaN),
              left,
              right,
              clipped: clips.some((c) => left < c.left - 0.5 || right > c.right + 0.5),
            };
          }),
        };
      }),
    };
  });
  assert.ok(g.scrollWidth <= width, `${what}: the page is ${g.scrollWidth}px wide, more than ${width}px`);
  for (const c of g.codes) {
    assert.equal(c.direction, 'ltr', `${what}: #${c.id} reads left to right`);
    assert.ok(c.groups.length >= 2, `${what}: #${c.id} is in groups`);
    c.groups.forEach((grp, i) => {
      const where = `${what}: #${c.id} group ${i + 1} "${grp.text}" at ${Math.round(grp.left)}..${Math.round(grp.right)}`;
      assert.equal(grp.lines, 1, `${where} is broken over ${grp.lines} lines`);
      assert.equal(grp.fragments, 1, `${where} is drawn in ${grp.fragments} pieces`);
      assert.ok(grp.left >= -0.5 && grp.right <= width + 0.5, `${where} is not inside the ${width}px page`);
      assert.ok(!grp.clipped, `${where} is clipped by a box around it`);
      const prev = c.groups[i - 1];
      if (prev) {
        assert.ok(grp.top > prev.top || (grp.top === prev.top && grp.left >= prev.right - 0.5),
          `${where} comes after group ${i} (${Math.round(prev.left)}..${Math.round(prev.right)}) in reading order`);
      }
    });
  }
  return g.codes.map((c) => c.groups.map((grp) => grp.text).join('-'));
}

const PHONE = { width: 390, height: 844 };
const A4_WIDTH = 794; // 210 mm at 96 CSS px to the inch

for (const lang of ['en', 'fa-AF']) {
  test(`receipt at 390 px, JavaScript off, in ${lang}: both codes whole on screen, in print and in a PDF`, async () => {
    const ctx = await newContext(browser, { js: false, viewport: PHONE });
    const page = await ctx.newPage();
    await page.goto(lang === 'en' ? FORM : `${FORM}?lang=${lang}`);
    await fillForm(page, {
      name: lang === 'en' ? 'Narrow Screen' : 'صفحهٔ باریک', category: 3, danger: 1,
      situation: lang === 'en' ? 'Receipt on a phone.' : 'رسید در تلفون.',
    });
    await submitForm(page);
    assert.equal(page.url(), `${FORM}/receipt`);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.equal(await page.getAttribute('html', 'dir'), lang === 'en' ? 'ltr' : 'rtl');
    const r = await readReceipt(page);
    const codes = [r.reference, r.passphrase];

    assert.deepEqual(await codesWhole(page, PHONE.width, `screen ${lang}`), codes, 'the codes as drawn are the codes');
    await shot(page, `receipt-phone-${lang}`);

    // On paper: the print styles at a phone's width and at A4's, then real PDFs at both.
    await page.emulateMedia({ media: 'print' });
    assert.ok(await page.evaluate(() => matchMedia('print').matches), 'print media is emulated');
    assert.deepEqual(await codesWhole(page, PHONE.width, `print at ${PHONE.width}px ${lang}`), codes);
    await page.setViewportSize({ width: A4_WIDTH, height: 1123 });
    assert.deepEqual(await codesWhole(page, A4_WIDTH, `print at A4 width ${lang}`), codes);
    for (const [name, opts] of [
      ['a4', { format: 'A4' }],
      ['phone', { width: `${PHONE.width}px`, height: `${PHONE.height}px` }],
    ]) {
      const path = join(SHOTS, `receipt-${lang}-${name}.pdf`);
      const pdf = await page.pdf({ path, printBackground: true, ...opts });
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', `${name} PDF written to ${path}`);
      assert.ok(pdf.length > 2000, `${name} PDF has content (${pdf.length} bytes)`);
    }
    await ctx.close();
  });
}

// The form's own language buttons (JavaScript off: they are submit buttons) carry every
// answer typed so far into the other language's form, and store nothing.
test('language switch in the form, JavaScript off: every typed answer stays, nothing is stored until sent', async () => {
  const ctx = await newContext(browser, { js: false, viewport: PHONE });
  const page = await ctx.newPage();
  await page.goto(FORM);
  const email = 'switcher@example.org';
  const texts = {
    '#f-full_name': 'Laila Switcher',
    '#f-date_of_birth': '7',
    '#f-date_of_birth-month': '3',
    '#f-date_of_birth-year': '1990',
    '#f-current_location': 'Mashhad',
    '#f-family_members': 'Two sons, 4 and 9',
    '#f-situation': 'First line of my situation.\nSecond line, after a new line.',
    '#f-phone': '+98 912 000 0000',
    '#f-contact_email': email,
  };
  const checked = ['#f-help_category-1', '#f-in_danger-1', '#f-consent_partners', '#f-contact_mode-1'];
  for (const [sel, v] of Object.entries(texts)) await page.fill(sel, v);
  await page.selectOption('#f-current_country', 'IR');
  for (const sel of checked) await page.check(sel);
  const mailBefore = outboxFiles().filter((f) => readOutbox(f).includes(email)).length;

  await clickAndWait(page, 'main form button[name=switch_lang][value="fa-AF"]');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('html', 'lang'), 'fa-AF');
  assert.equal(await page.locator('#reference-code').count(), 0, 'no receipt: nothing was sent');
  assert.equal(await page.locator('.error-summary').count(), 0, 'no errors shown for a language switch');
  for (const [sel, v] of Object.entries(texts)) {
    assert.equal(await page.inputValue(sel), v, `${sel} kept`);
  }
  assert.equal(await page.inputValue('#f-current_country'), 'IR', 'country kept');
  for (const sel of checked) assert.ok(await page.isChecked(sel), `${sel} still chosen`);
  assert.equal(await page.locator('input[type=radio]:checked').count(), 3, 'no other choice made');
  await shot(page, 'form-switched-fa-AF');
  // Nothing stored: no confirmation code went to the address (a stored enquiry with an
  // address gets one within a second or so).
  await new Promise((res) => setTimeout(res, 2000));
  assert.equal(outboxFiles().filter((f) => readOutbox(f).includes(email)).length, mailBefore,
    'no email to the address: nothing was stored');

  await submitForm(page);
  assert.equal(page.url(), `${FORM}/receipt`);
  assert.equal(await page.getAttribute('html', 'lang'), 'fa-AF', 'the receipt is in the language switched to');
  const r = await readReceipt(page);
  assert.match(r.reference, REFERENCE_RE);
  await waitFor(`the confirmation email to ${email}`,
    () => outboxFiles().filter((f) => readOutbox(f).includes(email)).length > mailBefore);
  await ctx.close();
});
