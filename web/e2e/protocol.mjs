// End-to-end journey of the protocol pages (/protocollo, "Protocollo informatico"), run by run.mjs
// inside the demo scenario after the payments journeys, with run.mjs's helpers (one harness, one
// count of passed and failed steps).
//
// protocolJourney: Cremona's clerk (ente_operator) opens "Protocollo informatico", reads the AOO
// and the titolario without their forms and opens a fascicolo under 6.3; registers an incoming
// document from a person (class 6.3, the fascicolo, a primary PDF and one attachment with its
// description): a wrong fiscal code is refused next to its field and nothing is registered; once
// corrected (the files already uploaded are not sent again) the detail shows the seven-digit
// number, the sender and both documents with their SHA-256, and the segnatura downloads as
// application/xml naming the number; an infected primary file is refused next to its field; the
// search by text finds the registration. Cremona's referent (ente_admin) annuls it: the
// authorisation left empty is asked for next to its field; then the detail shows "Annullata" with
// the reason, the authorisation, who and when, the original subject and documents still there, and
// the list marks it; the referent has a PEC that is not an address refused next to its field,
// saves the AOO with the demo's PEC and gets a class code already in the titolario refused next to
// its field. Crema's referent gets "not found" at its address; a citizen has no
// "Protocollo informatico"; the auditor reads the registration without the annulment and without
// "Nuova registrazione".

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const CREMONA = '019036';
// The PEC the demo gives Cremona's AOO (src/modules/protocol/module.cpp).
const DEMO_PEC = 'protocollo@pec.comune-cremona.example';
const REGISTRATIONS_URL = '/api/v1/protocol/registrations';
const OTHER_REFERENT_USER = process.env.CST_OTHER_REFERENT_USER || 'ref.crema';
const CITIZEN_USER = process.env.CST_CITIZEN_USER || 'cittadino.bianchi';
const AUDITOR_USER = process.env.CST_AUDITOR_USER || 'revisore';
const GOOD_FISCAL_CODE = 'RSSMRA85T10A562S';
/** The same with a wrong check letter. */
const BAD_FISCAL_CODE = 'RSSMRA85T10A562X';
/** The EICAR test string: every antivirus reports it, and it is harmless. */
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

async function tabNames(page) {
  const nav = page.getByRole('navigation', { name: 'Sezioni del protocollo informatico' });
  await nav.waitFor();
  return (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
}

async function openTab(page, name) {
  await page.getByRole('navigation', { name: 'Sezioni del protocollo informatico' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 2, name, exact: true }).waitFor();
}

/** Fills the register's filters ({label: value}; "Flusso" and "Stato" by their option's text), presses Cerca and waits for the list. */
async function searchRegister(page, filters, label) {
  const form = page.getByTestId('registrations-filters');
  for (const [name, value] of Object.entries(filters)) {
    const field = form.getByLabel(label(name));
    if (name === 'Stato') await field.selectOption({ label: value || 'Tutti gli stati' });
    else if (name === 'Flusso') await field.selectOption({ label: value || 'Tutti i flussi' });
    else await field.fill(value);
  }
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === REGISTRATIONS_URL),
    form.getByRole('button', { name: 'Cerca' }).click(),
  ]);
  await page.locator('[data-testid="registrations-table"], [data-testid="protocol-register"] .callout, [data-testid="protocol-register"] .alert-danger').first().waitFor();
  return res;
}

const listedNumbers = async (page) =>
  (await page.getByTestId('registrations-table').count()) === 0
    ? []
    : page.getByTestId('registrations-table').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.number));

export async function protocolJourney(h) {
  const { BASE, ADMIN_USER, ADMIN_PASSWORD, ENTE_ADMIN_USER, ENTE_ADMIN_PASSWORD, CLERK_USER, DEMO_PASSWORD } = h;
  const { step, assert, label, shot, openBrowser, logIn, gotoNav, pageProblems, apiFrom, assertFocused, fieldError, countFailure } = h;
  const clerk = await openBrowser(BASE);
  const referent = await openBrowser(BASE);
  const other = await openBrowser(BASE);
  const citizen = await openBrowser(BASE);
  const auditor = await openBrowser(BASE);
  const run = Date.now().toString(36).toUpperCase();
  const subject = `Richiesta di accesso agli atti E2E ${run}`;
  const folderCode = `E2E/6.3/${run}`;
  const pdf = Buffer.from(`%PDF-1.4\n% Istanza di accesso agli atti ${run}\n%%EOF\n`);
  const attachment = Buffer.from(`Documento di identità di Mario Rossi (${run})\n`);
  let registration = null; // { id, number, year }

  try {
    const reached = await step(clerk.page, `protocol: ${CLERK_USER} (ente_operator) opens "Protocollo informatico" and reads the AOO and the titolario`, async () => {
      const page = clerk.page;
      await logIn(page, BASE, CLERK_USER, DEMO_PASSWORD);
      await gotoNav(page, 'Protocollo informatico');
      assert(new URL(page.url()).pathname === '/protocollo', `unexpected URL ${page.url()}`);
      const tabs = await tabNames(page);
      assert(tabs.join('|') === 'Registro|Nuova registrazione|Registri giornalieri|Titolario e AOO', `tabs: ${tabs.join(', ')}`);
      await page.getByTestId('registrations-table').or(page.getByTestId('protocol-register').locator('.callout')).waitFor();
      assert((await page.getByTestId('registrations-filters').getByLabel(label('Ente')).count()) === 0, 'an ente filter offered to a one-ente user');
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'protocollo-registro');

      await openTab(page, 'Titolario e AOO');
      assert(new URL(page.url()).pathname === '/protocollo/configurazione', `unexpected URL ${page.url()}`);
      await page.getByTestId('protocol-config-ente').filter({ hasText: `Cremona (${CREMONA})` }).waitFor();
      const aoo = await page.getByTestId('aoo-summary').innerText();
      assert(aoo.includes('AOO_CR') && /\bPG\b/.test(aoo), `AOO: ${aoo}`);
      const codes = await page.getByTestId('classes-table').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.code));
      for (const c of ['1', '1.6', '4', '4.4', '6', '6.3', '7', '7.1', '8', '8.4']) assert(codes.includes(c), `class ${c} not listed: ${codes.join(', ')}`);
      const main = page.locator('main');
      assert((await main.getByRole('button', { name: /AOO/ }).count()) === 0, 'the AOO form offered to an operator');
      assert((await page.getByTestId('class-form').count()) === 0, 'the class form offered to an operator');
      await page.getByTestId('folder-form').waitFor();
    });
    if (!reached) return countFailure('protocol journey: the clerk cannot reach the page; later protocol steps not run');

    await step(clerk.page, 'protocol: the clerk opens a fascicolo under class 6.3', async () => {
      const page = clerk.page;
      const form = page.getByTestId('folder-form');
      await form.getByRole('button', { name: 'Apri il fascicolo' }).click();
      const codeErr = await fieldError(form.getByLabel(label('Codice del fascicolo')));
      assert(codeErr.text !== '' && codeErr.near, `code error: ${JSON.stringify(codeErr)}`);
      await form.getByLabel(label('Codice del fascicolo')).fill(folderCode);
      await form.getByLabel(label('Oggetto del fascicolo')).fill(`Pratiche di accesso agli atti E2E ${run}`);
      await form.getByLabel(label('Classe del fascicolo')).selectOption('6.3');
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/protocol/folders'),
        form.getByRole('button', { name: 'Apri il fascicolo' }).click(),
      ]);
      assert(res.status() === 201 || res.status() === 200, `POST folders answered ${res.status()}: ${await res.text()}`);
      await page.getByRole('status').filter({ hasText: `Fascicolo ${folderCode} aperto.` }).waitFor();
      const row = (await page.getByTestId('folders-table').locator(`tbody tr[data-code="${folderCode}"]`).innerText()).replace(/\s+/g, ' ');
      assert(row.includes('6.3'), `folder row: ${row}`);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'protocollo-titolario');
    });

    const form = clerk.page.getByTestId('registration-form');
    const sender = form.getByTestId('registration-correspondents-row');
    const uploads = [];
    clerk.page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/uploads') uploads.push(new URL(r.url()).searchParams.get('filename'));
    });

    const refused = await step(clerk.page, 'protocol: a wrong fiscal code of the sender is refused next to its field and nothing is registered', async () => {
      const page = clerk.page;
      await openTab(page, 'Nuova registrazione');
      assert(new URL(page.url()).pathname === '/protocollo/nuova', `unexpected URL ${page.url()}`);
      await form.waitFor();
      await page.getByTestId('registration-ente').filter({ hasText: `Cremona (${CREMONA})` }).waitFor();
      // Nothing filled: the errors next to the flow, the subject, the class and the primary document.
      await form.getByRole('button', { name: 'Registra il documento' }).click();
      const flowErr = await fieldError(form.getByLabel('In arrivo', { exact: true }));
      assert(flowErr.text !== '' && flowErr.near, `flow error: ${JSON.stringify(flowErr)}`);
      for (const name of ['Oggetto', 'Classifica', 'Documento principale']) {
        const err = await fieldError(form.getByLabel(label(name)));
        assert(err.text !== '' && err.near, `no error next to "${name}": ${JSON.stringify(err)}`);
      }
      await assertFocused(form.getByLabel('In arrivo', { exact: true }), 'focus not moved to the flow');
      assert(uploads.length === 0, `files uploaded before the form was complete: ${uploads.join(', ')}`);

      await form.locator('label', { hasText: 'In arrivo' }).click();
      assert(await form.getByLabel('In arrivo', { exact: true }).isChecked(), '"In arrivo" not chosen');
      await form.getByLabel(label('Oggetto')).fill(subject);
      await page.waitForFunction(() => document.querySelector('[data-testid="registration-form"] select[name="class_code"] option[value="6.3"]') !== null);
      await form.getByLabel(label('Classifica')).selectOption('6.3');
      await form.getByLabel(label('Fascicolo')).selectOption(folderCode);
      await form.getByLabel(label('Canale')).selectOption({ label: 'PEC' });
      assert((await sender.count()) === 1, `${await sender.count()} sender rows`);
      assert((await form.getByRole('button', { name: 'Aggiungi un destinatario' }).count()) === 0, 'more senders offered for an incoming document');
      assert((await sender.getByLabel(label('Tipo')).inputValue()) === 'person', 'the sender is not a person by default');
      await sender.getByLabel(label('Nome')).fill('Mario');
      await sender.getByLabel(label('Cognome')).fill('Rossi');
      await sender.getByLabel(label('Codice fiscale')).fill(BAD_FISCAL_CODE);
      await sender.getByLabel(label('E-mail o PEC')).fill('mario.rossi@pec.example.it');
      await form.getByLabel(label('Data del documento ricevuto')).fill('2026-11-20');
      await form.getByLabel(label('Numero del documento ricevuto')).fill('12/2026');
      await form.getByLabel(label('Documento principale')).setInputFiles({ name: 'istanza.pdf', mimeType: 'application/pdf', buffer: pdf });
      await form.getByLabel(label('Descrizione del documento principale')).fill('Istanza');
      await form.getByRole('button', { name: 'Aggiungi un allegato' }).click();
      const att = form.getByTestId('registration-attachments-row');
      assert((await att.count()) === 1, 'no attachment row added');
      await assertFocused(att.getByLabel(label("File dell'allegato")), 'focus not moved to the new attachment');
      await att.getByLabel(label("File dell'allegato")).setInputFiles({ name: 'documento-identita.txt', mimeType: 'text/plain', buffer: attachment });
      await att.getByLabel(label('Descrizione')).fill('Documento di identità');
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === REGISTRATIONS_URL),
        form.getByRole('button', { name: 'Registra il documento' }).click(),
      ]);
      assert(res.status() === 400, `POST registration answered ${res.status()}`);
      const sent = res.request().postDataJSON();
      assert(
        sent.ente === CREMONA && sent.flow === 'incoming' && sent.class_code === '6.3' && sent.folder_code === folderCode && sent.channel === 'pec' &&
          sent.correspondents.length === 1 && sent.correspondents[0].kind === 'person' && sent.sender_date === '2026-11-20' &&
          typeof sent.primary_document.upload_id === 'string' && sent.attachments.length === 1 && sent.attachments[0].description === 'Documento di identità',
        `POST body: ${JSON.stringify(sent)}`,
      );
      assert(uploads.join('|') === 'istanza.pdf|documento-identita.txt', `uploads: ${uploads.join(', ')}`);
      const fields = ((await res.json()).errors ?? []).map((e) => e.field);
      assert(fields.includes('correspondents[0].fiscal_code'), `errors: ${fields.join(', ')}`);
      const cf = sender.getByLabel(label('Codice fiscale'));
      const err = await fieldError(cf);
      assert(/controllo|codice fiscale/i.test(err.text) && err.near, `fiscal code error: ${JSON.stringify(err)}`);
      await assertFocused(cf, 'focus not moved to the fiscal code');
      const summary = await form.getByRole('alert').first().innerText();
      assert(summary.includes('Codice fiscale del mittente'), `summary: ${summary}`);
      assert(new URL(page.url()).pathname === '/protocollo/nuova', `left the form: ${page.url()}`);
      const none = await apiFrom(page, 'GET', `${REGISTRATIONS_URL}?ente=${CREMONA}&q=${encodeURIComponent(run)}`);
      assert(none.status === 200 && none.json.items.length === 0, `registered anyway: ${JSON.stringify(none.json)}`);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'protocollo-codice-fiscale-errato');
    });
    if (!refused) return countFailure('protocol journey: the form did not refuse the wrong fiscal code; later protocol steps not run');

    const registered = await step(clerk.page, 'protocol: corrected, the document is registered and its page shows the number and the documents', async () => {
      const page = clerk.page;
      const before = uploads.length;
      await sender.getByLabel(label('Codice fiscale')).fill(GOOD_FISCAL_CODE);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === REGISTRATIONS_URL),
        form.getByRole('button', { name: 'Registra il documento' }).click(),
      ]);
      assert(res.status() === 201, `POST registration answered ${res.status()}: ${await res.text()}`);
      assert(uploads.length === before, `the files were uploaded again: ${uploads.slice(before).join(', ')}`);
      const body = await res.json();
      registration = { id: body.id, number: body.number, year: body.year };
      const detail = page.getByTestId('registration-detail');
      await detail.waitFor();
      assert(new URL(page.url()).pathname === `/protocollo/registrazioni/${body.id}`, `unexpected URL ${page.url()}`);
      const status = page.getByRole('status').filter({ hasText: /^Registrato con il numero \d{7} del \d{2}\/\d{2}\/\d{4}/ });
      await status.waitFor();
      const said = /numero (\d+) del/.exec(await status.innerText())[1];
      assert(said === body.number && /^\d{7}$/.test(said), `number said ${said}, registered ${body.number}`);
      const shown = (await page.getByTestId('registration-number').innerText()).trim();
      assert(shown === `${body.number}/${body.year}`, `number shown ${shown}`);
      const tab = page.getByRole('navigation', { name: 'Sezioni del protocollo informatico' }).getByRole('link', { name: 'Registro' });
      assert((await tab.getAttribute('aria-current')) === 'true', 'the "Registro" tab is not marked');
      const data = (await page.getByTestId('registration-data').innerText()).replace(/\s+/g, ' ');
      for (const part of [subject, 'In arrivo', '6.3 Edilizia privata', folderCode, 'del 20/11/2026, n. 12/2026', 'PEC', CLERK_USER, 'registro PG'])
        assert(data.includes(part), `"${part}" not in the data: ${data}`);
      const who = (await page.getByTestId('registration-correspondents').innerText()).replace(/\s+/g, ' ');
      assert(who.includes('Mario Rossi') && who.includes(GOOD_FISCAL_CODE) && who.includes('Persona fisica'), `sender: ${who}`);
      await page.getByRole('heading', { level: 3, name: 'Mittente' }).waitFor();
      const docs = page.getByTestId('registration-documents').locator('tbody tr');
      assert((await docs.count()) === 2, `${await docs.count()} documents`);
      const primary = (await docs.nth(0).innerText()).replace(/\s+/g, ' ');
      assert(primary.includes('Documento principale') && primary.includes('istanza.pdf') && primary.includes(sha256(pdf)), `primary: ${primary}`);
      const second = (await docs.nth(1).innerText()).replace(/\s+/g, ' ');
      assert(second.includes('Allegato n. 1') && second.includes('Documento di identità') && second.includes(sha256(attachment)), `attachment: ${second}`);
      // Art. 53: nothing to modify, and an operator does not annul.
      assert((await page.locator('main').getByRole('button', { name: /Modifica/ }).count()) === 0, '"Modifica" offered');
      assert((await page.getByRole('button', { name: 'Annulla la registrazione' }).count()) === 0, 'annulment offered to an operator');
      assert(/non si modifica/.test(await page.getByTestId('registration-immutable').innerText()), 'the page does not say it cannot be modified');
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'protocollo-registrazione');
    });
    if (!registered) return countFailure('protocol journey: nothing was registered; later protocol steps not run');
    const detailPath = `/protocollo/registrazioni/${registration.id}`;
    const cited = `${registration.number}/${registration.year}`;

    await step(clerk.page, 'protocol: the segnatura downloads as application/xml with the number, the documents as registered', async () => {
      const page = clerk.page;
      const [res, download] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === `${REGISTRATIONS_URL}/${registration.id}/segnatura.xml`),
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Scarica la segnatura (XML)' }).click(),
      ]);
      assert(res.status() === 200, `segnatura.xml answered ${res.status()}`);
      assert(/^application\/xml/.test(res.headers()['content-type'] ?? ''), `content type ${res.headers()['content-type']}`);
      const xml = readFileSync(await download.path()).toString('utf8');
      assert(xml.includes(`<prot:NumeroRegistrazione>${registration.number}</prot:NumeroRegistrazione>`), `segnatura without the number: ${xml.slice(0, 300)}`);
      assert(xml.includes('<prot:CodiceAOO>AOO_CR</prot:CodiceAOO>') && xml.includes('Signature'), 'segnatura without the AOO or the signature');
      assert(/\.xml$/.test(download.suggestedFilename()), `file name ${download.suggestedFilename()}`);
      await page.getByRole('status').filter({ hasText: 'Segnatura scaricata.' }).waitFor();
      const [doc] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('registration-documents').getByRole('button', { name: 'Scarica istanza.pdf' }).click(),
      ]);
      assert(doc.suggestedFilename() === 'istanza.pdf', `file name ${doc.suggestedFilename()}`);
      assert(readFileSync(await doc.path()).equals(pdf), 'the primary document downloaded is not the one registered');
    });

    await step(clerk.page, 'protocol: an infected primary file is refused next to its field and nothing is registered', async () => {
      const page = clerk.page;
      await openTab(page, 'Nuova registrazione');
      await form.locator('label', { hasText: 'Interno' }).click();
      await page.getByTestId('registration-internal-note').waitFor();
      await form.getByLabel(label('Oggetto')).fill(`Nota interna E2E ${run}`);
      await page.waitForFunction(() => document.querySelector('[data-testid="registration-form"] select[name="class_code"] option[value="1.6"]') !== null);
      await form.getByLabel(label('Classifica')).selectOption('1.6');
      const file = form.getByLabel(label('Documento principale'));
      await file.setInputFiles({ name: 'nota.txt', mimeType: 'text/plain', buffer: Buffer.from(EICAR) });
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/uploads'),
        form.getByRole('button', { name: 'Registra il documento' }).click(),
      ]);
      assert(res.status() === 422, `upload of EICAR answered ${res.status()}`);
      const err = await fieldError(file);
      assert(/EICAR/.test(err.text) && err.near, `file error: ${JSON.stringify(err)}`);
      assert(/nessun documento è stato registrato/i.test(await form.getByRole('alert').first().innerText()), 'the summary does not say nothing was registered');
      assert(new URL(page.url()).pathname === '/protocollo/nuova', `left the form: ${page.url()}`);
      const none = await apiFrom(page, 'GET', `${REGISTRATIONS_URL}?ente=${CREMONA}&q=${encodeURIComponent(`Nota interna E2E ${run}`)}`);
      assert(none.status === 200 && none.json.items.length === 0, 'registered with an infected file');
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'protocollo-file-infetto');
    });

    await step(clerk.page, 'protocol: the search by text finds the registration', async () => {
      const page = clerk.page;
      await openTab(page, 'Registro');
      await searchRegister(page, { Testo: run }, label);
      assert((await listedNumbers(page)).join('|') === cited, `"${run}" found ${(await listedNumbers(page)).join(', ')}`);
      assert(new URL(page.url()).searchParams.get('q') === run, `filters not in the address: ${page.url()}`);
      const row = page.getByTestId('registrations-table').locator(`tbody tr[data-number="${cited}"]`);
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      assert(text.includes(subject) && text.includes('Mario Rossi') && text.includes('In arrivo') && text.includes('6.3') && text.includes('Registrata'), `row: ${text}`);
      await searchRegister(page, { Flusso: 'In partenza' }, label);
      assert((await listedNumbers(page)).length === 0, 'an incoming document found among the outgoing ones');
      await searchRegister(page, { Flusso: 'In arrivo' }, label);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'protocollo-ricerca');
      await page.getByTestId('registrations-table').getByRole('link', { name: `Registrazione n. ${cited}` }).click();
      await page.getByTestId('registration-detail').waitFor();
      assert(new URL(page.url()).pathname === detailPath, `unexpected URL ${page.url()}`);
      await page.getByRole('link', { name: 'Torna al registro' }).click();
      await page.getByTestId('registrations-table').waitFor();
      assert(new URL(page.url()).searchParams.get('q') === run, `search not kept: ${page.url()}`);
    });

    const annulled = await step(referent.page, `protocol: ${ENTE_ADMIN_USER} (ente_admin) annuls it, the authorisation required next to its field`, async () => {
      const page = referent.page;
      await logIn(page, BASE, ENTE_ADMIN_USER, ENTE_ADMIN_PASSWORD);
      await page.goto(BASE + detailPath, { waitUntil: 'domcontentloaded' });
      await page.getByTestId('registration-detail').waitFor();
      await page.getByRole('button', { name: 'Annulla la registrazione' }).click();
      const annul = page.getByTestId('annul-form');
      await annul.waitFor();
      const reasonField = annul.getByLabel(label("Motivo dell'annullamento"));
      await assertFocused(reasonField, 'focus not on the reason');
      const reason = `Registrata due volte per errore (prova E2E ${run})`;
      const authorisation = `Provvedimento del responsabile della gestione documentale n. ${run}`;
      await reasonField.fill(reason);
      await annul.getByRole('button', { name: "Conferma l'annullamento" }).click();
      const authField = annul.getByLabel(label('Estremi del provvedimento di autorizzazione'));
      const err = await fieldError(authField);
      assert(err.text !== '' && err.near, `no error next to the authorisation: ${JSON.stringify(err)}`);
      await assertFocused(authField, 'focus not on the authorisation');
      await authField.fill(authorisation);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${REGISTRATIONS_URL}/${registration.id}/annul`),
        annul.getByRole('button', { name: "Conferma l'annullamento" }).click(),
      ]);
      assert(res.status() === 200, `annul answered ${res.status()}: ${await res.text()}`);
      const sent = res.request().postDataJSON();
      assert(sent.reason === reason && sent.authorisation === authorisation, `annul body: ${JSON.stringify(sent)}`);
      await page.getByRole('status').filter({ hasText: 'Registrazione annullata' }).waitFor();
      assert((await page.getByTestId('registration-detail').getAttribute('data-status')) === 'annulled', 'state not annulled');
      await page.getByTestId('registration-status').getByText('Annullata', { exact: true }).waitFor();
      const mark = (await page.getByTestId('registration-annulment').innerText()).replace(/\s+/g, ' ');
      assert(mark.includes(reason) && mark.includes(authorisation) && mark.includes(ENTE_ADMIN_USER) && /\d{2}\/\d{2}\/\d{4}/.test(mark), `annulment: ${mark}`);
      // Every original datum still there.
      const data = (await page.getByTestId('registration-data').innerText()).replace(/\s+/g, ' ');
      assert(data.includes(subject) && data.includes(registration.number) && data.includes('6.3 Edilizia privata'), `data after the annulment: ${data}`);
      assert((await page.getByTestId('registration-correspondents').innerText()).includes(GOOD_FISCAL_CODE), 'the sender is gone');
      assert((await page.getByTestId('registration-documents').locator('tbody tr').count()) === 2, 'the documents are gone');
      assert((await page.getByRole('button', { name: 'Annulla la registrazione' }).count()) === 0, 'annulment still offered');
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'protocollo-registrazione-annullata');
    });

    if (annulled) {
      await step(referent.page, 'protocol: the list marks the registration "Annullata"', async () => {
        const page = referent.page;
        await gotoNav(page, 'Protocollo informatico');
        await searchRegister(page, { Testo: run, Stato: 'Annullata' }, label);
        assert((await listedNumbers(page)).join('|') === cited, `annulled found ${(await listedNumbers(page)).join(', ')}`);
        const row = page.getByTestId('registrations-table').locator(`tbody tr[data-number="${cited}"]`);
        assert((await row.getAttribute('data-status')) === 'annulled', 'row not marked annulled');
        await row.locator('.badge', { hasText: 'Annullata' }).waitFor();
        assert((await row.innerText()).includes(subject), 'the subject is not in the row');
        await searchRegister(page, { Stato: 'Registrata' }, label);
        assert((await listedNumbers(page)).length === 0, 'the annulled registration listed as registered');
        await shot(page, 'protocollo-registro-annullata');
      });
    }

    await step(referent.page, 'protocol: the referent saves the AOO (a PEC that is not an address refused next to its field) and has a class code already in the titolario refused next to its field', async () => {
      const page = referent.page;
      await page.goto(`${BASE}/protocollo`, { waitUntil: 'domcontentloaded' });
      await openTab(page, 'Titolario e AOO');
      await page.getByTestId('aoo-summary').waitFor();
      await page.getByRole('button', { name: /^Modifica l'AOO/ }).click();
      const aoo = page.getByTestId('aoo-form');
      assert((await aoo.getByLabel(label("Codice IPA dell'AOO")).inputValue()) === 'AOO_CR', 'the AOO code is not in the form');
      assert((await aoo.getByLabel(label('Codice del registro')).inputValue()) === 'PG', 'the register code is not in the form');
      const saveAoo = () =>
        Promise.all([
          page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === `/api/v1/protocol/aoo/${CREMONA}`),
          aoo.getByRole('button', { name: "Salva l'AOO" }).click(),
        ]).then(([r]) => r);
      // The optional PEC: an address without a domain is refused by the server next to the field.
      const pec = aoo.getByLabel(label("PEC dell'AOO"));
      await pec.fill('protocollo@pec');
      const refused = await saveAoo();
      assert(refused.status() === 400, `PUT aoo with a bad PEC answered ${refused.status()}`);
      const pecErr = await fieldError(pec);
      assert(/PEC non valido/i.test(pecErr.text) && pecErr.near, `PEC error: ${JSON.stringify(pecErr)}`);
      // Saved with the demo's PEC: the demo's AOO stays the same, the change is recorded with who and when.
      await pec.fill(DEMO_PEC);
      const put = await saveAoo();
      assert(put.status() === 200, `PUT aoo answered ${put.status()}`);
      await page.getByRole('status').filter({ hasText: 'AOO salvata.' }).waitFor();
      const summary = await page.getByTestId('aoo-summary').innerText();
      assert(summary.includes(`da ${ENTE_ADMIN_USER}`), 'the last change does not name the referent');
      assert(summary.includes(DEMO_PEC), "the AOO's PEC is not shown");
      const classes = page.getByTestId('class-form');
      await classes.getByLabel(label('Codice della classe')).fill('6.3');
      await classes.getByLabel(label('Descrizione della classe')).fill('Edilizia privata (doppione E2E)');
      const [post] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/protocol/classes'),
        classes.getByRole('button', { name: 'Aggiungi la classe' }).click(),
      ]);
      assert(post.status() === 409, `POST class answered ${post.status()}`);
      const err = await fieldError(classes.getByLabel(label('Codice della classe')));
      assert(/già presente/.test(err.text) && err.near, `class code error: ${JSON.stringify(err)}`);
      assert((await page.getByTestId('classes-table').locator('tbody tr[data-code="6.3"]').count()) === 1, 'the class listed twice');
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'protocollo-titolario-referente');
    });

    await step(other.page, `protocol: ${OTHER_REFERENT_USER} (Crema's referent) cannot open Cremona's registration`, async () => {
      const page = other.page;
      await logIn(page, BASE, OTHER_REFERENT_USER, DEMO_PASSWORD);
      await page.goto(BASE + detailPath, { waitUntil: 'domcontentloaded' });
      await page.getByRole('alert').filter({ hasText: 'non trovata' }).waitFor();
      assert((await page.getByTestId('registration-detail').count()) === 0, 'a registration shown');
      assert(!(await page.locator('main').innerText()).includes(subject), "Cremona's subject shown to Crema");
      const get = await apiFrom(page, 'GET', `${REGISTRATIONS_URL}/${registration.id}`);
      assert(get.status === 404, `GET by Crema's referent answered ${get.status}`);
    });

    await step(citizen.page, `protocol: ${CITIZEN_USER} (citizen) has no "Protocollo informatico" in the navigation`, async () => {
      const page = citizen.page;
      await logIn(page, BASE, CITIZEN_USER, DEMO_PASSWORD);
      const nav = page.getByRole('navigation', { name: 'Navigazione principale' });
      // The modules' entries come with /api/v1/modules: wait for the service desk's.
      await nav.getByRole('link', { name: 'Call center unico', exact: true }).waitFor();
      assert((await nav.getByRole('link', { name: 'Protocollo informatico', exact: true }).count()) === 0, '"Protocollo informatico" offered to a citizen');
      await page.goto(`${BASE}/protocollo`, { waitUntil: 'domcontentloaded' });
      await page.getByText('questa pagina non è disponibile per il tuo ruolo').waitFor();
      assert((await page.getByTestId('protocol-nav').count()) === 0, 'protocol sections offered to a citizen');
      assert((await page.getByTestId('protocol-register').count()) === 0, 'the register shown to a citizen');
    });

    await step(auditor.page, `protocol: ${AUDITOR_USER} (auditor) reads the registration without the annulment and without "Nuova registrazione"`, async () => {
      const page = auditor.page;
      await logIn(page, BASE, AUDITOR_USER, DEMO_PASSWORD);
      await gotoNav(page, 'Protocollo informatico');
      const tabs = await tabNames(page);
      assert(tabs.join('|') === 'Registro|Registri giornalieri|Titolario e AOO', `tabs: ${tabs.join(', ')}`);
      await page.goto(BASE + detailPath, { waitUntil: 'domcontentloaded' });
      await page.getByTestId('registration-detail').waitFor();
      await page.getByTestId('registration-annulment').waitFor();
      assert((await page.getByRole('button', { name: 'Annulla la registrazione' }).count()) === 0, 'annulment offered to an auditor');
      assert((await page.getByTestId('annul-form').count()) === 0, 'the annulment form shown to an auditor');
      await page.getByRole('button', { name: 'Scarica la segnatura (XML)' }).waitFor();
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await page.goto(`${BASE}/protocollo/nuova`, { waitUntil: 'domcontentloaded' });
      await page.getByText('Questa sezione non è disponibile per il tuo ruolo.').waitFor();
      assert((await page.getByTestId('registration-form').count()) === 0, 'the registration form shown to an auditor');
      const post = await apiFrom(page, 'POST', REGISTRATIONS_URL, { ente: CREMONA });
      assert(post.status === 403, `an auditor's registration answered ${post.status}`);
    });

    await step(clerk.page, 'protocol: "Registri giornalieri" warns of the missing days; made by the job, they are listed and download as PDF', async () => {
      const page = clerk.page;
      await openTab(page, 'Registri giornalieri');
      assert(new URL(page.url()).pathname === '/protocollo/registri-giornalieri', `unexpected URL ${page.url()}`);
      // The demo's AOO counts as configured a week ago: until the hourly job runs, its past days are missing.
      const table = page.getByTestId('daily-table');
      await page.getByTestId('daily-missing').or(table).first().waitFor();
      if ((await page.getByTestId('daily-missing').count()) > 0) {
        const warning = await page.getByTestId('daily-missing').innerText();
        assert(/Mancano i registri giornalieri di \d+ giorni/.test(warning), `warning: ${warning}`);
        await shot(page, 'protocollo-registri-mancanti');
      }
      // The administrator runs the job now (Attività pianificate does the same).
      const admin = await openBrowser(BASE);
      try {
        await logIn(admin.page, BASE, ADMIN_USER, ADMIN_PASSWORD);
        const jobs = await apiFrom(admin.page, 'GET', '/api/v1/jobs');
        const job = jobs.json.items.find((j) => j.kind === 'protocol.daily-register');
        assert(job, `no daily register job: ${JSON.stringify(jobs.json).slice(0, 300)}`);
        const ran = await apiFrom(admin.page, 'POST', `/api/v1/jobs/${job.id}/run`);
        assert(ran.status < 300, `run answered ${ran.status}`);
      } finally {
        await admin.close();
      }
      for (let i = 0; i < 50; i++) {
        const list = await apiFrom(page, 'GET', `/api/v1/protocol/daily-registers?ente=${CREMONA}`);
        if (list.json.missing.length === 0 && list.json.items.length > 0) break;
        await page.waitForTimeout(200);
      }
      await page.reload({ waitUntil: 'domcontentloaded' });
      await table.waitFor();
      assert((await page.getByTestId('daily-missing').count()) === 0, 'days still missing after the job');
      const rows = table.locator('tbody tr');
      assert((await rows.count()) >= 7, `${await rows.count()} registers listed`);
      const first = rows.first();
      const [res, download] = await Promise.all([
        page.waitForResponse((r) => /\/api\/v1\/protocol\/daily-registers\/\d+\/register\.pdf$/.test(new URL(r.url()).pathname)),
        page.waitForEvent('download'),
        first.getByRole('button', { name: /^PDF/ }).click(),
      ]);
      assert(res.status() === 200 && res.headers()['content-type'] === 'application/pdf', `register.pdf: ${res.status()} ${res.headers()['content-type']}`);
      assert((await download.suggestedFilename()).startsWith(`registro-giornaliero-${CREMONA}-`), `file ${download.suggestedFilename()}`);
      const saved = readFileSync(await download.path()).toString('latin1');
      assert(/pdfaid:part=['"]2['"]/.test(saved) && saved.includes('/GTS_PDFA1'), 'the register is not PDF/A-2');
      await page.getByRole('status').filter({ hasText: 'scaricato' }).waitFor();
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'protocollo-registri-giornalieri');
    });

    await step(clerk.page, 'protocol: no request left the server and no script error', async () => {
      for (const br of [clerk, referent, other, citizen, auditor]) {
        assert(br.foreign.length === 0, `requests to other hosts: ${br.foreign.slice(0, 5).join(', ')}`);
        assert(br.pageErrors.length === 0, `page errors: ${br.pageErrors.slice(0, 3).join(' | ')}`);
      }
    });
  } finally {
    for (const br of [clerk, referent, other, citizen, auditor]) await br.close();
  }
}
