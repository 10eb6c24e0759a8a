// End-to-end journeys of the payments pages (/pagamenti, "Pagamenti online"), run by run.mjs inside
// the demo scenario, with run.mjs's helpers (one harness, one count of passed and failed steps).
//
// paymentsJourney, "Ente creditore":
// Cremona's referent (ente_admin) opens "Pagamenti online" and sees the demo's creditor
// configuration; adds an account whose IBAN has wrong check digits and sees the server's error on
// that row; corrects it, saves and still sees it after a reload. Cremona's clerk (ente_operator)
// reads it without any form; Crema's referent sees Crema's configuration only; a citizen has no
// "Pagamenti online" at all. The referent then removes the account again, leaving the demo's data
// as seeded (the API puts it back if a step failed half-way).
//
// positionsJourney, "Posizioni debitorie" and "Importa ruolo"; citizenJourney, "Verifica un avviso di
// pagamento" without login; reconciliationJourney, "Riconciliazione": see their own comments below.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CREMONA = '019036';
const CREMA = '019035';
const CREDITOR_URL = `/api/v1/payments/creditors/${CREMONA}`;
/** The demo's seed (src/modules/payments/module.cpp). */
const SEED_FISCAL_CODE = '00297960197';
const SEED_PRIMARY_IBAN = 'IT60X0542811101000000123456';
const CREMA_FISCAL_CODE = '91035680197';
const OTHER_REFERENT_USER = process.env.CST_OTHER_REFERENT_USER || 'ref.crema';
const CITIZEN_USER = process.env.CST_CITIZEN_USER || 'cittadino.bianchi';

/** Odd-position values of the CIN (the codice fiscale's table, digits only). */
const CIN_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];

/** ISO 13616 remainder of an IBAN's rearranged digits (letters as 10–35). */
function mod97(text) {
  let rem = 0;
  for (const c of text) {
    const v = /[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem;
}

/** A valid Italian IBAN for a 12-digit account (CIN and check digits computed), e.g. IT60X0542811101000000123456. */
function italianIban(abi, cab, conto) {
  const bban = abi + cab + conto;
  let sum = 0;
  [...bban].forEach((d, i) => (sum += i % 2 === 0 ? CIN_ODD[Number(d)] : Number(d)));
  const cin = String.fromCharCode(65 + (sum % 26));
  return `IT${String(98 - mod97(`${cin}${bban}IT00`)).padStart(2, '0')}${cin}${bban}`;
}

/** The same IBAN with other check digits: structure and CIN right, ISO 13616 check wrong. */
function withWrongCheckDigits(iban) {
  const n = Number(iban.slice(2, 4));
  return `IT${String(n < 98 ? n + 1 : n - 1).padStart(2, '0')}${iban.slice(4)}`;
}

const grouped = (iban) => iban.replace(/(.{4})(?=.)/g, '$1 ');

/** The configuration as a PUT body (to put the seed back). */
function asInput(c) {
  return {
    fiscal_code: c.fiscal_code,
    segregation_code: c.segregation_code,
    ibans: c.ibans.map((i) => ({ iban: i.iban, ...(i.label ? { label: i.label } : {}), primary: i.primary })),
    service_codes: c.service_codes,
  };
}

async function tabNames(page) {
  const nav = page.getByRole('navigation', { name: 'Sezioni dei pagamenti online' });
  await nav.waitFor();
  return (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
}

export async function paymentsJourney(h) {
  const { BASE, ENTE_ADMIN_USER, ENTE_ADMIN_PASSWORD, CLERK_USER, DEMO_PASSWORD } = h;
  const { step, assert, label, shot, openBrowser, logIn, gotoNav, pageProblems, apiFrom, assertFocused, fieldError, countFailure } = h;
  const referent = await openBrowser(BASE);
  const clerk = await openBrowser(BASE);
  const other = await openBrowser(BASE);
  const citizen = await openBrowser(BASE);
  // A fresh account each run (a reused data dir keeps earlier runs' audit, not their IBANs).
  const conto = String(Date.now()).slice(-12).padStart(12, '0');
  const iban = italianIban('03069', '11884', conto);
  const wrong = withWrongCheckDigits(iban);
  const accountLabel = `Conto E2E ${conto.slice(-6)}`;
  let original = null;
  let added = false;

  try {
    const reached = await step(referent.page, `payments: ${ENTE_ADMIN_USER} (ente_admin) opens "Pagamenti online" and sees Cremona's creditor configuration`, async () => {
      const page = referent.page;
      await logIn(page, BASE, ENTE_ADMIN_USER, ENTE_ADMIN_PASSWORD);
      await gotoNav(page, 'Pagamenti online');
      assert(new URL(page.url()).pathname === '/pagamenti', `unexpected URL ${page.url()}`);
      const tabs = await tabNames(page);
      assert(tabs.join('|') === 'Ente creditore|Posizioni debitorie|Importa ruolo|Riconciliazione', `tabs: ${tabs.join(', ')}`);
      await page.getByTestId('payments-ente').filter({ hasText: `Cremona (${CREMONA})` }).waitFor();
      assert((await page.locator('main').getByLabel(label('Ente')).count()) === 0, 'an ente chooser offered to a one-ente user');
      const summary = page.getByTestId('creditor-summary');
      await summary.waitFor();
      const cf = (await page.getByTestId('creditor-fiscal-code').innerText()).trim();
      assert(cf === SEED_FISCAL_CODE, `fiscal code "${cf}"`);
      const seed = (await page.getByTestId('creditor-ibans').locator(`tbody tr[data-iban="${SEED_PRIMARY_IBAN}"]`).innerText()).replace(/\s+/g, ' ');
      assert(seed.includes(grouped(SEED_PRIMARY_IBAN)), `IBAN not in groups of four: ${seed}`);
      assert(/Tesoreria comunale/.test(seed) && /Predefinito/.test(seed), `primary account row: ${seed}`);
      const codes = await page.getByTestId('creditor-codes').innerText();
      assert(codes.includes('9/0101002IM/') && codes.includes('Diritti di segreteria'), `taxonomy codes: ${codes}`);
      assert(/Ultima modifica/.test(await summary.innerText()), 'no "Ultima modifica"');
      const res = await apiFrom(page, 'GET', CREDITOR_URL);
      assert(res.status === 200 && res.json.configured, `GET answered ${res.status}`);
      original = res.json;
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'pagamenti-ente-creditore');
    });
    if (!reached) return countFailure('payments journey: the referent cannot reach the page; later payments steps not run');

    const form = referent.page.getByTestId('creditor-form');
    const rows = form.getByTestId('creditor-form-ibans-row');
    let newRow = null;

    const refused = await step(referent.page, 'payments: an added IBAN with wrong check digits is refused, the error next to that row', async () => {
      const page = referent.page;
      await page.getByRole('button', { name: /^Modifica/ }).click();
      await form.waitFor();
      const before = await rows.count();
      await form.getByRole('button', { name: 'Aggiungi un conto' }).click();
      assert((await rows.count()) === before + 1, 'no row added');
      newRow = rows.nth(before);
      assert((await newRow.locator('legend').innerText()).trim() === `Conto n. ${before + 1}`, 'the new row is not named by its position');
      const field = newRow.getByLabel(label('IBAN'));
      await assertFocused(field, 'focus not moved to the new IBAN');
      await field.fill(grouped(wrong));
      await newRow.getByLabel(label('Descrizione')).fill(accountLabel);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === CREDITOR_URL),
        form.getByRole('button', { name: 'Salva la configurazione' }).click(),
      ]);
      assert(res.status() === 400, `PUT answered ${res.status()}`);
      const body = await res.json();
      const fields = (body.errors ?? []).map((e) => e.field);
      assert(fields.includes(`ibans[${before}].iban`), `errors: ${JSON.stringify(body.errors)}`);
      const err = await fieldError(field);
      assert(/cifre di controllo/i.test(err.text) && err.near, `error: ${JSON.stringify(err)}`);
      await assertFocused(field, 'focus not moved to the wrong IBAN');
      for (let i = 0; i < before; i++)
        assert((await rows.nth(i).getByLabel(label('IBAN')).getAttribute('aria-invalid')) === null, `row ${i + 1} marked invalid`);
      const alert = await form.getByRole('alert').innerText();
      assert(alert.includes(`IBAN del conto n. ${before + 1}`), `summary: ${alert}`);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'pagamenti-iban-errato');
    });

    if (refused) {
      await step(referent.page, 'payments: the corrected IBAN is saved and still shown after a reload', async () => {
        const page = referent.page;
        await newRow.getByLabel(label('IBAN')).fill(grouped(iban));
        const [res] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === CREDITOR_URL),
          form.getByRole('button', { name: 'Salva la configurazione' }).click(),
        ]);
        assert(res.status() === 200, `PUT answered ${res.status()}: ${await res.text()}`);
        added = true;
        await page.getByRole('status').filter({ hasText: 'Configurazione salvata.' }).waitFor();
        assert((await form.count()) === 0, 'the form is still open');
        await page.reload({ waitUntil: 'domcontentloaded' });
        const row = page.getByTestId('creditor-ibans').locator(`tbody tr[data-iban="${iban}"]`);
        await row.waitFor();
        const text = (await row.innerText()).replace(/\s+/g, ' ');
        assert(text.includes(grouped(iban)) && text.includes(accountLabel), `new row: ${text}`);
        assert(!/Predefinito/.test(text), 'the new account became the primary one');
        const seed = await page.getByTestId('creditor-ibans').locator(`tbody tr[data-iban="${SEED_PRIMARY_IBAN}"]`).innerText();
        assert(/Predefinito/.test(seed), 'the primary account changed');
        assert((await page.getByTestId('creditor-summary').innerText()).includes(`da ${ENTE_ADMIN_USER}`), 'the last change does not name the referent');
        await shot(page, 'pagamenti-iban-salvato');
      });
    }

    await step(clerk.page, `payments: ${CLERK_USER} (ente_operator) reads Cremona's configuration without any form`, async () => {
      const page = clerk.page;
      await logIn(page, BASE, CLERK_USER, DEMO_PASSWORD);
      await gotoNav(page, 'Pagamenti online');
      await page.getByTestId('creditor-summary').waitFor();
      if (added) await page.getByTestId('creditor-ibans').locator(`tbody tr[data-iban="${iban}"]`).waitFor();
      const main = page.locator('main');
      assert((await main.getByRole('button', { name: /^(Modifica|Configura)/ }).count()) === 0, '"Modifica" offered to an operator');
      assert((await page.getByTestId('creditor-form').count()) === 0, 'the form is shown to an operator');
      assert((await main.locator('input, textarea').count()) === 0, 'editable fields shown to an operator');
      const put = await apiFrom(page, 'PUT', CREDITOR_URL, asInput(original));
      assert(put.status === 403, `PUT by an operator answered ${put.status}`);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'pagamenti-operatore');
    });

    await step(other.page, `payments: ${OTHER_REFERENT_USER} (Crema's referent) sees Crema's configuration only`, async () => {
      const page = other.page;
      await logIn(page, BASE, OTHER_REFERENT_USER, DEMO_PASSWORD);
      await gotoNav(page, 'Pagamenti online');
      await page.getByTestId('payments-ente').filter({ hasText: `Crema (${CREMA})` }).waitFor();
      await page.getByTestId('creditor-summary').waitFor();
      const cf = (await page.getByTestId('creditor-fiscal-code').innerText()).trim();
      assert(cf === CREMA_FISCAL_CODE, `fiscal code "${cf}"`);
      assert(!(await page.locator('main').innerText()).includes(SEED_FISCAL_CODE), "Cremona's data shown to Crema");
      const get = await apiFrom(page, 'GET', CREDITOR_URL);
      assert(get.status === 404, `GET of Cremona by Crema's referent answered ${get.status}`);
    });

    await step(citizen.page, `payments: ${CITIZEN_USER} (citizen) has no "Pagamenti online" in the navigation`, async () => {
      const page = citizen.page;
      await logIn(page, BASE, CITIZEN_USER, DEMO_PASSWORD);
      const nav = page.getByRole('navigation', { name: 'Navigazione principale' });
      // The modules' entries come with /api/v1/modules: wait for the service desk's.
      await nav.getByRole('link', { name: 'Call center unico', exact: true }).waitFor();
      assert((await nav.getByRole('link', { name: 'Pagamenti online', exact: true }).count()) === 0, '"Pagamenti online" offered to a citizen');
      await page.goto(`${BASE}/pagamenti`, { waitUntil: 'domcontentloaded' });
      await page.getByText('questa pagina non è disponibile per il tuo ruolo').waitFor();
      assert((await page.getByTestId('payments-nav').count()) === 0, 'payments sections offered to a citizen');
    });

    if (added) {
      await step(referent.page, 'payments: the referent removes the added account again', async () => {
        const page = referent.page;
        await page.getByRole('button', { name: /^Modifica/ }).click();
        await form.waitFor();
        const count = await rows.count();
        let index = -1;
        for (let i = 0; i < count; i++) if ((await rows.nth(i).getByLabel(label('IBAN')).inputValue()).replace(/\s+/g, '') === iban) index = i;
        assert(index >= 0, 'the added account is not in the form');
        await form.getByRole('button', { name: `Rimuovi il conto n. ${index + 1}` }).click();
        assert((await rows.count()) === count - 1, 'row not removed');
        const [res] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === CREDITOR_URL),
          form.getByRole('button', { name: 'Salva la configurazione' }).click(),
        ]);
        assert(res.status() === 200, `PUT answered ${res.status()}`);
        await page.getByTestId('creditor-summary').waitFor();
        assert((await page.getByTestId('creditor-ibans').locator(`tbody tr[data-iban="${iban}"]`).count()) === 0, 'the account is still listed');
        added = false;
      });
    }

    await step(referent.page, 'payments: no request left the server and no script error', async () => {
      for (const br of [referent, clerk, other, citizen]) {
        assert(br.foreign.length === 0, `requests to other hosts: ${br.foreign.slice(0, 5).join(', ')}`);
        assert(br.pageErrors.length === 0, `page errors: ${br.pageErrors.slice(0, 3).join(' | ')}`);
      }
    });
  } finally {
    // A step failed after the save: put the seed back, so the next run starts from it.
    if (added && original) await apiFrom(referent.page, 'PUT', CREDITOR_URL, asInput(original)).catch(() => {});
    for (const br of [referent, clerk, other, citizen]) await br.close();
  }
}

// positionsJourney: Cremona's clerk (ente_operator) searches the demo's debt positions (by text,
// by a notice number typed with spaces, and a wrong one whose error shows next to its field),
// opens one and reads its notice number and timeline; publishes the DRAFT with a plan, downloads
// its notice PDF and cancels it with a reason; prints the notices of the published positions in
// one PDF; imports a small roll with one bad row ("solo righe valide") and reads the report
// naming line and column. Crema's referent sees none of Cremona's positions; the auditor reads
// them without any action or the import tab. Last, a demo notice is paid through
// `cst payments simulate-node` (CST_BIN, default ../build/cst) and its page shows PAID and the
// receipt. On a data dir where the demo positions already moved (a second run), the steps that
// change a position work on one created through the API instead.

const POSITIONS_URL = '/api/v1/payments/positions';
const AUDITOR_USER = process.env.CST_AUDITOR_USER || 'revisore';
const CST_BIN = process.env.CST_BIN || fileURLToPath(new URL('../../build/cst', import.meta.url));
/** The demo's positions (src/modules/payments/module.cpp). */
const DEMO_SINGLE = 'DEMO-MENSA-2026-001';
const DEMO_SINGLE_NOTICE = '3010 0000 0000 0001 44';
const DEMO_OTHER = 'DEMO-DIRITTI-2026-002';
const DEMO_PLAN = 'DEMO-MENSA-2026-003';

async function openTab(page, name) {
  const tab = page.getByRole('navigation', { name: 'Sezioni dei pagamenti online' }).getByRole('link', { name, exact: true });
  await tab.click();
  await page.getByRole('heading', { level: 2, name, exact: true }).waitFor();
  await page.waitForFunction((t) => document.title.startsWith(`Pagamenti online: ${t}`), name);
}

/** Fills the list's filters ({label: value}; "Stato" by its option's text), presses Cerca and waits for the answer and the list; `label` is run.mjs's. */
async function searchPositions(page, filters, label) {
  const form = page.getByTestId('positions-filters');
  for (const [name, value] of Object.entries(filters)) {
    const field = form.getByLabel(label(name));
    if (name === 'Stato') await field.selectOption({ label: value || 'Tutti gli stati' });
    else await field.fill(value);
  }
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === POSITIONS_URL),
    form.getByRole('button', { name: 'Cerca' }).click(),
  ]);
  await page.locator('[data-testid="positions-table"], [data-testid="payments-positions"] .callout, [data-testid="payments-positions"] .alert-danger').first().waitFor();
  return res;
}

const listedReferences = async (page) =>
  (await page.getByTestId('positions-table').count()) === 0
    ? []
    : page.getByTestId('positions-table').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.reference));

const detailStatus = async (page) => page.getByTestId('position-detail').getAttribute('data-status');

/** A DRAFT of Cremona's made through the API, when the demo's positions already moved. */
async function apiDraft(page, apiFrom, reference) {
  const due = new Date(Date.now() + 200 * 86400000).toISOString().slice(0, 10);
  const res = await apiFrom(page, 'POST', POSITIONS_URL, {
    ente: '019036',
    reference,
    description: 'Posizione di prova E2E',
    service_code: '9/0101002IM/',
    debtor: { type: 'F', fiscal_code: 'RSSMRA85T10A562S', name: 'Mario Rossi' },
    options: [
      { amount_cents: 4200, due_date: due, transfers: [{ amount_cents: 4200, remittance: 'Prova E2E' }] },
      { amount_cents: 2100, due_date: due, instalment: true, transfers: [{ amount_cents: 2100, remittance: 'Prova E2E rata 1' }] },
      { amount_cents: 2100, due_date: due, instalment: true, transfers: [{ amount_cents: 2100, remittance: 'Prova E2E rata 2' }] },
    ],
  });
  if (res.status !== 201) throw new Error(`POST ${POSITIONS_URL} answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json;
}

/** Pays `notice` as the pagoPA node and a PSP do (`extra`: more options, e.g. ['--receipt-id', id]). */
function simulateNode(base, notice, extra = []) {
  return new Promise((resolve) =>
    execFile(
      CST_BIN,
      ['payments', 'simulate-node', '--server', base, '--fiscal-code', SEED_FISCAL_CODE, '--notice', notice, ...extra],
      { timeout: 30000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    ),
  );
}

export async function positionsJourney(h) {
  const { BASE, CLERK_USER, DEMO_PASSWORD } = h;
  const { step, assert, label, shot, openBrowser, logIn, gotoNav, pageProblems, apiFrom, assertFocused, fieldError, countFailure } = h;
  const clerk = await openBrowser(BASE);
  const other = await openBrowser(BASE);
  const auditor = await openBrowser(BASE);
  const run = Date.now().toString(36).toUpperCase();
  const ids = {};

  try {
    const reached = await step(clerk.page, `positions: ${CLERK_USER} (ente_operator) searches the demo's debt positions`, async () => {
      const page = clerk.page;
      await logIn(page, BASE, CLERK_USER, DEMO_PASSWORD);
      await gotoNav(page, 'Pagamenti online');
      const tabs = await tabNames(page);
      assert(tabs.join('|') === 'Ente creditore|Posizioni debitorie|Importa ruolo|Riconciliazione', `tabs: ${tabs.join(', ')}`);
      await openTab(page, 'Posizioni debitorie');
      assert(new URL(page.url()).pathname === '/pagamenti/posizioni', `unexpected URL ${page.url()}`);
      const table = page.getByTestId('positions-table');
      await table.waitFor();
      const refs = await listedReferences(page);
      for (const r of [DEMO_SINGLE, DEMO_OTHER, DEMO_PLAN]) assert(refs.includes(r), `${r} not listed: ${refs.join(', ')}`);
      assert((await page.getByTestId('positions-filters').getByLabel(label('Ente')).count()) === 0, 'an ente filter offered to a one-ente user');
      for (const r of await table.locator('tbody tr').all()) {
        const link = r.getByRole('link');
        const ref = await r.getAttribute('data-reference');
        ids[ref] = Number(/\/pagamenti\/posizioni\/(\d+)$/.exec(await link.getAttribute('href'))?.[1]);
      }
      const single = (await table.locator(`tbody tr[data-reference="${DEMO_SINGLE}"]`).innerText()).replace(/\s+/g, ' ');
      assert(/185,00 €/.test(single) && /Laura Bianchi/.test(single), `row of ${DEMO_SINGLE}: ${single}`);
      const plan = (await table.locator(`tbody tr[data-reference="${DEMO_PLAN}"]`).innerText()).replace(/\s+/g, ' ');
      assert(/600,00 €/.test(plan) && /3 opzioni di pagamento/.test(plan), `row of ${DEMO_PLAN}: ${plan}`);

      await searchPositions(page, { Testo: 'mensa' }, label);
      let found = await listedReferences(page);
      assert(found.includes(DEMO_SINGLE) && found.includes(DEMO_PLAN) && !found.includes(DEMO_OTHER), `"mensa" found ${found.join(', ')}`);
      assert(new URL(page.url()).searchParams.get('q') === 'mensa', `filters not in the address: ${page.url()}`);

      await searchPositions(page, { Testo: '', 'Numero avviso': DEMO_SINGLE_NOTICE }, label);
      found = await listedReferences(page);
      assert(found.join('|') === DEMO_SINGLE, `notice number found ${found.join(', ')}`);

      const res = await searchPositions(page, { 'Numero avviso': '3010 0000 0001' }, label);
      assert(res.status() === 400, `a short notice number answered ${res.status()}`);
      const err = await fieldError(page.getByTestId('positions-filters').getByLabel(label('Numero avviso')));
      assert(/18 cifre/.test(err.text) && err.near, `error: ${JSON.stringify(err)}`);
      await searchPositions(page, { 'Numero avviso': DEMO_SINGLE_NOTICE }, label);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'pagamenti-posizioni');
    });
    if (!reached) return countFailure('positions journey: the clerk cannot search the positions; later positions steps not run');

    await step(clerk.page, `positions: the clerk opens ${DEMO_SINGLE} and reads its notice number and timeline`, async () => {
      const page = clerk.page;
      await page.getByTestId('positions-table').getByRole('link', { name: DEMO_SINGLE }).click();
      const detail = page.getByTestId('position-detail');
      await detail.waitFor();
      assert(new URL(page.url()).pathname === `/pagamenti/posizioni/${ids[DEMO_SINGLE]}`, `unexpected URL ${page.url()}`);
      await page.getByRole('heading', { level: 2, name: `Posizione ${DEMO_SINGLE}` }).waitFor();
      const tab = page.getByRole('navigation', { name: 'Sezioni dei pagamenti online' }).getByRole('link', { name: 'Posizioni debitorie' });
      assert((await tab.getAttribute('aria-current')) === 'true', 'the "Posizioni debitorie" tab is not marked');
      const notice = (await page.getByTestId('position-options').getByTestId('notice-number').allInnerTexts()).map((t) => t.trim());
      assert(notice.join('|') === DEMO_SINGLE_NOTICE, `notice numbers: ${notice.join(', ')}`);
      const options = (await page.getByTestId('position-options').innerText()).replace(/\s+/g, ' ');
      assert(/Rata unica/.test(options) && /01000000000000144/.test(options) && /185,00 €/.test(options), `options: ${options}`);
      assert(/IT60 X054 2811 1010 0000 0123 456/.test(options), `transfer IBAN not grouped: ${options}`);
      assert((await page.getByTestId('position-debtor').innerText()).includes('BNCLRA90E45D150P'), 'debtor fiscal code not shown');
      const events = await page.getByTestId('position-timeline').locator('li').evaluateAll((li) => li.map((x) => x.dataset.event));
      assert(events[0] === 'create' && events.includes('publish'), `timeline: ${events.join(', ')}`);
      assert(/ha pubblicato la posizione/.test(await page.getByTestId('position-timeline').innerText()), 'publish event not in words');
      if ((await detailStatus(page)) === 'VALID') {
        const actions = page.getByTestId('position-actions');
        for (const name of ['Scarica avviso PDF', 'Annulla la posizione']) await actions.getByRole('button', { name }).waitFor();
        for (const name of ['Pubblica', 'Elimina']) assert((await actions.getByRole('button', { name, exact: true }).count()) === 0, `"${name}" offered on a VALID position`);
        await page.getByTestId('position-no-receipts').waitFor();
      }
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'pagamenti-posizione');
      // Back to the same search.
      await page.getByRole('link', { name: 'Torna alle posizioni debitorie' }).click();
      await page.getByTestId('positions-table').waitFor();
      assert(new URL(page.url()).searchParams.get('notice_number') === DEMO_SINGLE_NOTICE, `search not kept: ${page.url()}`);
      assert((await page.getByTestId('positions-filters').getByLabel(label('Numero avviso')).inputValue()) === DEMO_SINGLE_NOTICE, 'filter not kept');
    });

    // The DRAFT with a plan: the demo's, or (second run on the same data dir) a fresh one.
    let draft = { id: ids[DEMO_PLAN], reference: DEMO_PLAN };
    const published = await step(clerk.page, `positions: the clerk publishes the DRAFT ${DEMO_PLAN} and sees its state change`, async () => {
      const page = clerk.page;
      await page.goto(`${BASE}/pagamenti/posizioni/${draft.id}`, { waitUntil: 'domcontentloaded' });
      await page.getByTestId('position-detail').waitFor();
      if ((await detailStatus(page)) !== 'DRAFT') {
        const made = await apiDraft(page, apiFrom, `E2E-BOZZA-${run}`);
        draft = { id: made.id, reference: made.reference };
        console.log(`     (${DEMO_PLAN} is no longer a DRAFT on this data dir: using ${draft.reference})`);
        await page.goto(`${BASE}/pagamenti/posizioni/${draft.id}`, { waitUntil: 'domcontentloaded' });
        await page.getByTestId('position-detail').waitFor();
      }
      await page.getByTestId('position-status').getByText('Bozza', { exact: true }).waitFor();
      const names = await page.getByTestId('position-options').locator('tbody th').allInnerTexts();
      assert(names.map((t) => t.trim()).join('|') === 'Rata unica|Rata 1 di 2|Rata 2 di 2', `options: ${names.join(', ')}`);
      const actions = page.getByTestId('position-actions');
      assert((await actions.getByRole('button', { name: 'Scarica avviso PDF' }).count()) === 0, 'a DRAFT offers its notice PDF');
      await actions.getByRole('button', { name: 'Elimina', exact: true }).waitFor();
      await actions.getByRole('button', { name: 'Pubblica', exact: true }).click();
      const confirm = page.getByTestId('inline-confirm');
      await confirm.waitFor();
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${POSITIONS_URL}/${draft.id}/publish`),
        confirm.getByRole('button', { name: 'Pubblica la posizione' }).click(),
      ]);
      assert(res.status() === 200, `publish answered ${res.status()}`);
      await page.getByRole('status').filter({ hasText: 'Posizione pubblicata' }).waitFor();
      await page.getByTestId('position-status').getByText('Pubblicata', { exact: true }).waitFor();
      assert((await detailStatus(page)) === 'VALID', 'state not VALID');
      const last = page.getByTestId('position-timeline').locator('li').last();
      assert((await last.getAttribute('data-event')) === 'publish', 'no publish event last');
      const text = (await last.innerText()).replace(/\s+/g, ' ');
      assert(text.includes(CLERK_USER) && /da Bozza a Pubblicata/.test(text), `publish event: ${text}`);
      assert((await actions.getByRole('button', { name: 'Elimina', exact: true }).count()) === 0, '"Elimina" still offered');
      await shot(page, 'pagamenti-posizione-pubblicata');
    });

    if (published) {
      await step(clerk.page, 'positions: the clerk downloads its notice PDF (application/pdf)', async () => {
        const page = clerk.page;
        const [res, download] = await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname === `${POSITIONS_URL}/${draft.id}/notice.pdf`),
          page.waitForEvent('download'),
          page.getByTestId('position-actions').getByRole('button', { name: 'Scarica avviso PDF' }).click(),
        ]);
        assert(res.status() === 200, `notice.pdf answered ${res.status()}`);
        assert(res.headers()['content-type'] === 'application/pdf', `content type ${res.headers()['content-type']}`);
        // The file saved is the answer (the response body itself is not kept by the browser: no-store).
        const saved = readFileSync(await download.path());
        assert(saved.subarray(0, 5).toString() === '%PDF-' && saved.length === Number(res.headers()['content-length']), `saved file: ${saved.length} bytes`);
        assert(download.suggestedFilename() === `avviso-${draft.reference}.pdf`, `file name ${download.suggestedFilename()}`);
        await page.getByRole('status').filter({ hasText: 'Avviso di pagamento scaricato.' }).waitFor();
      });

      await step(clerk.page, 'positions: the clerk cancels it: the reason is required, then the state is Annullata', async () => {
        const page = clerk.page;
        await page.getByTestId('position-actions').getByRole('button', { name: 'Annulla la posizione' }).click();
        const form = page.getByTestId('invalidate-form');
        await form.waitFor();
        const reasonField = form.getByLabel(label("Motivo dell'annullamento"));
        await assertFocused(reasonField, 'focus not on the reason');
        await form.getByRole('button', { name: "Conferma l'annullamento" }).click();
        const err = await fieldError(reasonField);
        assert(err.text !== '' && err.near, `no error next to the reason: ${JSON.stringify(err)}`);
        const reason = `Iscrizione alla mensa ritirata (prova E2E ${run})`;
        await reasonField.fill(reason);
        const [res] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${POSITIONS_URL}/${draft.id}/invalidate`),
          form.getByRole('button', { name: "Conferma l'annullamento" }).click(),
        ]);
        assert(res.status() === 200, `invalidate answered ${res.status()}`);
        assert(res.request().postDataJSON().reason === reason, 'reason not sent');
        await page.getByRole('status').filter({ hasText: 'Posizione annullata' }).waitFor();
        await page.getByTestId('position-status').getByText('Annullata', { exact: true }).waitFor();
        assert((await page.getByTestId('position-status').innerText()).includes(reason), 'reason not shown');
        const last = page.getByTestId('position-timeline').locator('li').last();
        assert((await last.getAttribute('data-event')) === 'invalidate' && (await last.innerText()).includes(`Motivo: ${reason}`), 'timeline without the reason');
        assert((await page.getByTestId('position-actions').count()) === 0, 'actions still offered on an INVALID position');
        const p = await pageProblems(page);
        assert(p.length === 0, p.join('; '));
        await shot(page, 'pagamenti-posizione-annullata');
      });
    }

    await step(clerk.page, 'positions: "Stampa avvisi" prints the published positions in one PDF, not the drafts', async () => {
      const page = clerk.page;
      await openTab(page, 'Posizioni debitorie');
      await page.getByTestId('positions-table').or(page.getByTestId('payments-positions').locator('.callout')).waitFor();
      const print = page.getByTestId('positions-print');
      await searchPositions(page, { 'Numero avviso': '', Stato: 'Bozza' }, label);
      const button = print.getByRole('button', { name: 'Stampa avvisi' });
      assert(await button.isDisabled(), '"Stampa avvisi" enabled for drafts');
      assert(/«Bozza» non hanno un avviso/.test(await print.innerText()), `hint: ${await print.innerText()}`);
      await searchPositions(page, { Stato: 'Pubblicata' }, label);
      assert(await button.isEnabled(), '"Stampa avvisi" disabled for published positions');
      assert(/pubblicate o pagate in parte/.test(await print.innerText()), 'the hint does not say which positions are printed');
      const [res, download] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/payments/notices.pdf'),
        page.waitForEvent('download'),
        button.click(),
      ]);
      assert(new URL(res.url()).searchParams.get('status') === 'VALID', `filters not sent: ${res.url()}`);
      assert(res.status() === 200 && res.headers()['content-type'] === 'application/pdf', `notices.pdf: ${res.status()} ${res.headers()['content-type']}`);
      assert(/^avvisi-.*\.pdf$/.test(download.suggestedFilename()), `file name ${download.suggestedFilename()}`);
      await page.getByRole('status').filter({ hasText: 'PDF degli avvisi scaricato.' }).waitFor();
    });

    await step(clerk.page, 'import: the clerk imports a roll with one bad row ("solo righe valide") and reads line and column', async () => {
      const page = clerk.page;
      await openTab(page, 'Importa ruolo');
      const form = page.getByTestId('import-form');
      await form.waitFor();
      await page.getByTestId('import-ente').filter({ hasText: 'Cremona (019036)' }).waitFor();
      const columns = await page.getByTestId('import-columns').innerText();
      for (const c of ['codice', 'tipo_debitore', 'importo', 'scadenza', 'rata']) assert(columns.includes(c), `column ${c} not explained`);
      // Nothing chosen: the errors next to the mode and the file.
      await form.getByRole('button', { name: 'Importa il ruolo' }).click();
      const file = form.getByLabel(label('File del ruolo (CSV)'));
      const fileErr = await fieldError(file);
      assert(fileErr.text !== '' && fileErr.near, `file error: ${JSON.stringify(fileErr)}`);
      const modeErr = await fieldError(form.getByLabel(/^Solo righe valide/));
      assert(/tutto o niente/.test(modeErr.text) && modeErr.near, `mode error: ${JSON.stringify(modeErr)}`);
      const good = `E2E-RUOLO-${run}-1`;
      const bad = `E2E-RUOLO-${run}-2`;
      const csv =
        'codice;descrizione;tassonomia;tipo_debitore;codice_fiscale;nominativo;importo;scadenza\n' +
        `${good};Mensa E2E;9/0101108TS/;F;RSSMRA85T10A562S;Mario Rossi;12,50;31/12/2030\n` +
        `${bad};Mensa E2E;9/0101108TS/;F;RSSMRA85T10A562S;Mario Rossi;12,345;31/12/2030\n`;
      await form.locator('label', { hasText: 'Solo righe valide' }).click();
      await file.setInputFiles({ name: 'ruolo.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/payments/imports'),
        form.getByRole('button', { name: 'Importa il ruolo' }).click(),
      ]);
      assert(res.status() === 201, `import answered ${res.status()}: ${await res.text()}`);
      const q = new URL(res.url()).searchParams;
      assert(q.get('ente') === '019036' && q.get('mode') === 'valid_rows' && q.get('publish') === 'false', `query ${q}`);
      assert(res.request().headers()['content-type'] === 'text/csv', `content type ${res.request().headers()['content-type']}`);
      const id = (await res.json()).id;
      const report = page.getByTestId('import-report');
      await report.waitFor();
      assert((await report.getAttribute('data-outcome')) === 'partial', `outcome ${await report.getAttribute('data-outcome')}`);
      assert(/Completata in parte/.test(await report.innerText()), 'outcome not in words');
      const rows = (await page.getByTestId('import-rows').innerText()).trim();
      assert(rows === '2: 1 importate, 1 scartate', `rows: ${rows}`);
      const line = page.getByTestId('import-errors').locator('tbody tr[data-line="3"][data-column="importo"]');
      assert(/ambiguo/.test(await line.innerText()), `error row: ${await line.innerText()}`);
      const href = await page.getByTestId('import-errors-csv').getAttribute('href');
      assert(href === `/api/v1/payments/imports/${id}/errors.csv`, `errors.csv link ${href}`);
      const errorsCsv = await page.evaluate(async (u) => (await fetch(u, { credentials: 'same-origin' })).text(), href);
      assert(errorsCsv.includes('3;importo;'), `errors.csv: ${errorsCsv.slice(0, 120)}`);
      await page.getByTestId('imports-table').locator(`tbody tr[data-import="${id}"]`).waitFor();
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'pagamenti-importa-ruolo');
      // The valid row is a DRAFT among the ente's positions.
      await report.getByRole('link', { name: "Vai alle posizioni debitorie dell'ente" }).click();
      await page.getByTestId('positions-table').locator(`tbody tr[data-reference="${good}"]`).waitFor();
      assert((await page.getByTestId('positions-table').locator(`tbody tr[data-reference="${bad}"]`).count()) === 0, 'the bad row became a position');
    });

    await step(other.page, `positions: ${OTHER_REFERENT_USER} (Crema) does not see Cremona's positions`, async () => {
      const page = other.page;
      await logIn(page, BASE, OTHER_REFERENT_USER, DEMO_PASSWORD);
      await gotoNav(page, 'Pagamenti online');
      await openTab(page, 'Posizioni debitorie');
      await page.getByTestId('positions-table').or(page.getByTestId('payments-positions').locator('.callout')).waitFor();
      const main = await page.locator('main').innerText();
      assert(!main.includes('DEMO-') && !main.includes('E2E-'), "Cremona's positions listed for Crema");
      const id = ids[DEMO_SINGLE];
      const get = await apiFrom(page, 'GET', `${POSITIONS_URL}/${id}`);
      assert(get.status === 404, `GET of Cremona's position by Crema answered ${get.status}`);
      await page.goto(`${BASE}/pagamenti/posizioni/${id}`, { waitUntil: 'domcontentloaded' });
      await page.getByRole('alert').filter({ hasText: 'posizione debitoria non trovata' }).waitFor();
      assert((await page.getByTestId('position-detail').count()) === 0, 'a position shown');
    });

    await step(auditor.page, `positions: ${AUDITOR_USER} (auditor) reads a position without actions and has no "Importa ruolo"`, async () => {
      const page = auditor.page;
      await logIn(page, BASE, AUDITOR_USER, DEMO_PASSWORD);
      await gotoNav(page, 'Pagamenti online');
      const tabs = await tabNames(page);
      assert(tabs.join('|') === 'Ente creditore|Posizioni debitorie|Riconciliazione', `tabs: ${tabs.join(', ')}`);
      await page.goto(`${BASE}/pagamenti/posizioni/${ids[DEMO_OTHER]}`, { waitUntil: 'domcontentloaded' });
      await page.getByTestId('position-detail').waitFor();
      for (const name of ['Pubblica', 'Annulla la posizione', 'Elimina'])
        assert((await page.getByRole('button', { name, exact: true }).count()) === 0, `"${name}" offered to an auditor`);
      if ((await detailStatus(page)) === 'VALID') await page.getByRole('button', { name: 'Scarica avviso PDF' }).waitFor();
      await page.goto(`${BASE}/pagamenti/importazioni`, { waitUntil: 'domcontentloaded' });
      await page.getByText('Questa sezione non è disponibile per il tuo ruolo.').waitFor();
      assert((await page.getByTestId('import-form').count()) === 0, 'the import form shown to an auditor');
    });

    if (!existsSync(CST_BIN)) {
      console.log(`skip positions: payment through the node simulator (no ${CST_BIN}; set CST_BIN)`);
    } else {
      await step(clerk.page, `positions: ${DEMO_SINGLE} paid through "cst payments simulate-node" shows PAID and the receipt`, async () => {
        const page = clerk.page;
        let target = { id: ids[DEMO_SINGLE], amount: '185,00' };
        let pos = (await apiFrom(page, 'GET', `${POSITIONS_URL}/${target.id}`)).json;
        if (pos.status !== 'VALID') {
          const made = await apiDraft(page, apiFrom, `E2E-PAGA-${run}`);
          const pub = await apiFrom(page, 'POST', `${POSITIONS_URL}/${made.id}/publish`);
          assert(pub.status === 200, `publish answered ${pub.status}`);
          console.log(`     (${DEMO_SINGLE} is no longer VALID on this data dir: paying ${made.reference})`);
          target = { id: made.id, amount: '42,00' };
          pos = pub.json;
        }
        const single = pos.options.find((o) => !o.instalment);
        const paid = await simulateNode(BASE, single.notice_number);
        assert(paid.code === 0, `simulate-node exited ${paid.code}: ${(paid.stdout + paid.stderr).trim().split('\n').slice(-2).join(' / ')}`);
        await page.goto(`${BASE}/pagamenti/posizioni/${target.id}`, { waitUntil: 'domcontentloaded' });
        await page.getByTestId('position-detail').waitFor();
        await page.getByTestId('position-status').getByText('Pagata', { exact: true }).waitFor();
        assert((await detailStatus(page)) === 'PAID', 'state not PAID');
        const receipts = page.getByTestId('position-receipts');
        await receipts.waitFor();
        const row = receipts.locator('tbody tr');
        assert((await row.count()) === 1, `${await row.count()} receipts`);
        const text = (await row.innerText()).replace(/\s+/g, ' ');
        assert(text.includes('PSP simulato') && new RegExp(`${target.amount} €`).test(text) && /Pagamento eseguito/.test(text), `receipt: ${text}`);
        assert((await row.getAttribute('data-anomaly')) === null, 'the receipt is marked as an anomaly');
        const href = await row.getByRole('link', { name: /receipt\.xml/ }).getAttribute('href');
        assert(/^\/api\/v1\/payments\/receipts\/\d+\/receipt\.xml$/.test(href ?? ''), `receipt link ${href}`);
        const xml = await page.evaluate(async (u) => {
          const r = await fetch(u, { credentials: 'same-origin' });
          return { status: r.status, type: r.headers.get('Content-Type'), text: await r.text() };
        }, href);
        assert(xml.status === 200 && /xml/.test(xml.type ?? '') && xml.text.includes(single.notice_number), `receipt.xml: ${xml.status} ${xml.type}`);
        const optionRow = page.getByTestId('position-options').locator(`tbody tr[data-notice="${single.notice_number}"]`);
        await optionRow.getByText('Pagata', { exact: true }).waitFor();
        const last = page.getByTestId('position-timeline').locator('li').last();
        assert((await last.getAttribute('data-event')) === 'full_payment' && (await last.innerText()).includes('pagoPA'), 'no payment event by pagoPA');
        assert((await page.getByTestId('position-actions').count()) === 0, 'actions offered on a PAID position');
        const p = await pageProblems(page);
        assert(p.length === 0, p.join('; '));
        await shot(page, 'pagamenti-posizione-pagata');
      });
    }

    await step(clerk.page, 'positions: no request left the server and no script error', async () => {
      for (const br of [clerk, other, auditor]) {
        assert(br.foreign.length === 0, `requests to other hosts: ${br.foreign.slice(0, 5).join(', ')}`);
        assert(br.pageErrors.length === 0, `page errors: ${br.pageErrors.slice(0, 3).join(' | ')}`);
      }
    });
  } finally {
    for (const br of [clerk, other, auditor]) await br.close();
  }
}

// citizenJourney, "Verifica un avviso di pagamento" (/verifica-avviso, no login): Cremona's clerk
// finds the notice number of the demo's DEMO-MENSA-2026-001 through the API (a fresh position for
// the same debtor when the demo's is no longer payable, e.g. paid by positionsJourney). In a browser
// that never logs in, the login page links to the lookup; with the notice number (typed in groups
// of four) and the debtor's fiscal code (lower case) the page shows the ente, the amount, the due
// date and "Da pagare", and downloads the notice PDF. Malformed keys are named next to their
// fields; a well-formed fiscal code that is not the debtor's gets the neutral "not found" message.
// Paid through `cst payments simulate-node` (CST_BIN), the same lookup shows "Pagato" with the
// receipt, downloads its XML and prints it alone. Then the same browser logs in as the demo
// citizen, whose account is bound to the debtor's fiscal code: "I miei pagamenti" lists the notice
// in the section of its state and downloads it without the fiscal code in the address.

const DEMO_DEBTOR = { type: 'F', fiscal_code: 'BNCLRA90E45D150P', name: 'Laura Bianchi' };
/** Another well-formed codice fiscale (the debtor of the E2E positions), not the notice's. */
const OTHER_FISCAL_CODE = 'RSSMRA85T10A562S';
const PUBLIC_NOTICES_URL = '/api/v1/payments/public/notices';

/** YYYY-MM-DD → dd/mm/yyyy, as the pages print dates. */
const italianDate = (d) => d.split('-').reverse().join('/');
/** Integer cents → "1.234,50 €" (no-break space, as formatCents writes it). */
const euro = (cents) => `${String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${String(cents % 100).padStart(2, '0')}\u00a0€`;

/** A published single-payment position of Cremona, made through the API. */
async function apiPublished(page, apiFrom, reference, cents, debtor = { type: 'F', fiscal_code: OTHER_FISCAL_CODE, name: 'Mario Rossi' }) {
  const due = new Date(Date.now() + 200 * 86400000).toISOString().slice(0, 10);
  const made = await apiFrom(page, 'POST', POSITIONS_URL, {
    ente: CREMONA,
    reference,
    description: `Mensa scolastica, prova E2E ${reference}`,
    service_code: '9/0101108TS/',
    debtor,
    options: [{ amount_cents: cents, due_date: due, transfers: [{ amount_cents: cents, remittance: `Prova E2E ${reference}` }] }],
  });
  if (made.status !== 201) throw new Error(`POST ${POSITIONS_URL} answered ${made.status}: ${JSON.stringify(made.json)}`);
  const pub = await apiFrom(page, 'POST', `${POSITIONS_URL}/${made.json.id}/publish`);
  if (pub.status !== 200) throw new Error(`publish answered ${pub.status}: ${JSON.stringify(pub.json)}`);
  return pub.json;
}

/** Fills the lookup form and submits it; resolves with the API's answer. */
async function lookUp(page, notice, fiscalCode, label) {
  const form = page.getByTestId('notice-lookup-form');
  await form.getByLabel(label('Numero avviso')).fill(notice);
  await form.getByLabel(label('Codice fiscale del debitore')).fill(fiscalCode);
  const [res] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname.startsWith(`${PUBLIC_NOTICES_URL}/`)),
    form.getByRole('button', { name: 'Verifica l’avviso' }).click(),
  ]);
  return res;
}

export async function citizenJourney(h) {
  const { BASE, CLERK_USER, DEMO_PASSWORD } = h;
  const { step, assert, label, shot, openBrowser, logIn, pageProblems, apiFrom, fieldError, countFailure } = h;
  const staff = await openBrowser(BASE);
  const citizen = await openBrowser(BASE);
  const run = Date.now().toString(36).toUpperCase();
  /** The notice looked up: its number (plain and printed), amount, due date and position. */
  let target = null;

  try {
    const found = await step(staff.page, `citizen: ${CLERK_USER} finds the notice number of ${DEMO_SINGLE} through the API`, async () => {
      const page = staff.page;
      await logIn(page, BASE, CLERK_USER, DEMO_PASSWORD);
      const list = await apiFrom(page, 'GET', `${POSITIONS_URL}?q=${encodeURIComponent(DEMO_SINGLE)}`);
      assert(list.status === 200, `GET positions answered ${list.status}`);
      const summary = list.json.items.find((p) => p.reference === DEMO_SINGLE);
      assert(summary, `${DEMO_SINGLE} not found`);
      let pos = (await apiFrom(page, 'GET', `${POSITIONS_URL}/${summary.id}`)).json;
      if (pos.status !== 'VALID') {
        pos = await apiPublished(page, apiFrom, `E2E-AVVISO-${run}`, 7350, DEMO_DEBTOR);
        console.log(`     (${DEMO_SINGLE} is ${summary.status} on this data dir: looking up ${pos.reference}, same debtor)`);
      }
      const single = pos.options.find((o) => !o.instalment);
      target = { id: pos.id, notice: single.notice_number, printed: single.notice_number_printed, cents: single.amount_cents, due: single.due_date };
      assert(/^\d{4} \d{4} \d{4} \d{4} \d{2}$/.test(target.printed), `printed notice number ${target.printed}`);
      // The page is open to logged-in users too, inside the usual header.
      await page.goto(`${BASE}/verifica-avviso`, { waitUntil: 'domcontentloaded' });
      await page.getByRole('heading', { level: 1, name: 'Verifica un avviso di pagamento' }).waitFor();
      await page.getByRole('button', { name: 'Esci' }).waitFor();
      assert((await page.getByRole('link', { name: 'Torna all’accesso all’area riservata' }).count()) === 0, 'a link to the login page shown in a session');
    });
    if (!found) return countFailure('citizen journey: no notice to look up; later citizen steps not run');

    const lookedUp = await step(citizen.page, 'citizen: without logging in, the login page leads to the lookup, which shows the notice "Da pagare"', async () => {
      const page = citizen.page;
      await page.goto(`${BASE}/`, { waitUntil: 'domcontentloaded' });
      await page.getByLabel(label('Nome utente')).waitFor();
      await page.getByTestId('login-public-links').getByRole('link', { name: 'Verifica un avviso di pagamento' }).click();
      await page.getByRole('heading', { level: 1, name: 'Verifica un avviso di pagamento' }).waitFor();
      assert(new URL(page.url()).pathname === '/verifica-avviso', `unexpected URL ${page.url()}`);
      assert((await page.getByRole('button', { name: 'Esci' }).count()) === 0, 'a session in the citizen browser');
      assert((await page.getByLabel(label('Password')).count()) === 0, 'the login form is still shown');
      // Typed as printed, and in lower case: the page and the server take both.
      const res = await lookUp(page, target.printed, DEMO_DEBTOR.fiscal_code.toLowerCase(), label);
      assert(res.status() === 200, `lookup answered ${res.status()}`);
      const url = new URL(res.url());
      assert(url.pathname === `${PUBLIC_NOTICES_URL}/${target.notice}` && url.searchParams.get('fiscal_code') === DEMO_DEBTOR.fiscal_code, `lookup URL ${res.url()}`);
      const card = page.getByTestId('notice-result');
      await card.waitFor();
      assert((await card.count()) === 1, `${await card.count()} notices shown`);
      assert((await card.getAttribute('data-state')) === 'da_pagare', `state ${await card.getAttribute('data-state')}`);
      await card.getByTestId('notice-state').getByText('Da pagare', { exact: true }).waitFor();
      const data = (await card.getByTestId('notice-data').innerText()).replace(/\s+/g, ' ');
      for (const want of ['Comune di Cremona', euro(target.cents).replace('\u00a0', ' '), italianDate(target.due), 'Mensa scolastica'])
        assert(data.includes(want), `"${want}" not in ${data}`);
      assert((await card.getByRole('heading', { level: 2 }).innerText()).includes(target.printed), 'the notice number is not in groups of four');
      await card.getByRole('button', { name: 'Scarica l’avviso (PDF)' }).waitFor();
      assert((await card.getByTestId('notice-receipt').count()) === 0, 'a receipt shown for an unpaid notice');
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'pagamenti-verifica-avviso');
    });

    if (lookedUp) {
      await step(citizen.page, 'citizen: "Scarica l’avviso (PDF)" downloads the notice (application/pdf)', async () => {
        const page = citizen.page;
        const [res, download] = await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname === `${PUBLIC_NOTICES_URL}/${target.notice}/notice.pdf`),
          page.waitForEvent('download'),
          page.getByTestId('notice-result').getByRole('button', { name: 'Scarica l’avviso (PDF)' }).click(),
        ]);
        assert(res.status() === 200, `notice.pdf answered ${res.status()}`);
        assert(res.headers()['content-type'] === 'application/pdf', `content type ${res.headers()['content-type']}`);
        const q = new URL(res.url()).searchParams;
        assert(q.get('fiscal_code') === DEMO_DEBTOR.fiscal_code && !q.has('ente'), `query ${q}`);
        const saved = readFileSync(await download.path());
        assert(saved.subarray(0, 5).toString() === '%PDF-', `saved file: ${saved.length} bytes`);
        await page.getByRole('status').filter({ hasText: 'Avviso di pagamento scaricato.' }).waitFor();
      });
    }

    await step(citizen.page, 'citizen: malformed keys are named next to their fields; another fiscal code gets the neutral message', async () => {
      const page = citizen.page;
      const form = page.getByTestId('notice-lookup-form');
      let res = await lookUp(page, '3010 0000 0000', 'ABC123', label);
      assert(res.status() === 400, `malformed keys answered ${res.status()}`);
      const navErr = await fieldError(form.getByLabel(label('Numero avviso')));
      assert(/18 cifre/.test(navErr.text) && navErr.near, `notice number error: ${JSON.stringify(navErr)}`);
      const cfErr = await fieldError(form.getByLabel(label('Codice fiscale del debitore')));
      assert(/codice fiscale/i.test(cfErr.text) && cfErr.near, `fiscal code error: ${JSON.stringify(cfErr)}`);
      assert((await page.getByTestId('notice-result').count()) === 0, 'a notice shown for malformed keys');
      // Well-formed, but not the debtor of this notice: nothing says which key was wrong.
      res = await lookUp(page, target.printed, OTHER_FISCAL_CODE, label);
      assert(res.status() === 404, `another fiscal code answered ${res.status()}`);
      const msg = page.getByTestId('notice-not-found');
      await msg.waitFor();
      assert((await msg.innerText()).includes('Nessun avviso trovato con questi dati: controllare numero e codice fiscale'), `message: ${await msg.innerText()}`);
      assert((await page.getByTestId('notice-result').count()) === 0, 'a notice shown for another fiscal code');
      assert((await form.getByLabel(label('Numero avviso')).getAttribute('aria-invalid')) === null, 'the notice number marked invalid on a 404');
      assert((await page.getByRole('alert').count()) === 0, 'an error alert for a notice not found');
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'pagamenti-verifica-avviso-non-trovato');
    });

    if (!existsSync(CST_BIN)) {
      console.log(`skip citizen: payment through the node simulator (no ${CST_BIN}; set CST_BIN)`);
    } else {
      const receiptId = `E2E-CIT-${run}`;
      const paid = await step(citizen.page, 'citizen: paid through "cst payments simulate-node", the lookup shows "Pagato" and the receipt', async () => {
        const page = citizen.page;
        const sim = await simulateNode(BASE, target.notice, ['--receipt-id', receiptId]);
        assert(sim.code === 0, `simulate-node exited ${sim.code}: ${(sim.stdout + sim.stderr).trim().split('\n').slice(-2).join(' / ')}`);
        const res = await lookUp(page, target.printed, DEMO_DEBTOR.fiscal_code, label);
        assert(res.status() === 200, `lookup answered ${res.status()}`);
        const card = page.getByTestId('notice-result');
        await card.waitFor();
        assert((await card.getAttribute('data-state')) === 'pagato', `state ${await card.getAttribute('data-state')}`);
        await card.getByTestId('notice-state').getByText('Pagato', { exact: true }).waitFor();
        assert((await card.getByRole('button', { name: 'Scarica l’avviso (PDF)' }).count()) === 0, 'the notice PDF offered once paid');
        const receipt = card.getByTestId('notice-receipt');
        await receipt.waitFor();
        assert((await receipt.getAttribute('data-receipt')) === receiptId, `receipt ${await receipt.getAttribute('data-receipt')}`);
        const text = (await receipt.innerText()).replace(/\s+/g, ' ');
        for (const want of ['Data e ora del pagamento', euro(target.cents).replace('\u00a0', ' '), 'PSP simulato', receiptId])
          assert(text.includes(want), `"${want}" not in the receipt: ${text}`);
        assert(/\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}/.test(text), `no date and time in the receipt: ${text}`);
        const p = await pageProblems(page);
        assert(p.length === 0, p.join('; '));
        await shot(page, 'pagamenti-verifica-avviso-pagato');
      });

      if (paid) {
        await step(citizen.page, 'citizen: "Scarica la ricevuta (XML)" downloads the receipt, "Stampa" prints it alone', async () => {
          const page = citizen.page;
          const receipt = page.getByTestId('notice-receipt');
          const [res, download] = await Promise.all([
            page.waitForResponse((r) => new URL(r.url()).pathname === `${PUBLIC_NOTICES_URL}/${target.notice}/receipt.xml`),
            page.waitForEvent('download'),
            receipt.getByRole('button', { name: 'Scarica la ricevuta (XML)' }).click(),
          ]);
          assert(res.status() === 200 && /xml/.test(res.headers()['content-type'] ?? ''), `receipt.xml: ${res.status()} ${res.headers()['content-type']}`);
          const xml = readFileSync(await download.path()).toString();
          assert(xml.includes(receiptId) && xml.includes(target.notice), 'the receipt XML is not this payment');
          await page.getByRole('status').filter({ hasText: 'Ricevuta scaricata.' }).waitFor();
          // The print dialog is the browser's: keep it "open" (afterprint not sent yet) and look at
          // the page with the print style sheet meanwhile.
          await page.evaluate(() => {
            window.__printCalls = 0;
            window.print = () => {
              window.__printCalls += 1;
            };
          });
          await receipt.getByRole('button', { name: /^Stampa/ }).click();
          assert((await page.evaluate(() => window.__printCalls)) === 1, 'window.print not called');
          await page.emulateMedia({ media: 'print' });
          const printed = await page.evaluate(() => {
            const shown = (el) => !!el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
            return {
              marked: document.body.classList.contains('cst-printing'),
              receipt: shown(document.querySelector('.cst-print-area [data-testid="notice-receipt"]')),
              header: shown(document.querySelector('.it-header-wrapper')),
              footer: shown(document.querySelector('.it-footer')),
              form: shown(document.querySelector('[data-testid="notice-lookup-form"]')),
              buttons: [...document.querySelectorAll('.cst-print-area button')].some(shown),
              text: document.querySelector('.cst-print-area')?.innerText ?? '',
            };
          });
          await page.emulateMedia({ media: 'screen' });
          await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
          assert(printed.marked && printed.receipt, `the receipt is not what is printed: ${JSON.stringify(printed)}`);
          assert(!printed.header && !printed.footer && !printed.form && !printed.buttons, `more than the receipt printed: ${JSON.stringify(printed)}`);
          assert(printed.text.includes(receiptId) && /stampata il/.test(printed.text), `printed text: ${printed.text}`);
          assert(!(await page.evaluate(() => document.body.classList.contains('cst-printing'))), 'the print mark stays after printing');
          // The staff see the same receipt on the position.
          const list = await apiFrom(staff.page, 'GET', `/api/v1/payments/receipts?position_id=${target.id}`);
          assert(list.status === 200 && list.json.items.some((r) => r.receipt_id === receiptId), `receipts of the position: ${JSON.stringify(list.json)}`);
        });
      }
    }

    await step(citizen.page, `citizen: ${CITIZEN_USER} logs in and finds the notice under "I miei pagamenti", with its download`, async () => {
      const page = citizen.page;
      await logIn(page, BASE, CITIZEN_USER, DEMO_PASSWORD);
      const nav = page.getByRole('navigation', { name: 'Navigazione principale' });
      await nav.getByRole('link', { name: 'I miei pagamenti', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'I miei pagamenti' }).waitFor();
      const mine = page.getByTestId('my-payments');
      assert((await mine.getAttribute('data-fiscal-code')) === DEMO_DEBTOR.fiscal_code, `fiscal code ${await mine.getAttribute('data-fiscal-code')}`);
      await page.getByTestId('my-payments-summary').waitFor();
      const card = page.getByTestId('notice-result').filter({ hasText: target.printed });
      await card.waitFor();
      const state = await card.getAttribute('data-state');
      // Paid by the steps above when they ran; the card is in the section of its state.
      const section = state === 'da_pagare' ? 'my-payments-to-pay' : 'my-payments-others';
      assert((await page.getByTestId(section).getByTestId('notice-result').filter({ hasText: target.printed }).count()) === 1, `not in ${section}`);
      const [button, file] = state === 'da_pagare' ? ['Scarica l’avviso (PDF)', 'notice.pdf'] : ['Scarica la ricevuta (XML)', 'receipt.xml'];
      const [res] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/payments/mine/${target.notice}/${file}`),
        page.waitForEvent('download'),
        card.getByRole('button', { name: button }).click(),
      ]);
      assert(res.status() === 200, `${file} answered ${res.status()}`);
      assert(!new URL(res.url()).searchParams.has('fiscal_code'), 'the fiscal code travels in the address');
      await page.getByRole('status').filter({ hasText: 'scaricat' }).waitFor();
      // Another user's account has no notices of this debtor: the server decides, the API shows it.
      const other = await apiFrom(staff.page, 'GET', '/api/v1/payments/mine');
      assert(other.status === 200 && !other.json.items.some((n) => n.notice_number === target.notice), `the clerk sees ${JSON.stringify(other.json).slice(0, 200)}`);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'pagamenti-i-miei-pagamenti');
    });

    await step(citizen.page, 'citizen: no request left the server and no script error', async () => {
      for (const br of [staff, citizen]) {
        assert(br.foreign.length === 0, `requests to other hosts: ${br.foreign.slice(0, 5).join(', ')}`);
        assert(br.pageErrors.length === 0, `page errors: ${br.pageErrors.slice(0, 3).join(' | ')}`);
      }
    });
  } finally {
    for (const br of [staff, citizen]) await br.close();
  }
}

// reconciliationJourney, "Riconciliazione": Cremona's clerk (ente_operator) opens the tab; two fresh
// positions are paid through `cst payments simulate-node` (CST_BIN) with known receipt ids. The
// clerk uploads a reconciliation file (FlussoRiversamento 1.0.4, built here as a PSP publishes it:
// receiver 00297960197, IUV and IUR = the receipt's, amount) and reads the report: ACQUIRED, the
// row OK, the position REPORTED on its page. A flow with a wrong amount for the second payment is
// ANOMALOUS, its row highlighted with anomaly 007104, listed among the open anomalies, and the
// position stays PAID; a file that is not a flow is refused next to the file field. The accounting
// export (CSV) is downloaded for the settlement date. The auditor reads the flows without the
// upload form, and the API refuses an upload from them.

const FLOWS_URL = '/api/v1/payments/reconciliation/flows';

/** A reconciliation file as a PSP publishes it through the node (as fdr_test.cpp builds it). */
function fdrXml({ flowId, dateTime, settlement, rows }) {
  const cents = rows.reduce((sum, r) => sum + Math.round(Number(r.amount) * 100), 0);
  const total = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">' +
    `<versioneOggetto>1.0</versioneOggetto><identificativoFlusso>${flowId}</identificativoFlusso>` +
    `<dataOraFlusso>${dateTime}</dataOraFlusso>` +
    `<identificativoUnivocoRegolamento>TRN-${flowId.slice(10)}</identificativoUnivocoRegolamento>` +
    `<dataRegolamento>${settlement}</dataRegolamento>` +
    '<istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>' +
    '<codiceIdentificativoUnivoco>PSPXITMM</codiceIdentificativoUnivoco></identificativoUnivocoMittente>' +
    '<denominazioneMittente>Banca Esempio</denominazioneMittente></istitutoMittente>' +
    '<codiceBicBancaDiRiversamento>PSPXITMM</codiceBicBancaDiRiversamento>' +
    '<istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>' +
    `<codiceIdentificativoUnivoco>${SEED_FISCAL_CODE}</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>` +
    `<numeroTotalePagamenti>${rows.length}</numeroTotalePagamenti><importoTotalePagamenti>${total}</importoTotalePagamenti>` +
    rows
      .map(
        (r) =>
          `<datiSingoliPagamenti><identificativoUnivocoVersamento>${r.iuv}</identificativoUnivocoVersamento>` +
          `<identificativoUnivocoRiscossione>${r.iur}</identificativoUnivocoRiscossione>` +
          `<indiceDatiSingoloPagamento>${r.index ?? 1}</indiceDatiSingoloPagamento>` +
          `<singoloImportoPagato>${r.amount}</singoloImportoPagato>` +
          `<codiceEsitoSingoloPagamento>${r.code ?? '0'}</codiceEsitoSingoloPagamento>` +
          `<dataEsitoSingoloPagamento>${settlement}</dataEsitoSingoloPagamento></datiSingoliPagamenti>`,
      )
      .join('') +
    '</FlussoRiversamento>'
  );
}

/** Uploads `xml` through the form as `name`; resolves with the API's answer. */
async function uploadFlow(page, xml, label, name = 'flusso.xml') {
  const form = page.getByTestId('flow-upload-form');
  await form.getByLabel(label('File del flusso (XML)')).setInputFiles({ name, mimeType: 'application/xml', buffer: Buffer.from(xml) });
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === FLOWS_URL),
    form.getByRole('button', { name: 'Carica il flusso' }).click(),
  ]);
  return res;
}

export async function reconciliationJourney(h) {
  const { BASE, CLERK_USER, DEMO_PASSWORD } = h;
  const { step, assert, label, shot, openBrowser, logIn, gotoNav, pageProblems, apiFrom, fieldError, countFailure } = h;
  if (!existsSync(CST_BIN)) {
    console.log(`skip reconciliation: the payments need the node simulator (no ${CST_BIN}; set CST_BIN)`);
    return;
  }
  const clerk = await openBrowser(BASE);
  const auditor = await openBrowser(BASE);
  const run = Date.now().toString(36).toUpperCase();
  const now = new Date();
  const settlement = now.toISOString().slice(0, 10);
  const dateTime = now.toISOString().slice(0, 19);
  const good = { flowId: `${settlement}PSPXITMM-E2E${run}A`, receipt: `E2E-FDR-${run}-A`, cents: 5000 };
  const wrong = { flowId: `${settlement}PSPXITMM-E2E${run}B`, receipt: `E2E-FDR-${run}-B`, cents: 7000 };

  try {
    const ready = await step(clerk.page, `reconciliation: ${CLERK_USER} opens "Riconciliazione"; two positions are paid through the node simulator`, async () => {
      const page = clerk.page;
      await logIn(page, BASE, CLERK_USER, DEMO_PASSWORD);
      await gotoNav(page, 'Pagamenti online');
      await openTab(page, 'Riconciliazione');
      assert(new URL(page.url()).pathname === '/pagamenti/riconciliazione', `unexpected URL ${page.url()}`);
      await page.getByTestId('flow-upload-form').waitFor();
      await page.getByTestId('flow-export-form').getByTestId('flow-export-ente').filter({ hasText: `Cremona (${CREMONA})` }).waitFor();
      for (const pay of [good, wrong]) {
        const pos = await apiPublished(page, apiFrom, pay.receipt, pay.cents);
        pay.id = pos.id;
        pay.iuv = pos.options[0].iuv;
        const sim = await simulateNode(BASE, pos.options[0].notice_number, ['--receipt-id', pay.receipt]);
        assert(sim.code === 0, `simulate-node exited ${sim.code}: ${(sim.stdout + sim.stderr).trim().split('\n').slice(-2).join(' / ')}`);
        const after = await apiFrom(page, 'GET', `${POSITIONS_URL}/${pos.id}`);
        assert(after.json.status === 'PAID', `${pay.receipt} is ${after.json.status}`);
      }
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
    });
    if (!ready) return countFailure('reconciliation journey: no paid positions to reconcile; later reconciliation steps not run');

    await step(clerk.page, 'reconciliation: the flow of a payment is acquired, its row OK, the position REPORTED', async () => {
      const page = clerk.page;
      const xml = fdrXml({ flowId: good.flowId, dateTime, settlement, rows: [{ iuv: good.iuv, iur: good.receipt, amount: '50.00' }] });
      const res = await uploadFlow(page, xml, label);
      assert(res.status() === 201, `upload answered ${res.status()}: ${await res.text()}`);
      assert(res.request().headers()['content-type'] === 'application/xml', `content type ${res.request().headers()['content-type']}`);
      const report = page.getByTestId('flow-report');
      await report.waitFor();
      assert((await report.getAttribute('data-flow')) === good.flowId, `report of ${await report.getAttribute('data-flow')}`);
      assert((await report.getAttribute('data-state')) === 'ACQUIRED', `flow state ${await report.getAttribute('data-state')}`);
      await report.getByTestId('flow-state').getByText('Acquisito', { exact: true }).waitFor();
      assert((await report.getByTestId('flow-psp').innerText()).includes('Banca Esempio (PSPXITMM)'), 'PSP not shown');
      assert((await report.getByTestId('flow-settlement-date').innerText()).includes(italianDate(settlement)), 'settlement date not shown');
      const total = (await report.getByTestId('flow-total').innerText()).replace(/\s+/g, ' ');
      assert(total.includes('50,00 € dichiarati, 50,00 € calcolati') && !total.includes('Non corrispondono'), `totals: ${total}`);
      assert((await report.getByTestId('flow-reported').innerText()).trim() === '1', 'positions reported not 1');
      const row = report.getByTestId('flow-rows-table').locator(`tbody tr[data-iur="${good.receipt}"]`);
      assert((await row.getAttribute('data-state')) === 'OK' && (await row.getAttribute('data-anomaly')) === null, 'the row is not OK');
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      assert(text.includes(good.iuv) && text.includes('50,00 €') && /Riconciliato/.test(text) && /eseguito/.test(text), `row: ${text}`);
      await page.getByTestId('flows-table').locator(`tbody tr[data-flow="${good.flowId}"]`).waitFor();
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'pagamenti-riconciliazione');
      // The position's page: "Rendicontata", the report by the clerk last in the timeline.
      await row.getByRole('link', { name: /^Posizione/ }).click();
      await page.getByTestId('position-detail').waitFor();
      assert(new URL(page.url()).pathname === `/pagamenti/posizioni/${good.id}`, `unexpected URL ${page.url()}`);
      await page.getByTestId('position-status').getByText('Rendicontata', { exact: true }).waitFor();
      assert((await detailStatus(page)) === 'REPORTED', 'state not REPORTED');
      const last = page.getByTestId('position-timeline').locator('li').last();
      assert((await last.getAttribute('data-event')) === 'report' && (await last.innerText()).includes(CLERK_USER), 'no report event by the clerk');
    });

    await step(clerk.page, 'reconciliation: a flow with a wrong amount shows anomaly 007104, highlighted, and the position stays PAID', async () => {
      const page = clerk.page;
      await page.goto(`${BASE}/pagamenti/riconciliazione`, { waitUntil: 'domcontentloaded' });
      await page.getByTestId('flow-upload-form').waitFor();
      const xml = fdrXml({ flowId: wrong.flowId, dateTime, settlement, rows: [{ iuv: wrong.iuv, iur: wrong.receipt, amount: '69.00' }] });
      const res = await uploadFlow(page, xml, label);
      assert(res.status() === 201, `upload answered ${res.status()}: ${await res.text()}`);
      const report = page.getByTestId('flow-report');
      await report.and(page.locator(`[data-flow="${wrong.flowId}"]`)).waitFor();
      assert((await report.getAttribute('data-state')) === 'ANOMALOUS', `flow state ${await report.getAttribute('data-state')}`);
      await report.getByTestId('flow-state').getByText('Con anomalie', { exact: true }).waitFor();
      const row = report.getByTestId('flow-rows-table').locator(`tbody tr[data-iur="${wrong.receipt}"]`);
      assert((await row.getAttribute('data-state')) === 'ANOMALOUS' && (await row.getAttribute('data-anomaly')) === '007104', 'the row has no anomaly 007104');
      assert(/table-warning/.test((await row.getAttribute('class')) ?? ''), 'the anomalous row is not highlighted');
      const anomaly = (await row.getByTestId('flow-row-anomaly').innerText()).replace(/\s+/g, ' ');
      assert(anomaly.includes('007104') && anomaly.length > 12, `anomaly: ${anomaly}`);
      assert((await report.getByTestId('flow-reported').innerText()).trim() === '0', 'a position reported');
      // Among the open anomalies too.
      const open = page.getByTestId('anomalies-table').locator(`tbody tr[data-iur="${wrong.receipt}"]`);
      await open.waitFor();
      assert((await open.getAttribute('data-anomaly')) === '007104' && (await open.innerText()).includes(wrong.flowId), `open anomaly: ${await open.innerText()}`);
      const flowRow = page.getByTestId('flows-table').locator(`tbody tr[data-flow="${wrong.flowId}"]`);
      await flowRow.getByText('Con anomalie', { exact: true }).waitFor();
      const pos = await apiFrom(page, 'GET', `${POSITIONS_URL}/${wrong.id}`);
      assert(pos.json.status === 'PAID', `the position is ${pos.json.status}`);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'pagamenti-riconciliazione-anomalia');
      // The earlier report opens again from the list.
      await page.getByTestId('flows-table').locator(`tbody tr[data-flow="${good.flowId}"]`).getByRole('button', { name: /^Resoconto/ }).click();
      await page.getByTestId('flow-report').and(page.locator(`[data-flow="${good.flowId}"]`)).waitFor();
    });

    await step(clerk.page, 'reconciliation: a file that is not a reconciliation flow is refused next to the file field', async () => {
      const page = clerk.page;
      const res = await uploadFlow(page, '<?xml version="1.0"?><ricevuta>non è un flusso</ricevuta>', label, 'ricevuta.xml');
      assert(res.status() === 400, `upload answered ${res.status()}`);
      const err = await fieldError(page.getByTestId('flow-upload-form').getByLabel(label('File del flusso (XML)')));
      assert(err.text !== '' && err.near, `file error: ${JSON.stringify(err)}`);
      await page.getByTestId('flow-upload-form').getByRole('alert').waitFor();
    });

    await step(clerk.page, 'reconciliation: "Esporta per la contabilità (CSV)" downloads the settlement day\'s payments', async () => {
      const page = clerk.page;
      const form = page.getByTestId('flow-export-form');
      await form.getByLabel(label('Regolati dal')).fill(settlement);
      await form.getByLabel(label('Regolati fino al')).fill(settlement);
      const [res, download] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/payments/reconciliation/export.csv'),
        page.waitForEvent('download'),
        form.getByRole('button', { name: 'Esporta per la contabilità (CSV)' }).click(),
      ]);
      const q = new URL(res.url()).searchParams;
      assert(q.get('ente') === CREMONA && q.get('from') === settlement && q.get('to') === settlement, `query ${q}`);
      assert(res.status() === 200 && /text\/csv/.test(res.headers()['content-type'] ?? ''), `export: ${res.status()} ${res.headers()['content-type']}`);
      const csv = readFileSync(await download.path()).toString();
      assert(csv.includes('data_regolamento;identificativo_flusso;iuv;iur;'), `header: ${csv.slice(0, 80)}`);
      assert(csv.includes(`${settlement};${good.flowId};${good.iuv};${good.receipt};1;50,00;${OTHER_FISCAL_CODE};`) && csv.includes('riconciliato'), `no record of the good flow: ${csv.slice(0, 400)}`);
      assert(csv.includes(`;${wrong.receipt};1;69,00;`) && csv.includes('anomalia 007104'), 'no record of the anomalous row');
      await form.getByRole('status').filter({ hasText: 'scaricata' }).waitFor();
      // Dates the wrong way round: refused in the page.
      await form.getByLabel(label('Regolati dal')).fill('2030-01-02');
      await form.getByLabel(label('Regolati fino al')).fill('2030-01-01');
      await form.getByRole('button', { name: 'Esporta per la contabilità (CSV)' }).click();
      const err = await fieldError(form.getByLabel(label('Regolati fino al')));
      assert(/precedere/.test(err.text) && err.near, `dates error: ${JSON.stringify(err)}`);
    });

    await step(auditor.page, `reconciliation: ${AUDITOR_USER} (auditor) reads the flows without the upload form; the API refuses their upload`, async () => {
      const page = auditor.page;
      await logIn(page, BASE, AUDITOR_USER, DEMO_PASSWORD);
      await page.goto(`${BASE}/pagamenti/riconciliazione`, { waitUntil: 'domcontentloaded' });
      await page.getByRole('heading', { level: 2, name: 'Riconciliazione', exact: true }).waitFor();
      await page.getByTestId('flows-table').locator(`tbody tr[data-flow="${good.flowId}"]`).waitFor();
      assert((await page.getByTestId('flow-upload-form').count()) === 0, 'the upload form shown to an auditor');
      await page.getByTestId('flow-export-form').waitFor();
      const status = await page.evaluate(async ([url, body]) => {
        const csrf = document.cookie.split('; ').find((c) => c.startsWith('cst_csrf='))?.slice('cst_csrf='.length) ?? '';
        const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/xml', 'X-CSRF-Token': decodeURIComponent(csrf) }, body, credentials: 'same-origin' });
        return r.status;
      }, [FLOWS_URL, fdrXml({ flowId: `${settlement}PSPXITMM-E2E${run}C`, dateTime, settlement, rows: [{ iuv: good.iuv, iur: good.receipt, amount: '50.00' }] })]);
      assert(status === 403, `an auditor's upload answered ${status}`);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
    });

    await step(clerk.page, 'reconciliation: no request left the server and no script error', async () => {
      for (const br of [clerk, auditor]) {
        assert(br.foreign.length === 0, `requests to other hosts: ${br.foreign.slice(0, 5).join(', ')}`);
        assert(br.pageErrors.length === 0, `page errors: ${br.pageErrors.slice(0, 3).join(' | ')}`);
      }
    });
  } finally {
    for (const br of [clerk, auditor]) await br.close();
  }
}
