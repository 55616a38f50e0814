// End-to-end test of the browser UI against a real `ctip serve` on a small
// demo database, in Debian's Chromium driven by playwright-core (headless).
//
//   CTIP=build/ctip node web/tests/e2e.mjs      (ctest runs it: web_e2e)
//   CT_SCREENSHOTS=docs/screenshots ...          also saves every screen, en and fr
//
// Checks: sign-in; role-aware menus; a child case created through the form
// (validation as typed, server-side errors), its art. 3 assessment; NRM
// and referral sections; an expired session keeps the form and resubmits;
// a 412 shows both versions; French (chosen, remembered, dates and numbers);
// an analyst sees no name on any page; the auditor's trail; axe-core finds
// no serious or critical violation; no Content-Security-Policy violation.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const CTIP = resolve(process.env.CTIP || 'build/ctip');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.CT_SCREENSHOTS ? resolve(process.env.CT_SCREENSHOTS) : null;
const axeSource = readFileSync(join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

const t0 = Date.now();
const step = (what) => process.env.CT_E2E_VERBOSE && console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);
let passed = 0;
let failed = 0;
function check(cond, what) {
  if (cond) {
    passed++;
  } else {
    failed++;
    console.error(`FAIL: ${what}`);
  }
}

// ---- the demo database -------------------------------------------------------
const T = mkdtempSync(join(tmpdir(), 'ctip-web-'));
const db = join(T, 'demo.db');
const run = (...args) => execFileSync(CTIP, args, { stdio: ['pipe', 'pipe', 'pipe'] }).toString();
// a demo database (ctip demo: 27 agencies in 6 countries, names in 7
// scripts) with NGO One as home agency, where our users work
run('demo', db, '--cases', '60', '--seed', '7', '--agency', 'NGO One');
run('agency', 'add', db, 'Police', '--type', 'law_enforcement', '--country', 'FRA');
const USERS = {
  alice: 'caseworker',
  carl: 'coordinator',
  ana: 'analyst',
  aud: 'auditor',
  adm: 'admin',
  cleo: 'child_protection',
};
for (const [name, role] of Object.entries(USERS)) {
  execFileSync(CTIP, ['user', 'add', db, name, '--role', role, '--agency', 'NGO One', '--password-stdin'], {
    input: `${name}-password\n`,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
const token = run('token', 'create', db, 'alice').trim();
const carlToken = run('token', 'create', db, 'carl').trim();
step('users made');
// Names that must never reach an analyst's screen: ours and every demo name.
const NAMES = ['Olena', 'Kovalenko', 'Amina', 'Diallo', 'Viktor', 'Petrenko', 'Mariam', 'Testova'];
const demo = [
  {
    source_id: 'NGO-2024-001',
    acts: ['recruitment', 'transportation'],
    means: ['deception'],
    purposes: ['sexual_exploitation'],
    countries: { origin: 'UKR', exploitation: 'FRA' },
    dates: { identification: '2024-03-12' },
    persons: [
      { role: 'victim', given_name: 'Olena', family_name: 'Kovalenko', sex: 'female', age: 24, citizenship: ['UKR'] },
      { role: 'suspect', given_name: 'Viktor', family_name: 'Petrenko', sex: 'male', age: 41 },
    ],
  },
  {
    source_id: 'NGO-2023-017',
    acts: ['recruitment'],
    purposes: ['forced_labour'],
    countries: { origin: 'SEN', exploitation: 'FRA' },
    dates: { identification: '2023-09-14' },
    persons: [{ role: 'victim', given_name: 'Amina', family_name: 'Diallo', sex: 'female', age: 16, citizenship: ['SEN'] }],
  },
];
writeFileSync(join(T, 'demo.jsonl'), demo.map((c) => JSON.stringify(c)).join('\n') + '\n');
run('import', db, join(T, 'demo.jsonl'));
// a missing-child report of the same child as a demo victim: the
// registries' cross-check puts a registry_hit in the review queue
writeFileSync(join(T, 'missing.csv'), 'given_name,family_name,sex,age,citizenship,date_last_seen\nAmina,Diallo,female,15,SEN,2023-05-02\n');
run('registry', 'import', db, '--kind', 'missing', join(T, 'missing.csv'));
check(/registry_hit/.test(run('review', 'list', db, '--kind', 'registry_hit')), 'the cross-check queued a registry hit');
for (const line of run('export', db, '--format', 'jsonl').split('\n')) {
  if (!line.trim()) continue;
  for (const p of JSON.parse(line).persons || []) {
    for (const n of [p.given_name, p.family_name]) if (n && n.length >= 3 && !NAMES.includes(n)) NAMES.push(n);
  }
}
check(NAMES.length > 20, `the demo has names to look for (${NAMES.length})`);
// a name as a whole word ("Ana" is not in "Analyst"), in any script
const esc = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NAME_RE = new RegExp(`(?<![\\p{L}\\p{M}])(${NAMES.map(esc).join('|')})(?![\\p{L}\\p{M}])`, 'gu');
const namesIn = (text) => [...new Set([...text.matchAll(NAME_RE)].map((m) => m[1]))];

// ---- the server ----------------------------------------------------------------
const ready = join(T, 'ready');
const server = spawn(CTIP, ['serve', db, '--listen', '127.0.0.1:0', '--ready-file', ready, '--rate-limit', '0'], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let serverErr = '';
server.stderr.on('data', (d) => (serverErr += d));
for (let i = 0; i < 200 && !(existsSync(ready) && readFileSync(ready, 'utf8').trim()); i++) {
  await new Promise((r) => setTimeout(r, 50));
}
if (!existsSync(ready)) {
  console.error(`the server did not start: ${serverErr}`);
  process.exit(1);
}
const ORIGIN = new URL(readFileSync(ready, 'utf8').trim()).origin;
const apiAs = async (method, path, body, headers = {}) => {
  const r = await fetch(`${ORIGIN}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, headers: r.headers, data: await r.json().catch(() => null) };
};

step('server up');
// the UI's own responses: a strict CSP
{
  const r = await fetch(`${ORIGIN}/`);
  const csp = r.headers.get('content-security-policy') || '';
  check(r.status === 200 && /text\/html/.test(r.headers.get('content-type')), 'GET / serves the UI');
  check(/script-src 'self'/.test(csp) && !/unsafe-inline|unsafe-eval/.test(csp), `strict CSP on / (${csp})`);
  const html = await r.text();
  check(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), 'no inline script in index.html');
  const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
  const a = await fetch(`${ORIGIN}${asset}`);
  check(a.status === 200 && /immutable/.test(a.headers.get('cache-control') || ''), 'hashed assets are served, immutable');
  const again = await fetch(`${ORIGIN}/`, { headers: { 'If-None-Match': r.headers.get('etag') } });
  check(again.status === 304, 'index.html revalidates with its ETag');
  check((await fetch(`${ORIGIN}/nope.js`)).status === 404, 'unknown file is 404');
  check((await fetch(`${ORIGIN}/`, { method: 'POST' })).status === 405, 'POST / is 405');
}

// ---- the browser ------------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const cspViolations = [];
const pageErrors = [];
const axeSeen = new Set();

async function newPage(lang, viewport) {
  const ctx = await browser.newContext({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB', viewport: viewport || { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

// Whether a locator shows up within a few seconds (the UI renders after
// the event that changed it).
const shows = (loc) => loc.first().waitFor({ timeout: 5000 }).then(() => true, () => false);

// Waits until the screen has no "Loading…" left (and one frame more).
async function settle(page) {
  await page.waitForLoadState('load').catch(() => {});
  await page.waitForTimeout(60);
  await page.waitForFunction(() => document.querySelector('#app')?.childElementCount > 0 && !document.querySelector('.loading'), null, { timeout: 10000 }).catch(() => {});
  await page.waitForTimeout(60);
}

// axe runs on every screen in English and on the French case view (the
// French screens have the same structure; CT_SCREENSHOTS visits them all).
async function axe(page, name) {
  if (axeSeen.has(name) || (/-fr$/.test(name) && name !== 'case-fr' && name !== 'login-fr')) return;
  axeSeen.add(name);
  await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `axe on ${name}: ${bad.map((v) => `${v.id} (${v.nodes.length}: ${v.nodes[0]?.target})`).join('; ')}`);
}

async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function visit(page, hash, name) {
  step(`visit ${name}`);
  await page.evaluate((h) => (location.hash = h), hash);
  await settle(page);
  await axe(page, name);
  await shot(page, name);
}

async function login(page, user, lang) {
  step(`login ${user} ${lang}`);
  await page.goto(`${ORIGIN}/`);
  const L = lang === 'fr' ? { u: "Nom d'utilisateur", p: 'Mot de passe', s: 'Se connecter' } : { u: 'User name', p: 'Password', s: 'Sign in' };
  await page.getByLabel(L.u).fill(user);
  await page.getByLabel(L.p).fill(`${user}-password`);
  await page.getByRole('button', { name: L.s }).click();
  await page.locator('nav#nav').waitFor({ state: 'attached' });
  await settle(page);
}

// Every role's screens in French too when screenshots are wanted; the
// French UI is otherwise checked by the switch, reload and login tests.
const LANGS = SHOTS ? ['en', 'fr'] : ['en'];

// The text of a page for the scan for names: every text node of the
// document, shown or not (closed details, options of a select), except the
// dates, which the UI marks as <time> (a date such as "12 Jan 2024" is not
// the given name Jan). Each node is scanned on its own line, so a name is
// found as a whole word whatever the markup around it.
const pageText = (page) =>
  page.evaluate(() => {
    const out = [];
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement.closest('time, script, style') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let n = w.nextNode(); n; n = w.nextNode()) out.push(n.nodeValue);
    return out.join('\n');
  });

const navText = async (page) => (await page.locator('nav#nav').innerText()).split('\n').map((s) => s.trim()).filter(Boolean);

try {
  // -- the login page, in both languages, with a failed attempt
  {
    const page = await newPage('en');
    await page.goto(`${ORIGIN}/`);
    await settle(page);
    check((await page.getAttribute('html', 'lang')) === 'en', 'English on an English browser');
    await axe(page, 'login-en');
    await shot(page, 'login-en');
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong user name or password.').waitFor();
    check(true, 'a failed login is explained');
    const fr = await newPage('fr');
    await fr.goto(`${ORIGIN}/`);
    await settle(fr);
    check((await fr.getAttribute('html', 'lang')) === 'fr', 'French on a French browser (first visit)');
    await axe(fr, 'login-fr');
    await shot(fr, 'login-fr');
    await page.context().close();
    await fr.context().close();
  }

  step('login page done');
  // -- caseworker: create a child case, validation, assessment, NRM, referral
  const page = await newPage('en');
  await login(page, 'alice', 'en');
  const nav = await navText(page);
  check(nav.includes('Cases') && !nav.includes('Users and roles') && !nav.includes('Audit trail') && !nav.includes('Dashboard'), `caseworker menu: ${nav}`);
  await visit(page, '#/cases', 'cases-en');
  check(await page.getByRole('link', { name: 'NGO-2024-001' }).isVisible(), 'the case list shows the cases of the agency');
  // filters: identified in 2023, child victims only
  await page.getByLabel('Identified from').fill('2023-01-01');
  await page.getByLabel('Identified until').fill('2023-12-31');
  await page.getByLabel('Child victim').selectOption('true');
  await page.getByRole('button', { name: 'Apply' }).click();
  await settle(page);
  check((await page.getByRole('link', { name: 'NGO-2023-017' }).count()) === 1 && (await page.getByRole('link', { name: 'NGO-2024-001' }).count()) === 0, 'the child filter keeps only the child case');
  await page.getByRole('button', { name: 'Clear' }).click();
  await settle(page);

  await page.getByRole('link', { name: 'New case' }).click();
  await settle(page);
  await page.getByRole('button', { name: 'Save' }).click();
  check(await page.getByText('Choose at least one form of exploitation.').isVisible(), 'a missing form of exploitation is flagged');
  await page.getByLabel('Reference').fill('NGO-2025-042');
  await page.getByLabel('Identified').fill('2025-13');
  check(await page.getByText('Use YYYY, YYYY-MM or YYYY-MM-DD.').isVisible(), 'a bad date is flagged as typed');
  await page.getByLabel('Identified').fill('2025-02-10');
  await page.getByRole('group', { name: 'Acts' }).getByLabel('Recruitment').check();
  await page.getByRole('group', { name: /Forms of exploitation/ }).getByLabel('Forced labour').check();
  await page.getByLabel('Given name').fill('Mariam');
  await page.getByLabel('Family name').fill('Testova');
  await page.getByLabel('Age', { exact: true }).fill('200');
  check(await page.getByText('A whole number of years, 0 to 120.').isVisible(), 'an impossible age is flagged as typed');
  await page.getByLabel('Age', { exact: true }).fill('15');
  await page.getByLabel('Sex', { exact: true }).selectOption('female');
  await axe(page, 'case-new-en');
  await shot(page, 'case-new-en');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: /Case NGO-2025-042/ }).waitFor();
  await settle(page);
  const caseUrl = page.url();
  const caseId = caseUrl.split('#/cases/')[1];
  check(await page.getByText('The definition of trafficking in persons holds.').isVisible(), 'art. 3 holds for a child without means');
  check(await page.getByText('Means: not needed (child)').isVisible(), 'means are not needed for a child');
  await axe(page, 'case-en');
  await shot(page, 'case-en');

  step('case created');
  // a server-side error shown beside its field: a reference already used
  await page.getByRole('link', { name: 'Cases' }).click();
  await settle(page);
  await page.getByRole('link', { name: 'New case' }).click();
  await settle(page);
  await page.getByLabel('Reference').fill('NGO-2024-001');
  await page.getByRole('group', { name: /Forms of exploitation/ }).getByLabel('Forced labour').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.field.has-error input[name=source_id]').waitFor({ timeout: 5000 }).catch(() => {});
  check((await page.locator('.field.has-error input[name=source_id]').count()) === 1, 'the server refuses a duplicate reference beside the field');
  check((await page.getByLabel('Reference').inputValue()) === 'NGO-2024-001', 'nothing typed is lost on a server error');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await settle(page);

  step('duplicate refused');
  // the person: NRM stage, child safeguards, referral
  await page.goto(caseUrl);
  await settle(page);
  await page.getByRole('link', { name: 'Mariam Testova' }).click();
  await settle(page);
  check(await page.getByRole('heading', { name: 'National Referral Mechanism' }).isVisible(), 'the person view has the NRM section');
  check(await page.getByRole('heading', { name: 'Child safeguards' }).isVisible(), 'a child gets the guardian and best-interests gates');
  const pid = page.url().split('#/persons/')[1];
  const nrmSection = page.getByRole('region', { name: 'National Referral Mechanism' });
  check(await nrmSection.getByText('Reported', { exact: true }).isVisible(), 'a new victim is at the stage reported');
  check(await nrmSection.getByText('Record a screening (below) before marking the person as screened.').isVisible(), 'the missing screening is named');
  // screen it: the ILO/EC checklist for children, two indicators
  const scr = page.getByRole('region', { name: 'Screening' });
  await scr.getByRole('button', { name: 'New screening' }).click();
  await scr.getByLabel('Deceived about the nature of the job, location or employer').waitFor();
  check((await scr.getByLabel('List', { exact: true }).inputValue()) === 'child_labour', 'a child is screened with the children\'s list');
  await scr.getByRole('button', { name: 'Record the screening' }).click();
  check(await scr.getByText('Tick at least one indicator.').isVisible(), 'an empty screening is refused as typed');
  await scr.getByLabel('Deceived about the nature of the job, location or employer').check();
  await scr.getByRole('group', { name: /^4\./ }).getByRole('checkbox').first().check();
  await scr.getByRole('button', { name: 'Record the screening' }).click();
  await scr.getByText('Screening recorded.', { exact: true }).waitFor();
  check(await scr.getByRole('columnheader', { name: 'Dimension' }).isVisible(), 'the screening report shows the dimensions');
  check(await scr.getByRole('cell', { name: /Deceptive recruitment/ }).isVisible(), 'the report names the dimension of the indicator ticked');
  // the NRM actions, each with a reason
  await settle(page);
  await nrmSection.getByRole('button', { name: 'Screened', exact: true }).click();
  await nrmSection.getByRole('button', { name: /^Confirm/ }).click();
  check(await shows(nrmSection.getByText('Give a reason: it is recorded in the audit trail.')), 'an action needs a reason');
  await nrmSection.getByLabel(/Reason/).fill('Screening interview held');
  await nrmSection.getByRole('button', { name: 'Confirm: Screened' }).click();
  await nrmSection.getByText('Done: Screened.').waitFor();
  await settle(page);
  check(await nrmSection.getByText('Screened', { exact: true }).first().isVisible(), 'the stage is now screened');
  await nrmSection.getByRole('button', { name: 'Reasonable grounds (presumed victim)' }).click();
  await nrmSection.getByLabel(/Reason/).fill('Indicators of forced labour of a child');
  await nrmSection.getByRole('button', { name: /^Confirm: Reasonable grounds/ }).click();
  await nrmSection.getByText('Done: Reasonable grounds (presumed victim).').waitFor();
  await settle(page);
  check(await nrmSection.getByText(/Recovery and reflection period: 30 days left/).isVisible(), 'reasonable grounds start the reflection period');
  const nrm = await apiAs('GET', `/persons/${pid}/nrm`);
  check(nrm.data?.stage === 'presumed_victim', `the server has the person at presumed_victim (${nrm.data?.stage})`);
  // a child's return needs the safeguards: the server refuses, the UI says why
  check(nrm.data?.child === true && nrm.data?.child_protection?.guardian === false, 'the server sees a child without a guardian');
  await nrmSection.getByRole('button', { name: 'Record the guardian' }).click();
  await nrmSection.getByText('Guardian appointed: recorded').waitFor();
  check((await apiAs('GET', `/persons/${pid}/nrm`)).data?.child_protection?.guardian === true, 'the guardian is recorded');
  // refer it: a shelter, then the referral accepted
  const ref = page.getByRole('region', { name: 'Referrals and services' });
  await ref.getByRole('button', { name: 'Refer' }).click();
  check(await ref.getByText('Required.').isVisible(), 'a referral needs a service');
  await ref.getByRole('combobox', { name: /^Service/ }).selectOption('shelter');
  await ref.getByRole('textbox', { name: 'Provider' }).fill('Foyer Saint-Michel');
  await ref.getByRole('button', { name: 'Refer' }).click();
  await ref.getByRole('cell', { name: 'Foyer Saint-Michel' }).waitFor();
  check((await ref.locator('tbody tr').count()) === 1, 'the referral is listed');
  check(await ref.getByRole('cell', { name: /Offered/ }).isVisible(), 'a new referral is offered');
  await ref.getByRole('button', { name: 'Accepted' }).click();
  await ref.getByLabel(/Reason/).fill('The shelter has a place');
  await ref.getByRole('button', { name: 'Confirm: Accepted' }).click();
  // the status cell ("Accepted · date"), not the buttons' cell
  await ref.getByRole('cell', { name: /^Accepted · / }).waitFor();
  const refs = await apiAs('GET', `/persons/${pid}/referrals`);
  check(refs.data?.referrals?.length === 1 && refs.data.referrals[0].status === 'accepted' && refs.data.referrals[0].service === 'shelter', 'the server has the referral, accepted');
  // consent: assistance data to the police
  const con = page.getByRole('region', { name: 'Consent' });
  await con.getByRole('combobox', { name: /^Consent to/ }).selectOption('assistance_data');
  await con.getByRole('combobox', { name: /^Recipient/ }).selectOption('Police');
  await con.getByRole('button', { name: 'Record the consent' }).click();
  await con.getByRole('listitem').filter({ hasText: 'Police' }).waitFor();
  check((await apiAs('GET', `/persons/${pid}/consents`)).data?.consents?.[0]?.recipient === 'Police', 'the consent is recorded');
  await axe(page, 'person-en');
  await shot(page, 'person-en');

  step('person done');
  // an expired session: the edit form keeps what was typed, and is resubmitted after signing in
  await page.goto(`${caseUrl}/edit`);
  await settle(page);
  await page.getByLabel('Reference').fill('NGO-2025-042-B');
  await page.context().clearCookies();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('dialog').waitFor();
  check(await page.getByRole('heading', { name: 'Your session has expired' }).isVisible(), 'an expired session asks to sign in again');
  await shot(page, 'reauth-en');
  await page.getByRole('dialog').getByLabel('Password').fill('alice-password');
  await page.getByRole('dialog').getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /Case NGO-2025-042-B/ }).waitFor();
  check(true, 'the edit was resubmitted after signing in again');

  step('reauth done');
  // a conflict: someone else saved meanwhile -> both versions, keep mine
  await page.goto(`${caseUrl}/edit`);
  await settle(page);
  await page.getByLabel('Reference').fill('NGO-2025-042-C');
  const cur = await apiAs('GET', `/cases/${caseId}`);
  const other = await apiAs('PUT', `/cases/${caseId}`, { ...cur.data, status: 'follow_up' }, { 'If-Match': cur.headers.get('etag') });
  check(other.status === 200, `a second writer saves (${other.status})`);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Someone changed this case meanwhile' }).waitFor();
  check(await page.getByRole('heading', { name: 'Your version' }).isVisible(), 'the conflict shows my version');
  check(await page.getByRole('heading', { name: /Current version/ }).isVisible(), 'the conflict shows the current version');
  await shot(page, 'conflict-en');
  await page.getByRole('button', { name: 'Keep mine' }).click();
  await page.getByRole('heading', { name: /Case NGO-2025-042-C/ }).waitFor();
  check(true, 'keeping my version saves it over the new one');

  step('conflict done');
  // French: switch, remembered after a reload, dates in French
  await page.getByLabel('Language').selectOption('fr');
  await page.getByRole('heading', { name: /Dossier NGO-2025-042-C/ }).waitFor();
  check((await page.getAttribute('html', 'lang')) === 'fr', 'html lang follows the switch');
  check(await page.getByText('10 févr. 2025').isVisible(), 'dates in French');
  await axe(page, 'case-fr');
  await shot(page, 'case-fr');
  await page.reload();
  await settle(page);
  check((await page.getAttribute('html', 'lang')) === 'fr' && (await page.getByRole('heading', { name: /Dossier/ }).isVisible()), 'French is remembered');
  await visit(page, '#/cases', 'cases-fr');
  await visit(page, `#/cases/new`, 'case-new-fr');
  await page.getByRole('button', { name: 'Annuler' }).click();
  await page.goto(`${ORIGIN}/#/persons/${pid}`);
  await settle(page);
  await shot(page, 'person-fr');
  await page.getByLabel('Langue').selectOption('en');
  await settle(page);
  await page.context().close();

  // -- the analyst: no name anywhere
  for (const lang of LANGS) {
    const p = await newPage(lang);
    await login(p, 'ana', lang);
    const links = await navText(p);
    check(!links.some((l) => /Users|Utilisateurs|Audit/.test(l)), `analyst menu (${links})`);
    const hashes = (await p.locator('nav#nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))));
    const pages = [...hashes, '#/cases', `#/cases/${caseId}`];
    // a few cases of other agencies and of the analyst's own, and their persons
    const list = await p.evaluate(() => fetch('/api/v1/cases?limit=6').then((r) => r.json()));
    const own = await apiAs('GET', '/cases');
    for (const c of [...list.cases, ...own.data.cases]) {
      pages.push(`#/cases/${c.id}`);
      for (const pp of c.persons || []) if (pp.id) pages.push(`#/persons/${pp.id}`);
    }
    for (const h of pages) {
      await p.evaluate((x) => (location.hash = x), h);
      await settle(p);
      const seen = namesIn(await pageText(p));
      check(seen.length === 0, `analyst (${lang}) sees no name on ${h}: ${seen}`);
    }
    await visit(p, '#/dashboard', `dashboard-analyst-${lang}`);
    await visit(p, `#/cases/${caseId}`, `case-analyst-${lang}`);
    await p.context().close();
  }

  // -- the coordinator: dashboard, registries, review queue
  for (const lang of LANGS) {
    const p = await newPage(lang);
    await login(p, 'carl', lang);
    const links = await navText(p);
    check(links.length >= 3 && links.includes(lang === 'en' ? 'Dashboard' : 'Tableau de bord'), `coordinator menu (${links})`);
    await visit(p, '#/dashboard', `dashboard-${lang}`);
    check((await p.locator('figure.chart').count()) >= 5, 'the dashboard draws its charts');
    if (lang === 'en') {
      // the child case created above (a girl identified in 2025) is counted:
      // the exact counts of 2025 as the coordinator reads them, and the
      // same number in the chart's table
      await p.getByLabel('From year').fill('2025');
      await p.getByLabel('To year').fill('2025');
      await p.getByLabel('Exact counts (not for publication)').check();
      await p.getByRole('button', { name: 'Apply' }).click();
      await p.getByText('Exact counts: not for publication.').waitFor();
      await settle(p);
      const exact = await fetch(`${ORIGIN}/api/v1/stats/tables?from=2025&to=2025&publish=false`, { headers: { Authorization: `Bearer ${carlToken}` } }).then((r) => r.json());
      const gt = exact.tables.find((x) => x.id === 'victims_glotip_forms');
      const girlsApi = gt.cells[gt.rows.findIndex((r) => r.code === 'total')][gt.columns.findIndex((c) => c.code === 'girls')];
      check(girlsApi >= 1, `the API counts the girl of the new case in 2025 (${girlsApi})`);
      const fig = p.getByRole('figure', { name: 'Victims by sex and age' });
      await fig.locator('summary').click();
      const heads = await fig.locator('thead th').allInnerTexts();
      const girls = await fig.locator('tbody tr', { hasText: 'Total' }).locator('td').nth(heads.indexOf('Girls')).innerText();
      check(girls === String(girlsApi), `the dashboard shows the girls of 2025 as the API counts them (${girls}, ${girlsApi})`);
      await shot(p, 'dashboard-2025-en');
    }
    await visit(p, '#/registries/missing', `registries-${lang}`);
    await visit(p, '#/review', `review-${lang}`);
    await visit(p, '#/proceedings', `proceedings-${lang}`);
    await p.context().close();
  }

  // -- child protection: a registry hit reviewed side by side and confirmed
  {
    const p = await newPage('en');
    await login(p, 'cleo', 'en');
    const navc = await navText(p);
    check(navc.includes('Review queue') && navc.includes('Registries'), `child protection menu (${navc})`);
    // a missing-child report recorded through the form, checked as typed
    await visit(p, '#/registries/missing', 'registries-cp-en');
    check(await shows(p.getByRole('cell', { name: 'Amina Diallo' })), 'child protection sees its own report with the name');
    await p.getByRole('button', { name: 'Report a missing child' }).click();
    await p.getByRole('button', { name: 'Record the report' }).click();
    check(await shows(p.locator('.field.has-error input[name=date_last_seen]')), 'the date last seen is required');
    await p.getByLabel('Given name').fill('Zora');
    await p.getByLabel('Family name').fill('Testkind');
    await p.getByLabel('Age', { exact: true }).fill('19');
    check(await shows(p.getByText("A child's age in whole years, 0 to 17.")), 'an adult age is flagged as typed');
    await p.getByLabel('Age', { exact: true }).fill('12');
    await p.getByLabel('Sex', { exact: true }).selectOption('female');
    await p.getByLabel('Last seen *').fill('2025-06-01');
    await p.getByRole('button', { name: 'Record the report' }).click();
    await p.getByText('Report recorded and cross-checked.').waitFor();
    check(await shows(p.getByRole('cell', { name: 'Zora Testkind' })), 'the new report is listed');
    check(/Testkind/.test(run('registry', 'list', db, '--kind', 'missing')), 'the report is in the database');
    await visit(p, '#/review', 'review-hit-en');
    const item = p.locator('article.review-item', { hasText: 'Diallo' }).first();
    await item.waitFor();
    const cmp = item.getByRole('table');
    check(await cmp.getByRole('columnheader', { name: /Record A/ }).isVisible() && (await cmp.getByRole('columnheader', { name: /Record B/ }).isVisible()), 'the two records are side by side');
    check((await cmp.getByRole('row', { name: /Family name/ }).getByRole('cell', { name: 'Diallo' }).count()) === 2, 'both records name the child Diallo');
    check((await item.locator('ul.evidence li').count()) >= 1, 'the evidence is listed');
    await item.getByRole('button', { name: 'Confirm the match' }).click();
    await item.getByRole('button', { name: 'Confirm: the same person' }).click();
    check(await shows(item.getByText('Give a reason: it is recorded in the audit trail.')), 'a decision needs a reason');
    await item.getByLabel(/Reason/).fill('Same child: name, age and citizenship agree');
    await item.getByRole('button', { name: 'Confirm: the same person' }).click();
    await p.getByText(/Decision recorded/).waitFor();
    check(/"status":"confirmed"/.test(run('review', 'list', db, '--kind', 'registry_hit')), 'the registry hit is confirmed');
    await shot(p, 'review-confirmed-en');
    await p.context().close();
  }

  // -- the admin: users and roles, validation as typed
  for (const lang of LANGS) {
    const p = await newPage(lang);
    await login(p, 'adm', lang);
    await visit(p, '#/users', `users-${lang}`);
    if (lang === 'en') {
      await p.getByLabel('User name *').fill('dora');
      await p.getByLabel('Password *').fill('short');
      check(await p.getByText('At least 10 characters.').isVisible(), 'a short password is flagged as typed');
      await p.getByLabel('Password *').fill('dora-password');
      await p.getByLabel('Role *').selectOption('caseworker');
      await p.getByLabel('Agency *').selectOption('NGO One');
      await p.getByRole('button', { name: 'Create the user' }).click();
      await p.getByRole('cell', { name: 'dora', exact: true }).waitFor();
      check(true, 'the admin creates a user');
    }
    // the admin's menu has no case data (its role reads no names)
    const seen = namesIn(await pageText(p));
    check(seen.length === 0, `the admin sees no victim names: ${seen}`);
    await p.context().close();
  }

  // -- the auditor: the audit trail
  for (const lang of LANGS) {
    const p = await newPage(lang);
    await login(p, 'aud', lang);
    const links = await navText(p);
    check(links.includes(lang === 'en' ? 'Audit trail' : "Journal d'audit") && !links.includes('Cases'), `auditor menu (${links})`);
    await visit(p, '#/audit', `audit-${lang}`);
    check(await p.getByText(lang === 'en' ? 'Chain intact' : 'Chaîne intacte').isVisible(), 'the audit chain verifies');
    check((await p.locator('tbody tr').count()) > 5, 'the audit trail lists entries');
    await p.context().close();
  }

  // -- a tablet: the menu folds behind a button
  {
    const p = await newPage('en', { width: 768, height: 1024 });
    await login(p, 'alice', 'en');
    check(!(await p.getByRole('link', { name: 'Proceedings' }).isVisible()), 'on a tablet the menu is folded');
    await p.getByRole('button', { name: 'Menu' }).click();
    check(await p.getByRole('link', { name: 'Proceedings' }).isVisible(), 'the menu button opens it');
    await shot(p, 'tablet-en');
    await p.context().close();
  }
} catch (e) {
  failed++;
  console.error(`FAIL: ${e.stack || e}`);
} finally {
  check(cspViolations.length === 0, `no CSP violation: ${cspViolations.slice(0, 3).join(' | ')}`);
  check(pageErrors.length === 0, `no script error: ${pageErrors.slice(0, 3).join(' | ')}`);
  await browser.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(T, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
