// End-to-end journey of the preservation console (/conservazione, "Conservazione"), run by run.mjs
// inside the demo scenario after the protocol journey, with run.mjs's helpers (one harness, one
// count of passed and failed steps).
//
// preservationJourney: the demo administrator has the protocol's daily registers taken into
// preservation (the two jobs); Cremona's clerk (ente_operator) offers a documento informatico
// through the API (a text with a JSON attachment, dated 2012, of a document class of this run) and
// the same with a wrong hash, which is rejected. The clerk opens "Conservazione": the overview
// lists Cremona's volumes and the totals; "Versamenti" shows the accepted receipt with its package
// and the rejected one with its problem, and the receipt downloads as signed XML; "Pacchetti" finds
// the package by text and by a metadatum (a metadatum without its value asked for next to its
// field), not under another kind; its page lists the six files with their SHA-256, the document
// downloads with the same hash and the DIP verifies offline (`cst conservazione verify`, CST_BIN).
// Cremona's referent (ente_admin) runs "Verifica ora" and the run is listed; the clerk has no such
// button. With CST_DATA (the server's data directory) an object removed from every copy is found
// lost, in red, with its ticket. The referent gives the run's class 10 years (a refused value next
// to its field), proposes a scarto listing the package, withdraws it ("Annulla", the reason asked
// for next to its field), proposes it again and approves it; the administrator, after choosing
// Cremona in the console, records the Soprintendenza's authorisation (the reference asked for next
// to its field) and executes it after a confirmation: the package shows "Scartato". With nothing
// left due, "Proponi scarto" shows the server's message. Crema's referent gets "not found" at the
// package's address, a citizen has no "Conservazione", the auditor reads everything without any
// action.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CREMONA = '019036';
const SIPS_URL = '/api/v1/preservation/sips';
const OTHER_REFERENT_USER = process.env.CST_OTHER_REFERENT_USER || 'ref.crema';
const CITIZEN_USER = process.env.CST_CITIZEN_USER || 'cittadino.bianchi';
const AUDITOR_USER = process.env.CST_AUDITOR_USER || 'revisore';
const CST_BIN = process.env.CST_BIN || fileURLToPath(new URL('../../build/cst', import.meta.url));
/** The server's data directory, to damage its copies (the "lost object" step runs only with it). */
const CST_DATA = process.env.CST_DATA || '';
const NAV = 'Sezioni della conservazione';
const TABS = ['Panoramica', 'Versamenti', 'Pacchetti', 'Verifiche di integrità', 'Scarto'];

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/**
 * A documento informatico's SIP (docs/preservation.md, "Example: a documento informatico"): a text
 * as primary document and a JSON attachment, received in 2012 (so a retention of 10 years has
 * expired), of the document class `klass`.
 */
function diEnvelope({ run, title, klass, kind, primary, attachment, primarySha = sha256(primary) }) {
  const identifier = `DOC-E2E-${run}-${klass}`;
  return {
    ente: CREMONA,
    tipo: 'documento_informatico',
    classe_documentale: klass,
    titolo: title,
    documenti: [
      { nome: 'preventivo.txt', ruolo: 'principale', impronta: primarySha },
      { nome: 'computo.json', ruolo: 'allegato', impronta: sha256(attachment) },
    ],
    metadati: {
      IdDoc: { ImprontaCrittograficaDelDocumento: { Impronta: primarySha, Algoritmo: 'SHA-256' }, Identificativo: identifier },
      ModalitaDiFormazione:
        'acquisizione di un documento informatico per via telematica o su supporto informatico, acquisizione della copia per ' +
        'immagine su supporto informatico di un documento analogico, acquisizione della copia informatica di un documento analogico',
      TipologiaDocumentale: kind,
      DatiDiRegistrazione: {
        TipologiaDiFlusso: 'E',
        TipoRegistro: { Nessuno: { TipoRegistro: 'Nessuno', DataDocumento: '2012-03-15', NumeroDocumento: `P-${run}` } },
      },
      Soggetti: {
        Ruolo: [
          {
            TipoRuolo: 'Mittente',
            PG: {
              DenominazioneOrganizzazione: 'Edilizia Padana S.r.l.',
              CodiceFiscale_PartitaIva: '01234567890',
              IndirizziDigitaliDiRiferimento: ['edilizia.padana@pec.example.it'],
            },
          },
          {
            TipoRuolo: 'Destinatario',
            PAI: {
              IPAAmm: { Denominazione: 'Comune di Cremona', CodiceIPA: 'c_d150' },
              IPAAOO: { Denominazione: 'Area organizzativa omogenea del Comune di Cremona', CodiceIPA: 'AOO_CR' },
            },
          },
        ],
      },
      ChiaveDescrittiva: { Oggetto: title },
      Allegati: {
        NumeroAllegati: 1,
        IndiceAllegati: [
          {
            IdDoc: { ImprontaCrittograficaDelDocumento: { Impronta: sha256(attachment), Algoritmo: 'SHA-256' }, Identificativo: `${identifier}-1` },
            Descrizione: 'Computo metrico',
          },
        ],
      },
      Riservato: false,
      IdentificativoDelFormato: { Formato: 'text/plain' },
      Verifica: { FirmatoDigitalmente: false, SigillatoElettronicamente: false, MarcaturaTemporale: false, ConformitaCopieImmagineSuSupportoInformatico: false },
      NomeDelDocumento: 'preventivo.txt',
      VersioneDelDocumento: '1',
      TempoDiConservazione: 10,
    },
  };
}

/** Offers a SIP from `page`'s session (multipart: the envelope, then the documents); the status and the JSON answer. */
async function offerSip(page, envelope, files) {
  return page.evaluate(
    async ([url, env, parts]) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('cst_csrf='))?.slice('cst_csrf='.length) ?? '';
      const body = new FormData();
      // A part without a file name: the envelope.
      body.append('metadata', JSON.stringify(env));
      for (const p of parts) body.append('documento', new Blob([p.text], { type: p.type }), p.name);
      const res = await fetch(url, { method: 'POST', headers: { Accept: 'application/json', 'X-CSRF-Token': decodeURIComponent(csrf) }, credentials: 'same-origin', body });
      return { status: res.status, json: await res.json().catch(() => null) };
    },
    [SIPS_URL, envelope, files],
  );
}

async function tabNames(page) {
  const nav = page.getByRole('navigation', { name: NAV });
  await nav.waitFor();
  return (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
}

async function openTab(page, name) {
  await page.getByRole('navigation', { name: NAV }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 2, name, exact: true }).waitFor();
}

/** Runs a scheduled job now, as "Attività pianificate" does (the administrator's session). */
async function runJob(h, page, kind) {
  const jobs = await h.apiFrom(page, 'GET', '/api/v1/jobs');
  const job = (jobs.json?.items ?? []).find((j) => j.kind === kind);
  h.assert(job, `no job ${kind}`);
  const ran = await h.apiFrom(page, 'POST', `/api/v1/jobs/${job.id}/run`);
  h.assert(ran.status < 300, `run ${kind} answered ${ran.status}`);
}

/** Clicks a download button and returns the response and the saved bytes. */
async function downloadFrom(page, button, path) {
  const [res, file] = await Promise.all([
    page.waitForResponse((r) => path.test(new URL(r.url()).pathname)),
    page.waitForEvent('download'),
    button.click(),
  ]);
  return { res, name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

/** `cst conservazione verify <zip>`: its exit code and output. */
function verifyDip(zip) {
  return new Promise((resolve) => {
    execFile(CST_BIN, ['conservazione', 'verify', zip], { timeout: 60000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

/** The console's ente of a user with several: chosen in the panel's "Ente" field. */
async function chooseEnte(page, label, istat) {
  await page.locator('main').getByLabel(label('Ente')).selectOption(istat);
}

/** Fills the package search ({label: value}; "Tipo" by its option's text), presses Cerca and waits for the list. */
async function searchAips(page, h, filters) {
  const form = page.getByTestId('aips-filters');
  for (const [name, value] of Object.entries(filters)) {
    const field = form.getByLabel(h.label(name));
    if (name === 'Tipo') await field.selectOption({ label: value || 'Tutti i tipi' });
    else await field.fill(value);
  }
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === '/api/v1/preservation/aips'),
    form.getByRole('button', { name: 'Cerca' }).click(),
  ]);
  await page.locator('[data-testid="aips-table"], [data-testid="preservation-aips"] .callout, [data-testid="preservation-aips"] .alert-danger').first().waitFor();
  return res;
}

const listedAips = async (page) =>
  (await page.getByTestId('aips-table').count()) === 0 ? [] : page.getByTestId('aips-table').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.aip));

export async function preservationJourney(h) {
  const { BASE, ADMIN_USER, ADMIN_PASSWORD, ENTE_ADMIN_USER, ENTE_ADMIN_PASSWORD, CLERK_USER, DEMO_PASSWORD } = h;
  const { step, assert, label, shot, openBrowser, logIn, gotoNav, pageProblems, apiFrom, assertFocused, fieldError } = h;
  const admin = await openBrowser(BASE);
  const clerk = await openBrowser(BASE);
  const referent = await openBrowser(BASE);
  const other = await openBrowser(BASE);
  const citizen = await openBrowser(BASE);
  const auditor = await openBrowser(BASE);
  const run = Date.now().toString(36).toUpperCase();
  // Today in Italy (YYYY-MM-DD): an authorisation cannot be dated before the proposal.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const klass = `preventivi-e2e-${run.toLowerCase()}`;
  const kind = `Preventivo E2E ${run}`;
  const title = `Preventivo per la scuola primaria E2E ${run}`;
  const primary = `Preventivo per la manutenzione della scuola primaria (${run})\nImporto: 1.200,00 euro\n`;
  const attachment = JSON.stringify({ voci: [{ descrizione: 'Tinteggiatura', importo: 1200 }], run });
  let accepted = null; // the accepted receipt
  let rejected = null; // the rejected receipt
  let lost = null; // { aip, sha256 } of the package whose document is removed from every copy
  let disposalUrl = '';

  try {
    const offered = await step(clerk.page, `preservation: the daily registers are taken into preservation and ${CLERK_USER} offers a SIP (accepted) and one with a wrong hash (rejected)`, async () => {
      await logIn(admin.page, BASE, ADMIN_USER, ADMIN_PASSWORD);
      // The protocol's daily registers, then their intake (both idempotent).
      await runJob(h, admin.page, 'protocol.daily-register');
      await admin.page.waitForTimeout(1000);
      await runJob(h, admin.page, 'preservation.protocol-registers');

      await logIn(clerk.page, BASE, CLERK_USER, DEMO_PASSWORD);
      const files = [
        { name: 'preventivo.txt', type: 'text/plain', text: primary },
        { name: 'computo.json', type: 'application/json', text: attachment },
      ];
      const ok = await offerSip(clerk.page, diEnvelope({ run, title, klass, kind, primary, attachment }), files);
      assert(ok.status === 201 && ok.json?.outcome === 'accepted', `SIP answered ${ok.status}: ${JSON.stringify(ok.json).slice(0, 400)}`);
      accepted = ok.json;
      const bad = await offerSip(clerk.page, diEnvelope({ run, title: `${title} (rifiutato)`, klass, kind, primary, attachment, primarySha: sha256('altro') }), files);
      assert(bad.status === 422 && bad.json?.receipt?.outcome === 'rejected', `bad SIP answered ${bad.status}: ${JSON.stringify(bad.json).slice(0, 400)}`);
      rejected = bad.json.receipt;
      assert(rejected.problems.some((p) => p.field === 'documenti[0].impronta'), `problems: ${JSON.stringify(rejected.problems)}`);
      if (CST_DATA) {
        const text = `Documento da perdere (${run})\n`;
        const extra = JSON.stringify({ perdita: run });
        // Metadata without the run's code, which the search by text must find in one package only.
        const code = sha256(text).slice(0, 10).toUpperCase();
        const l = await offerSip(
          clerk.page,
          diEnvelope({ run: code, title: `Documento da perdere E2E ${code}`, klass: `perdita-e2e-${code.toLowerCase()}`, kind: `Perdita E2E ${code}`, primary: text, attachment: extra }),
          [
            { name: 'preventivo.txt', type: 'text/plain', text },
            { name: 'computo.json', type: 'application/json', text: extra },
          ],
        );
        assert(l.status === 201, `SIP to lose answered ${l.status}`);
        lost = { aip: l.json.aip_id, sha256: sha256(text) };
      }
    });
    if (!offered) throw new Error('no package to work on; later preservation steps not run');

    await step(clerk.page, `preservation: ${CLERK_USER} opens "Conservazione": "Panoramica" lists Cremona's volumes and the totals`, async () => {
      const page = clerk.page;
      await gotoNav(page, 'Conservazione');
      assert(new URL(page.url()).pathname === '/conservazione', `unexpected URL ${page.url()}`);
      const tabs = await tabNames(page);
      assert(tabs.join('|') === TABS.join('|'), `tabs: ${tabs.join(', ')}`);
      const table = page.getByTestId('summary-table');
      await table.or(page.getByTestId('preservation-summary').locator('.alert-danger')).first().waitFor();
      assert((await table.count()) === 1, `no overview: ${await page.getByTestId('preservation-summary').innerText()}`);
      const row = table.locator(`tbody tr[data-ente="${CREMONA}"]`);
      const cells = (await row.locator('th, td').allInnerTexts()).map((t) => t.trim());
      assert(cells[0] === `Cremona (${CREMONA})`, `row: ${cells.join(' | ')}`);
      assert(Number(cells[1].replace(/\./g, '')) >= 1 && Number(cells[5].replace(/\./g, '')) >= 1 && Number(cells[6].replace(/\./g, '')) >= 1, `row: ${cells.join(' | ')}`);
      assert(/\d(,\d)? (byte|kB|MB|GB)$/.test(cells[3]) && /\d(,\d)? (byte|kB|MB|GB)$/.test(cells[4]), `bytes not readable: ${cells.join(' | ')}`);
      assert(/\d{2}\/\d{2}\/\d{4}/.test(cells[7]), `last ingest: ${cells[7]}`);
      assert((await page.getByTestId('summary-totals').innerText()).startsWith('Totale'), 'no totals');
      assert(/in \d+ copie/.test(await page.getByTestId('summary-copies').innerText()), 'copies not said');
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'conservazione-panoramica');
    });

    await step(clerk.page, 'preservation: "Versamenti" shows the accepted receipt with its package and the rejected one with its problem; the receipt downloads as signed XML', async () => {
      const page = clerk.page;
      await openTab(page, 'Versamenti');
      await page.getByTestId('preservation-ente').filter({ hasText: `Cremona (${CREMONA})` }).waitFor();
      const ok = page.getByTestId('receipts-table').locator(`tbody tr[data-receipt="${accepted.id}"]`);
      await ok.waitFor();
      assert((await ok.getAttribute('data-outcome')) === 'accepted', 'accepted receipt not marked');
      await ok.locator('.badge', { hasText: 'Accettato' }).waitFor();
      await ok.getByRole('link', { name: `Pacchetto ${accepted.aip_id}` }).waitFor();
      assert((await ok.innerText()).includes(sha256(primary)), 'the hash of the document is not shown');
      const ko = page.getByTestId('receipts-table').locator(`tbody tr[data-receipt="${rejected.id}"]`);
      await ko.locator('.badge', { hasText: 'Rifiutato' }).waitFor();
      const problems = await ko.getByTestId('receipt-problems').innerText();
      assert(problems.includes('documenti[0].impronta'), `problems: ${problems}`);
      const { res, bytes } = await downloadFrom(page, ok.getByRole('button', { name: /^Rapporto \(XML\)/ }), new RegExp(`/sips/${accepted.id}/receipt\\.xml$`));
      assert(res.status() === 200 && res.headers()['content-type'].startsWith('application/xml'), `receipt.xml: ${res.status()} ${res.headers()['content-type']}`);
      const xml = bytes.toString('utf8');
      assert(xml.includes(accepted.aip_id) && xml.includes('Signature'), 'the receipt does not name the package or is not signed');
      await page.getByRole('status').filter({ hasText: 'Rapporto di versamento scaricato.' }).waitFor();
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'conservazione-versamenti');
    });

    await step(clerk.page, 'preservation: "Pacchetti" finds the package by text and by a metadatum (a metadatum without its value asked for next to its field), not under another kind', async () => {
      const page = clerk.page;
      await openTab(page, 'Pacchetti');
      await page.getByTestId('aips-table').or(page.getByTestId('preservation-aips').locator('.callout, .alert-danger')).first().waitFor();
      let res = await searchAips(page, h, { Testo: run });
      assert(res.status() === 200, `search by text answered ${res.status()}`);
      assert(new URL(res.url()).searchParams.get('q') === run, `q not sent: ${res.url()}`);
      let listed = await listedAips(page);
      assert(listed.length === 1 && listed[0] === accepted.aip_id, `by text: ${listed.join(', ')}`);
      assert(new URL(page.url()).searchParams.get('q') === run, `search not in the address: ${page.url()}`);
      // A path without its value is not a filter: asked for next to the value's field.
      const form = page.getByTestId('aips-filters');
      await form.getByLabel(label('Testo')).fill('');
      await form.getByLabel(label('Metadato')).fill('TipologiaDocumentale');
      await form.getByRole('button', { name: 'Cerca' }).click();
      const err = await fieldError(form.getByLabel(label('Valore del metadato')));
      assert(err.text !== '' && err.near, `no error next to the value: ${JSON.stringify(err)}`);
      res = await searchAips(page, h, { 'Valore del metadato': kind });
      assert(new URL(res.url()).searchParams.get('meta.TipologiaDocumentale') === kind, `metadatum not sent: ${res.url()}`);
      listed = await listedAips(page);
      assert(listed.length === 1 && listed[0] === accepted.aip_id, `by metadatum: ${listed.join(', ')}`);
      await searchAips(page, h, { Metadato: '', 'Valore del metadato': '', Testo: run, Tipo: 'Documento amministrativo informatico' });
      assert((await listedAips(page)).length === 0, 'found under another kind');
      await searchAips(page, h, { Tipo: '', 'Classe documentale': klass });
      listed = await listedAips(page);
      assert(listed.length === 1 && listed[0] === accepted.aip_id, `by class: ${listed.join(', ')}`);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'conservazione-pacchetti');
    });

    await step(clerk.page, "preservation: the package's page lists its files with their SHA-256; the document downloads with its hash and the DIP verifies offline", async () => {
      const page = clerk.page;
      await page.getByTestId('aips-table').getByRole('link', { name: title }).click();
      await page.getByTestId('aip-detail').waitFor();
      assert(new URL(page.url()).pathname === `/conservazione/pacchetti/${accepted.aip_id}`, `unexpected URL ${page.url()}`);
      await page.getByRole('heading', { level: 2, name: title }).waitFor();
      const rows = page.getByTestId('aip-files').locator('tbody tr');
      const roles = await rows.evaluateAll((rs) => rs.map((r) => r.dataset.role));
      assert(roles.join('|') === 'principale|allegato|metadati|indice|firma|marca_temporale', `files: ${roles.join(', ')}`);
      assert((await rows.nth(0).getAttribute('data-sha256')) === sha256(primary), 'the primary document has another hash');
      assert((await rows.nth(1).getAttribute('data-sha256')) === sha256(attachment), 'the attachment has another hash');
      const doc = await downloadFrom(page, rows.nth(0).getByRole('button', { name: /^Scarica/ }), new RegExp(`/aips/${accepted.aip_id}/files/0$`));
      assert(doc.res.status() === 200, `file 0 answered ${doc.res.status()}`);
      assert(sha256(doc.bytes) === sha256(primary), 'the downloaded document has another hash');
      await page.getByRole('status').filter({ hasText: 'scaricato' }).waitFor();
      const dip = await downloadFrom(page, page.getByRole('button', { name: 'Scarica il DIP (zip)' }), new RegExp(`/aips/${accepted.aip_id}/dip$`));
      assert(dip.res.status() === 200 && dip.bytes.subarray(0, 2).toString() === 'PK', `DIP: ${dip.res.status()}`);
      assert(dip.name === `dip-${accepted.aip_id}.zip`, `DIP saved as ${dip.name}`);
      if (existsSync(CST_BIN)) {
        const zip = join(tmpdir(), `cst-e2e-dip-${run}.zip`);
        writeFileSync(zip, dip.bytes);
        const v = await verifyDip(zip);
        rmSync(zip, { force: true });
        assert(v.code === 0, `cst conservazione verify exited ${v.code}: ${v.output.slice(0, 400)}`);
      } else console.log(`  (DIP not verified offline: no ${CST_BIN}; set CST_BIN)`);
      const data = (await page.getByTestId('aip-data').innerText()).replace(/\s+/g, ' ');
      assert(data.includes(klass) && data.includes('Documento informatico') && data.includes('non qualificata'), `data: ${data}`);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'conservazione-pacchetto');
      await page.getByRole('link', { name: 'Torna alla ricerca dei pacchetti' }).click();
      await page.getByTestId('aips-filters').waitFor();
      assert(new URL(page.url()).searchParams.get('classe') === klass, `search not kept: ${page.url()}`);
    });

    await step(referent.page, `preservation: ${ENTE_ADMIN_USER} (ente_admin) runs "Verifica ora" and the run is listed; ${CLERK_USER} has no such button`, async () => {
      const page = referent.page;
      await logIn(page, BASE, ENTE_ADMIN_USER, ENTE_ADMIN_PASSWORD);
      await page.goto(`${BASE}/conservazione/verifiche`, { waitUntil: 'domcontentloaded' });
      await page.getByTestId('audit-status').waitFor();
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/preservation/audits', { timeout: 60000 }),
        page.getByRole('button', { name: 'Verifica ora' }).click(),
      ]);
      assert(res.status() === 201, `POST audits answered ${res.status()}: ${await res.text()}`);
      const report = await res.json();
      assert(res.request().postDataJSON().ente === CREMONA, `audit body: ${res.request().postData()}`);
      await page.getByRole('status').filter({ hasText: 'Verifica completata' }).waitFor();
      const first = page.getByTestId('audits-table').locator('tbody tr').first();
      assert((await first.getAttribute('data-audit')) === String(report.id), 'the run is not listed first');
      const text = await first.innerText();
      assert(text.includes('Su richiesta') && text.includes(ENTE_ADMIN_USER), `run: ${text}`);
      // Objects lost by an earlier run on the same data stay lost: only this run's are counted.
      assert(report.objects >= 2 && report.intact >= 2, `report: ${JSON.stringify(report).slice(0, 300)}`);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'conservazione-verifiche');

      await clerk.page.goto(`${BASE}/conservazione/verifiche`, { waitUntil: 'domcontentloaded' });
      await clerk.page.getByTestId('audit-status').waitFor();
      await clerk.page.getByTestId('audits-table').waitFor();
      assert((await clerk.page.getByRole('button', { name: 'Verifica ora' }).count()) === 0, '"Verifica ora" offered to an operator');
    });

    if (lost) {
      await step(referent.page, 'preservation: an object removed from every copy is found lost, shown in red with its ticket', async () => {
        const page = referent.page;
        for (const copy of ['copia-1', 'copia-2', 'copia-3']) {
          rmSync(join(CST_DATA, 'conservazione', copy, 'objects', lost.sha256.slice(0, 2), lost.sha256.slice(2, 4), lost.sha256), { force: true });
        }
        const [res] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/preservation/audits', { timeout: 60000 }),
          page.getByRole('button', { name: 'Verifica ora' }).click(),
        ]);
        assert(res.status() === 201, `POST audits answered ${res.status()}`);
        await page.getByRole('status').filter({ hasText: /\d+ pers[oi] \(segnalat/ }).waitFor();
        const row = page.getByTestId('audit-findings').locator(`tbody tr[data-sha256="${lost.sha256}"][data-outcome="lost"]`).first();
        await row.waitFor();
        assert((await row.getAttribute('class'))?.includes('table-danger'), 'the lost object is not in red');
        const ticket = row.getByRole('link', { name: /^n\. \d+/ });
        const href = await ticket.getAttribute('href');
        assert(/^\/assistenza\/\d+$/.test(href ?? ''), `ticket link: ${href}`);
        await page.getByTestId('audit-lost-alert').waitFor();
        const p = await pageProblems(page);
        assert(p.length === 0, p.join('; '));
        await shot(page, 'conservazione-oggetto-perso');
      });
    } else console.log('  (lost object not tried: set CST_DATA to the server\'s data directory)');

    const retained = await step(referent.page, `preservation: ${ENTE_ADMIN_USER} gives the class 10 years (a refused value next to its field), proposes a scarto listing the package and withdraws it`, async () => {
      const page = referent.page;
      await page.goto(`${BASE}/conservazione/scarto`, { waitUntil: 'domcontentloaded' });
      await page.getByTestId('retention').locator('[data-testid="retention-table"], [data-testid="retention-empty"]').first().waitFor();
      await page.getByRole('button', { name: 'Modifica i tempi di conservazione' }).click();
      const form = page.getByTestId('retention-form');
      await form.getByRole('button', { name: 'Aggiungi una classe' }).click();
      const row = form.getByTestId('retention-rows-row').last();
      await assertFocused(row.getByLabel(label('Classe documentale')), 'focus not on the new row');
      await row.getByLabel(label('Classe documentale')).fill(klass);
      await row.getByLabel(label('Anni')).fill('0');
      await row.getByLabel(label('Nota')).fill(`Prova E2E ${run}`);
      const save = () =>
        Promise.all([
          page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === '/api/v1/preservation/retention'),
          form.getByRole('button', { name: 'Salva i tempi di conservazione' }).click(),
        ]).then(([r]) => r);
      const refused = await save();
      assert(refused.status() === 400 || refused.status() === 422, `PUT retention with 0 years answered ${refused.status()}`);
      const err = await fieldError(row.getByLabel(label('Anni')));
      assert(err.text !== '' && err.near, `no error next to the years: ${JSON.stringify(err)}`);
      await row.getByLabel(label('Anni')).fill('10');
      const put = await save();
      assert(put.status() === 200, `PUT retention answered ${put.status()}: ${await put.text()}`);
      const sent = put.request().postDataJSON();
      assert(sent.ente === CREMONA && sent.rules.some((r) => r.document_class === klass && r.years === 10), `PUT body: ${JSON.stringify(sent)}`);
      await page.getByRole('status').filter({ hasText: 'Tempi di conservazione salvati.' }).waitFor();
      const saved = page.getByTestId('retention-table').locator(`tbody tr[data-class="${klass}"]`);
      assert((await saved.innerText()).includes('10 anni'), `retention row: ${await saved.innerText()}`);
      // Now due: listed among the packages to propose.
      const due = page.getByTestId('disposal-due-table').locator(`tbody tr[data-aip="${accepted.aip_id}"]`);
      await due.waitFor();
      assert((await due.innerText()).includes('da proporre'), `due: ${await due.innerText()}`);
      const shown = await pageProblems(page);
      assert(shown.length === 0, shown.join('; '));
      await shot(page, 'conservazione-scarto');

      await page.getByRole('button', { name: 'Proponi scarto' }).click();
      const propose = page.getByTestId('propose-disposal-form');
      await propose.getByLabel(label('Motivo dello scarto')).fill(`Scarto di prova E2E ${run}`);
      const [post] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/preservation/disposals'),
        propose.getByRole('button', { name: 'Proponi lo scarto' }).click(),
      ]);
      assert(post.status() === 201, `POST disposals answered ${post.status()}: ${await post.text()}`);
      await page.getByTestId('disposal-detail').waitFor();
      await page.getByRole('status').filter({ hasText: 'Scarto proposto' }).waitFor();
      assert((await page.getByTestId('disposal-detail').getAttribute('data-state')) === 'proposed', 'not proposed');
      const item = page.getByTestId('disposal-items').locator(`tbody tr[data-aip="${accepted.aip_id}"]`);
      const itemText = await item.innerText();
      assert(itemText.includes(klass) && itemText.includes('15/03/2012') && itemText.includes('10 anni') && itemText.includes('15/03/2022'), `item: ${itemText}`);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'conservazione-scarto-proposto');

      await page.getByTestId('disposal-actions').getByRole('button', { name: 'Annulla', exact: true }).click();
      const cancel = page.getByTestId('cancel-disposal-form');
      await cancel.getByRole('button', { name: "Conferma l'annullamento" }).click();
      const why = await fieldError(cancel.getByLabel(label("Motivo dell'annullamento")));
      assert(why.text !== '' && why.near, `no error next to the reason: ${JSON.stringify(why)}`);
      await cancel.getByLabel(label("Motivo dell'annullamento")).fill('Proposta da rivedere');
      await cancel.getByRole('button', { name: "Conferma l'annullamento" }).click();
      await page.getByRole('status').filter({ hasText: 'Procedura di scarto annullata' }).waitFor();
      assert((await page.getByTestId('disposal-detail').getAttribute('data-state')) === 'cancelled', 'not cancelled');
      assert((await page.getByTestId('disposal-actions').count()) === 0, 'actions offered on a cancelled scarto');
    });

    const approved = retained && (await step(referent.page, `preservation: proposed again, ${ENTE_ADMIN_USER} approves it; ${CLERK_USER} reads it without actions`, async () => {
      const page = referent.page;
      await page.getByRole('link', { name: 'Torna allo scarto' }).click();
      await page.getByTestId('disposals-table').waitFor();
      await page.getByRole('button', { name: 'Proponi scarto' }).click();
      const propose = page.getByTestId('propose-disposal-form');
      await propose.getByLabel(label('Motivo dello scarto')).fill(`Scarto annuale E2E ${run}`);
      await propose.getByRole('button', { name: 'Proponi lo scarto' }).click();
      await page.getByTestId('disposal-detail').waitFor();
      disposalUrl = new URL(page.url()).pathname;
      assert(/^\/conservazione\/scarto\/[^/]+$/.test(disposalUrl), `unexpected URL ${page.url()}`);
      assert((await page.getByTestId('disposal-items').locator(`tbody tr[data-aip="${accepted.aip_id}"]`).count()) === 1, 'the package is not listed');
      const actions = page.getByTestId('disposal-actions');
      assert((await actions.getByRole('button', { name: 'Registra autorizzazione' }).count()) === 0, 'authorisation offered to the referent');
      await actions.getByRole('button', { name: 'Approva', exact: true }).click();
      const form = page.getByTestId('approve-disposal-form');
      await form.getByLabel(label("Nota dell'approvazione")).fill(`Determina E2E ${run}`);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && /\/disposals\/[^/]+\/approve$/.test(new URL(r.url()).pathname)),
        form.getByRole('button', { name: "Conferma l'approvazione" }).click(),
      ]);
      assert(res.status() === 200, `approve answered ${res.status()}: ${await res.text()}`);
      await page.getByRole('status').filter({ hasText: 'Scarto approvato' }).waitFor();
      assert((await page.getByTestId('disposal-detail').getAttribute('data-state')) === 'approved', 'not approved');
      const approval = await page.getByTestId('disposal-approval').innerText();
      assert(approval.includes(ENTE_ADMIN_USER) && approval.includes(`Determina E2E ${run}`), `approval: ${approval}`);
      assert((await page.getByRole('button', { name: 'Esegui scarto' }).count()) === 0, 'execution offered to the referent');

      await clerk.page.goto(BASE + disposalUrl, { waitUntil: 'domcontentloaded' });
      await clerk.page.getByTestId('disposal-detail').waitFor();
      assert((await clerk.page.getByTestId('disposal-actions').count()) === 0, 'disposal actions offered to an operator');
      await clerk.page.goto(`${BASE}/conservazione/scarto`, { waitUntil: 'domcontentloaded' });
      await clerk.page.getByTestId('disposals-table').waitFor();
      assert((await clerk.page.getByRole('button', { name: 'Proponi scarto' }).count()) === 0, '"Proponi scarto" offered to an operator');
      assert((await clerk.page.getByRole('button', { name: 'Modifica i tempi di conservazione' }).count()) === 0, 'the retention form offered to an operator');
    }));

    const executed = approved && (await step(admin.page, `preservation: ${ADMIN_USER} chooses Cremona, records the authorisation (the reference asked for next to its field) and executes the scarto after a confirmation; the package shows "Scartato"`, async () => {
      const page = admin.page;
      // The administrator sees every ente: the console asks which, and keeps it across its sections.
      await page.goto(`${BASE}/conservazione/versamenti`, { waitUntil: 'domcontentloaded' });
      await page.getByText("Scegli l'ente di cui vedere i versamenti.").waitFor();
      await chooseEnte(page, label, CREMONA);
      await page.getByTestId('receipts-table').locator(`tbody tr[data-receipt="${accepted.id}"]`).waitFor();
      await openTab(page, 'Scarto');
      assert((await page.locator('main').getByLabel(label('Ente')).inputValue()) === CREMONA, 'the ente not kept across the sections');
      await page.getByTestId('disposals-table').locator(`tbody tr[data-disposal="${disposalUrl.split('/').pop()}"]`).getByRole('link').click();
      await page.getByTestId('disposal-detail').waitFor();
      assert((await page.getByRole('button', { name: 'Approva', exact: true }).count()) === 0, 'approval offered to the CST');
      await page.getByRole('button', { name: 'Registra autorizzazione' }).click();
      const form = page.getByTestId('authorisation-form');
      await form.getByLabel(label('Autorità che ha autorizzato')).fill('Soprintendenza archivistica e bibliografica della Lombardia');
      // An act dated before the proposal: the server refuses the date, next to its field.
      const dateField = form.getByLabel(label("Data dell'autorizzazione"));
      await dateField.fill('2020-01-10');
      await form.getByRole('button', { name: "Registra l'autorizzazione" }).click();
      const reference = form.getByLabel(label("Estremi dell'autorizzazione"));
      const err = await fieldError(reference);
      assert(err.text !== '' && err.near, `no error next to the reference: ${JSON.stringify(err)}`);
      await assertFocused(reference, 'focus not on the reference');
      await reference.fill(`Prot. n. ${run}`);
      const authorise = () =>
        Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST' && /\/disposals\/[^/]+\/authorisation$/.test(new URL(r.url()).pathname)),
          form.getByRole('button', { name: "Registra l'autorizzazione" }).click(),
        ]).then(([r]) => r);
      const early = await authorise();
      assert(early.status() === 400 || early.status() === 422, `authorisation dated 2020 answered ${early.status()}`);
      const dateErr = await fieldError(dateField);
      assert(dateErr.text !== '' && dateErr.near, `no error next to the date: ${JSON.stringify(dateErr)}`);
      await dateField.fill(today);
      const res = await authorise();
      assert(res.status() === 200, `authorisation answered ${res.status()}: ${await res.text()}`);
      assert(res.request().postDataJSON().date === today, `authorisation body: ${res.request().postData()}`);
      await page.getByRole('status').filter({ hasText: 'Autorizzazione registrata' }).waitFor();
      const auth = await page.getByTestId('disposal-authorisation').innerText();
      const [y, m, d] = today.split('-');
      assert(auth.includes('Soprintendenza archivistica') && auth.includes(`Prot. n. ${run}`) && auth.includes(`${d}/${m}/${y}`), `authorisation: ${auth}`);

      await page.getByRole('button', { name: 'Esegui scarto' }).click();
      const confirm = page.getByTestId('inline-confirm');
      await confirm.waitFor();
      assert((await confirm.innerText()).includes('definitivamente'), 'the confirmation does not say it is final');
      const [done] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && /\/disposals\/[^/]+\/execute$/.test(new URL(r.url()).pathname), { timeout: 60000 }),
        confirm.getByRole('button', { name: 'Esegui lo scarto' }).click(),
      ]);
      assert(done.status() === 200, `execute answered ${done.status()}: ${await done.text()}`);
      await page.getByRole('status').filter({ hasText: 'Scarto eseguito' }).waitFor();
      assert((await page.getByTestId('disposal-detail').getAttribute('data-state')) === 'executed', 'not executed');
      assert((await page.getByTestId('disposal-execution').innerText()).includes(ADMIN_USER), 'who executed it is not said');
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'conservazione-scarto-eseguito');

      await page.getByTestId('disposal-items').getByRole('link', { name: title }).click();
      await page.getByTestId('aip-detail').waitFor();
      assert((await page.getByTestId('aip-detail').getAttribute('data-disposed')) === 'true', 'the package is not marked disposed');
      await page.getByTestId('aip-disposal').waitFor();
      assert((await page.getByRole('button', { name: 'Scarica il DIP (zip)' }).count()) === 0, 'the DIP offered for a disposed package');
      assert((await page.getByTestId('aip-files').getByRole('button', { name: /^Scarica/ }).count()) === 0, 'files offered for a disposed package');
      const gone = await apiFrom(page, 'GET', `/api/v1/preservation/aips/${accepted.aip_id}/files/0`);
      assert(gone.status >= 400, `a disposed document still answers ${gone.status}`);
      await shot(page, 'conservazione-pacchetto-scartato');
    }));

    if (executed) {
      await step(referent.page, 'preservation: with nothing left due, "Proponi scarto" shows the server\'s message', async () => {
        const page = referent.page;
        await page.goto(`${BASE}/conservazione/scarto`, { waitUntil: 'domcontentloaded' });
        await page.getByRole('button', { name: 'Proponi scarto' }).click();
        const propose = page.getByTestId('propose-disposal-form');
        await propose.getByLabel(label('Motivo dello scarto')).fill('Niente da scartare');
        const [res] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/preservation/disposals'),
          propose.getByRole('button', { name: 'Proponi lo scarto' }).click(),
        ]);
        assert(res.status() === 422, `POST disposals with nothing due answered ${res.status()}`);
        const body = await res.json();
        const alert = propose.getByRole('alert');
        await alert.waitFor();
        const shown = await alert.innerText();
        assert(shown.includes(body.detail || body.title), `alert: ${shown} (server: ${body.detail})`);
        assert(new URL(page.url()).pathname === '/conservazione/scarto', 'left the list');
      });
    }

    await step(other.page, `preservation: ${OTHER_REFERENT_USER} (Crema's referent) cannot open Cremona's package`, async () => {
      const page = other.page;
      await logIn(page, BASE, OTHER_REFERENT_USER, DEMO_PASSWORD);
      await page.goto(`${BASE}/conservazione/pacchetti/${accepted.aip_id}`, { waitUntil: 'domcontentloaded' });
      await page.getByTestId('preservation-aips').or(page.getByRole('link', { name: 'Torna alla ricerca dei pacchetti' })).first().waitFor();
      await page.locator('main .alert-danger').waitFor();
      assert((await page.getByTestId('aip-detail').count()) === 0, 'a package shown');
      assert(!(await page.locator('main').innerText()).includes(title), "Cremona's package shown to Crema");
      const get = await apiFrom(page, 'GET', `/api/v1/preservation/aips/${accepted.aip_id}`);
      assert(get.status === 404, `GET by Crema's referent answered ${get.status}`);
    });

    await step(citizen.page, `preservation: ${CITIZEN_USER} (citizen) has no "Conservazione"`, async () => {
      const page = citizen.page;
      await logIn(page, BASE, CITIZEN_USER, DEMO_PASSWORD);
      const nav = page.getByRole('navigation', { name: 'Navigazione principale' });
      await nav.getByRole('link', { name: 'Call center unico', exact: true }).waitFor();
      assert((await nav.getByRole('link', { name: 'Conservazione', exact: true }).count()) === 0, '"Conservazione" offered to a citizen');
      await page.goto(`${BASE}/conservazione`, { waitUntil: 'domcontentloaded' });
      await page.getByText('questa pagina non è disponibile per il tuo ruolo').waitFor();
      assert((await page.getByTestId('preservation-nav').count()) === 0, 'the sections offered to a citizen');
    });

    await step(auditor.page, `preservation: ${AUDITOR_USER} (auditor) reads every section without any action`, async () => {
      const page = auditor.page;
      await logIn(page, BASE, AUDITOR_USER, DEMO_PASSWORD);
      await gotoNav(page, 'Conservazione');
      const tabs = await tabNames(page);
      assert(tabs.join('|') === TABS.join('|'), `tabs: ${tabs.join(', ')}`);
      await openTab(page, 'Verifiche di integrità');
      await chooseEnte(page, label, CREMONA);
      await page.getByTestId('audit-status').waitFor();
      assert((await page.getByRole('button', { name: 'Verifica ora' }).count()) === 0, '"Verifica ora" offered to an auditor');
      await openTab(page, 'Scarto');
      await page.getByTestId('retention-table').waitFor();
      for (const b of ['Modifica i tempi di conservazione', 'Proponi scarto'])
        assert((await page.getByRole('button', { name: b }).count()) === 0, `"${b}" offered to an auditor`);
      if (disposalUrl) {
        await page.goto(BASE + disposalUrl, { waitUntil: 'domcontentloaded' });
        await page.getByTestId('disposal-detail').waitFor();
        assert((await page.getByTestId('disposal-actions').count()) === 0, 'disposal actions offered to an auditor');
      }
      await page.goto(`${BASE}/conservazione/pacchetti/${accepted.aip_id}`, { waitUntil: 'domcontentloaded' });
      await page.getByTestId('aip-detail').waitFor();
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      const post = await apiFrom(page, 'POST', '/api/v1/preservation/audits', { ente: CREMONA });
      assert(post.status === 403, `an auditor's audit answered ${post.status}`);
    });

    await step(clerk.page, 'preservation: no request left the server and no script error', async () => {
      for (const br of [admin, clerk, referent, other, citizen, auditor]) {
        assert(br.foreign.length === 0, `requests to other hosts: ${br.foreign.slice(0, 5).join(', ')}`);
        assert(br.pageErrors.length === 0, `page errors: ${br.pageErrors.slice(0, 3).join(' | ')}`);
      }
    });
  } finally {
    for (const br of [admin, clerk, referent, other, citizen, auditor]) await br.close();
  }
}
