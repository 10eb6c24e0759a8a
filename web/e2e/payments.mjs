// End-to-end journey of the payments pages (/pagamenti, "Pagamenti online"), run by run.mjs inside
// the demo scenario, with run.mjs's helpers (one harness, one count of passed and failed steps).
//
// Cremona's referent (ente_admin) opens "Pagamenti online" and sees the demo's creditor
// configuration; adds an account whose IBAN has wrong check digits and sees the server's error on
// that row; corrects it, saves and still sees it after a reload. Cremona's clerk (ente_operator)
// reads it without any form; Crema's referent sees Crema's configuration only; a citizen has no
// "Pagamenti online" at all. The referent then removes the account again, leaving the demo's data
// as seeded (the API puts it back if a step failed half-way).

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
      assert(tabs.join('|') === 'Ente creditore', `tabs: ${tabs.join(', ')}`);
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
