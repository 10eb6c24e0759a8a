// End-to-end journey of the antivirus pages (/antivirus), run by run.mjs inside the demo scenario,
// with run.mjs's helpers (one harness, one count of passed and failed steps).
//
// An ente's referent uploads a file carrying the test signatures' harmless marker: it is refused and
// quarantined, and the referent sees the record without the administrator's buttons. The demo
// administrator reads the engine's state, has a clean and a marked file checked through "Verifica un
// file", creates an agent token, reports an endpoint with it, sees it in the table and the chart,
// discards the quarantined file and retires the endpoint. The committee sees the engine and the
// summary only; a citizen has no "Antivirus" at all.

/** The marker of resources/clamav-testdb (split, so this file never carries it whole). */
const MARKER = 'CST-TEST-' + 'MALWARE-MARKER';
const MARKER_SIGNATURE = 'Cst.Test.Marker.NDB.UNOFFICIAL';
const CREMONA = '019036';
const CITIZEN_USER = process.env.CST_CITIZEN_USER || 'cittadino.bianchi';

/** POSTs `text` as a raw body from `page`'s session (CSRF header as the app sends it). */
async function postRaw(page, path, text, type = 'text/plain') {
  return page.evaluate(
    async ([p, body, t]) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('cst_csrf='))?.slice('cst_csrf='.length) ?? '';
      const res = await fetch(p, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': t, 'X-CSRF-Token': decodeURIComponent(csrf) },
        credentials: 'same-origin',
        body,
      });
      const raw = await res.text();
      let json = null;
      try {
        json = raw ? JSON.parse(raw) : null;
      } catch {
        json = null;
      }
      return { status: res.status, json };
    },
    [path, text, type],
  );
}

/** Opens one section of the antivirus page from its tabs. */
async function openSection(page, name) {
  await page.getByRole('navigation', { name: "Sezioni dell'antivirus" }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Antivirus' }).waitFor();
}

/** The tab names offered on the antivirus page. */
async function sectionNames(page) {
  const nav = page.getByRole('navigation', { name: "Sezioni dell'antivirus" });
  await nav.waitFor();
  return (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
}

export async function antivirusJourney(h) {
  const { BASE, ADMIN_USER, ADMIN_PASSWORD, ENTE_ADMIN_USER, ENTE_ADMIN_PASSWORD, COMMITTEE_USER, DEMO_PASSWORD } = h;
  const { step, assert, label, shot, openBrowser, logIn, gotoNav, pageProblems, apiFrom, assertFocused, fieldError, countFailure } = h;
  const admin = await openBrowser(BASE);
  const referent = await openBrowser(BASE);
  const committee = await openBrowser(BASE);
  const citizen = await openBrowser(BASE);
  const tag = Date.now().toString(36);
  const quarantined = `e2e-quarantena-${tag}.txt`;
  const hostname = `e2e-pc-${tag}`;
  const origin = new URL(BASE).origin;
  const stop = (why) => countFailure(`antivirus journey: ${why}; later antivirus steps not run`);

  try {
    const refused = await step(referent.page, `antivirus: an upload of ${ENTE_ADMIN_USER} carrying the marker is refused (422)`, async () => {
      await logIn(referent.page, BASE, ENTE_ADMIN_USER, ENTE_ADMIN_PASSWORD);
      const res = await postRaw(referent.page, `/api/v1/uploads?ente=${CREMONA}&filename=${encodeURIComponent(quarantined)}`, `Relazione di prova\n${MARKER}\n`);
      assert(res.status === 422, `upload answered ${res.status}: ${JSON.stringify(res.json)}`);
      assert(JSON.stringify(res.json ?? {}).includes('Cst.Test.Marker'), `the problem does not name the signature: ${JSON.stringify(res.json)}`);
    });

    if (refused) {
      await step(referent.page, 'antivirus: the referent sees the quarantined file without Scarica, Rilascia, Elimina', async () => {
        const page = referent.page;
        await gotoNav(page, 'Antivirus');
        const tabs = await sectionNames(page);
        for (const t of ['Motore', 'Quarantena', 'Verifica un file', 'Postazioni', 'Eventi', 'Soglie'])
          assert(tabs.includes(t), `tab "${t}" missing: ${tabs.join(', ')}`);
        await openSection(page, 'Quarantena');
        assert(new URL(page.url()).pathname === '/antivirus/quarantena', `unexpected URL ${page.url()}`);
        const row = page.getByTestId('quarantine-table').locator('tbody tr', { hasText: quarantined });
        await row.waitFor();
        const text = await row.innerText();
        assert(/Cst\.Test\.Marker/.test(text) && /In quarantena/.test(text), `row: ${text}`);
        assert((await row.getByRole('button').count()) === 0, 'buttons offered to an ente referent');
        const main = page.locator('main');
        assert((await main.getByRole('link', { name: /^Scarica/ }).count()) === 0, '"Scarica" offered to an ente referent');
        for (const name of [/^Rilascia/, /^Elimina/])
          assert((await main.getByRole('button', { name }).count()) === 0, `${name} offered to an ente referent`);
        await page.getByText("Solo l'amministratore del CST può scaricarne il contenuto").waitFor();
        const id = await row.getAttribute('data-quarantine');
        const content = await apiFrom(page, 'GET', `/api/v1/antivirus/quarantine/${encodeURIComponent(id)}/content`).catch(() => ({ status: -1 }));
        assert(content.status === 403, `content of a visible record answered ${content.status} to an ente referent`);
        const p = await pageProblems(page);
        assert(p.length === 0, p.join('; '));
        await shot(page, 'antivirus-quarantena-referente');
      });

      await step(referent.page, 'antivirus: the referent reads the thresholds without a form and may create agent tokens', async () => {
        const page = referent.page;
        await openSection(page, 'Soglie');
        await page.getByTestId('av-settings-summary').waitFor();
        assert((await page.getByTestId('av-settings-form').count()) === 0, 'the thresholds form is offered to an ente referent');
        await openSection(page, 'Postazioni');
        const form = page.getByTestId('agent-token-form');
        await form.waitFor();
        assert((await form.getByLabel(label('Ente')).inputValue()) === CREMONA, 'Cremona not preselected for its referent');
      });
    }

    const reached = await step(admin.page, 'antivirus: the admin opens "Antivirus" and sees the engine with the ClamAV version', async () => {
      const page = admin.page;
      await logIn(page, BASE, ADMIN_USER, ADMIN_PASSWORD);
      await gotoNav(page, 'Antivirus');
      assert(new URL(page.url()).pathname === '/antivirus', `unexpected URL ${page.url()}`);
      const card = page.getByTestId('av-engine');
      await card.getByRole('heading', { level: 2, name: 'Stato del motore' }).waitFor();
      await page.getByTestId('av-engine-details').waitFor();
      await card.getByText('Versione di ClamAV', { exact: true }).waitFor();
      const version = (await page.getByTestId('av-engine-version').innerText()).trim();
      assert(/\d+\.\d+/.test(version), `ClamAV version: "${version}"`);
      const text = await card.innerText();
      assert(/Motore raggiungibile/.test(text), `engine not reachable: ${text.slice(0, 300)}`);
      assert(/Firme (aggiornate|obsolete|sconosciute)/.test(text), 'no signature freshness shown');
      for (const t of ['Versione firme', 'Data firme']) assert(text.includes(t), `"${t}" not shown`);
      const tabs = await sectionNames(page);
      assert(tabs.join('|') === 'Motore|Quarantena|Verifica un file|Postazioni|Eventi|Soglie', `tabs: ${tabs.join(', ')}`);
      await page.waitForLoadState('networkidle').catch(() => {});
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'antivirus-motore');
    });
    if (!reached) return stop('the admin cannot reach the antivirus page');

    const scanFile = async (name, text) => {
      const page = admin.page;
      const form = page.getByTestId('scan-form');
      await form.getByLabel(label('Ente')).selectOption(CREMONA);
      await form.getByLabel(label('File da verificare')).setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/antivirus/scan'),
        form.getByRole('button', { name: 'Verifica', exact: true }).click(),
      ]);
      const url = new URL(res.url());
      assert(url.searchParams.get('ente') === CREMONA && url.searchParams.get('filename') === name, `scan URL ${res.url()}`);
      assert((res.request().headers()['content-type'] ?? '').startsWith('application/octet-stream'), `Content-Type ${res.request().headers()['content-type']}`);
      assert(res.status() === 200, `scan answered ${res.status()}`);
      const result = page.getByTestId('scan-result');
      await result.waitFor();
      return result;
    };

    await step(admin.page, 'antivirus: "Verifica un file" finds a clean text file clean', async () => {
      const page = admin.page;
      await openSection(page, 'Verifica un file');
      await page.getByRole('heading', { level: 2, name: 'Verifica un file' }).waitFor();
      const result = await scanFile(`relazione-${tag}.txt`, 'Relazione trimestrale del servizio informatico.\n');
      assert((await result.getAttribute('data-verdict')) === 'clean', `verdict ${await result.getAttribute('data-verdict')}`);
      const text = await result.innerText();
      assert(/Esito: pulito/.test(text) && /Pulito/.test(text), `result: ${text}`);
      await shot(page, 'antivirus-verifica-pulito');
    });

    await step(admin.page, `antivirus: a file with the marker is infected, signature ${MARKER_SIGNATURE}`, async () => {
      const page = admin.page;
      const name = `marcatore-${tag}.txt`;
      const result = await scanFile(name, `Prova del servizio antivirus\n${MARKER}\n`);
      assert((await result.getAttribute('data-verdict')) === 'infected', `verdict ${await result.getAttribute('data-verdict')}`);
      assert(/Esito: infetto/.test(await result.innerText()), `result: ${await result.innerText()}`);
      const signature = (await page.getByTestId('scan-signature').innerText()).trim();
      assert(signature === MARKER_SIGNATURE, `signature "${signature}"`);
      const row = page.getByTestId('scans-table').locator('tbody tr', { hasText: name });
      await row.waitFor();
      const text = await row.innerText();
      assert(/Infetto/.test(text) && text.includes(MARKER_SIGNATURE), `history row: ${text}`);
      await page.waitForLoadState('networkidle').catch(() => {});
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'antivirus-verifica-infetto');
    });

    let token = '';
    const reported = await step(admin.page, 'antivirus: the admin creates an agent token and the endpoint it reports is listed', async () => {
      const page = admin.page;
      await openSection(page, 'Postazioni');
      const form = page.getByTestId('agent-token-form');
      await form.getByLabel(label('Ente')).selectOption(CREMONA);
      await form.getByLabel(label('Nome della postazione')).fill(hostname);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/antivirus/agents'),
        form.getByRole('button', { name: 'Crea il token' }).click(),
      ]);
      assert(res.status() === 201, `POST agents answered ${res.status()}`);
      const shown = page.getByTestId('agent-token-result');
      await shown.waitFor();
      token = (await shown.getByLabel(label("Token dell'agente")).inputValue()).trim();
      assert(token.length >= 16, `token "${token}"`);
      const command = await shown.getByLabel(label('Comando per Linux (server con ClamAV)')).inputValue();
      assert(command === `cst av report --server ${origin} --token ${token}`, `command: ${command}`);
      assert(/PowerShell/.test(await shown.innerText()), 'no Windows (PowerShell) hint');

      const now = Date.now();
      const report = await fetch(`${BASE}/api/v1/antivirus/endpoints/report`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          hostname,
          os: 'Debian GNU/Linux 12 (bookworm)',
          product: 'ClamAV',
          engine_version: '1.4.2',
          signature_version: '27500',
          signature_updated_at: new Date(now - 2 * 3600e3).toISOString(),
          last_full_scan_at: new Date(now - 20 * 3600e3).toISOString(),
          detections: 0,
          realtime_protection: false,
        }),
      });
      assert(report.status === 200 || report.status === 201, `endpoint report answered ${report.status}: ${await report.text()}`);

      await page.getByRole('button', { name: 'Aggiorna' }).click();
      const row = page.getByTestId('endpoints-table').locator(`tbody tr[data-endpoint="${hostname}"]`);
      await row.waitFor();
      const text = await row.innerText();
      assert(/Protetta/.test(text) && /Cremona/.test(text) && /ClamAV/.test(text), `endpoint row: ${text}`);
      await page.getByTestId('endpoint-summary-table').locator(`tbody tr[data-ente="${CREMONA}"]`).waitFor();
      const canvas = page.getByTestId('endpoints-chart').locator('canvas');
      await canvas.waitFor();
      assert((await canvas.getAttribute('role')) === 'img' && /Cremona/.test((await canvas.getAttribute('aria-label')) ?? ''), 'the chart has no text alternative naming Cremona');
      await page.waitForLoadState('networkidle').catch(() => {});
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'antivirus-postazioni');
    });

    await step(committee.page, `antivirus: ${COMMITTEE_USER} (committee) sees the engine and the summary chart only`, async () => {
      const page = committee.page;
      await logIn(page, BASE, COMMITTEE_USER, DEMO_PASSWORD);
      await gotoNav(page, 'Antivirus');
      await page.getByTestId('av-engine-details').waitFor();
      const tabs = await sectionNames(page);
      assert(tabs.join('|') === 'Motore|Postazioni', `tabs: ${tabs.join(', ')}`);
      await openSection(page, 'Postazioni');
      await page.getByTestId('av-endpoint-summary').getByRole('heading', { level: 2 }).waitFor();
      if (reported) await page.getByTestId('endpoints-chart').locator('canvas').waitFor();
      await page.waitForLoadState('networkidle').catch(() => {});
      for (const id of ['endpoints-table', 'agent-token-form'])
        assert((await page.getByTestId(id).count()) === 0, `${id} shown to the committee`);
      assert((await page.locator('main').getByRole('alert').count()) === 0, `an error is shown: ${await page.locator('main').innerText()}`);
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'antivirus-comitato');
    });

    await step(citizen.page, `antivirus: ${CITIZEN_USER} (citizen) has no "Antivirus" in the navigation`, async () => {
      const page = citizen.page;
      await logIn(page, BASE, CITIZEN_USER, DEMO_PASSWORD);
      const nav = page.getByRole('navigation', { name: 'Navigazione principale' });
      // The modules' entries come with /api/v1/modules: wait for the service desk's.
      await nav.getByRole('link', { name: 'Call center unico', exact: true }).waitFor();
      assert((await nav.getByRole('link', { name: 'Antivirus', exact: true }).count()) === 0, '"Antivirus" offered to a citizen');
      await page.goto(`${BASE}/antivirus`, { waitUntil: 'domcontentloaded' });
      await page.getByText('Il servizio antivirus è riservato').waitFor();
      assert((await page.getByTestId('antivirus-nav').count()) === 0, 'antivirus sections offered to a citizen');
    });

    await step(admin.page, 'antivirus: the events list the quarantine; the thresholds refuse 0 next to the field', async () => {
      const page = admin.page;
      await openSection(page, 'Eventi');
      await page.getByTestId('events-table').locator('tbody tr[data-kind="quarantine"]').first().waitFor();
      await openSection(page, 'Soglie');
      const form = page.getByTestId('av-settings-form');
      const field = form.getByLabel(label('Postazione non aggiornata dopo (ore)'));
      await field.fill('0');
      await form.getByRole('button', { name: 'Salva le soglie' }).click();
      const err = await fieldError(field);
      assert(err.text !== '' && err.near, `error: ${JSON.stringify(err)}`);
      await assertFocused(field, 'focus not moved to the wrong threshold');
      const p = await pageProblems(page);
      assert(p.length === 0, p.join('; '));
      await shot(page, 'antivirus-soglie-errore');
    });

    if (refused) {
      await step(admin.page, 'antivirus: the admin downloads the quarantined file, then discards it with a reason', async () => {
        const page = admin.page;
        await openSection(page, 'Quarantena');
        const row = page.getByTestId('quarantine-table').locator('tbody tr', { hasText: quarantined });
        await row.waitFor();
        const link = row.getByRole('link', { name: /^Scarica/ });
        const href = await link.getAttribute('href');
        assert(/^\/api\/v1\/antivirus\/quarantine\/[^/]+\/content$/.test(href ?? ''), `download link ${href}`);
        const got = await page.evaluate(async (u) => {
          const r = await fetch(u, { credentials: 'same-origin' });
          return { status: r.status, text: await r.text() };
        }, href);
        assert(got.status === 200 && got.text.includes(MARKER), `download: ${got.status}`);
        await row.getByRole('button', { name: /^Rilascia/ }).waitFor();
        await row.getByRole('button', { name: /^Elimina/ }).click();
        const decision = page.getByTestId('quarantine-decision-form');
        const reason = decision.getByLabel(label('Motivo'));
        await assertFocused(reason, 'focus not moved to "Motivo"');
        await decision.getByRole('button', { name: 'Elimina il contenuto' }).click();
        const err = await fieldError(reason);
        assert(err.text !== '' && err.near, `reason error: ${JSON.stringify(err)}`);
        await reason.fill('Prova automatica E2E: file di prova con il marcatore.');
        const [res] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/antivirus\/quarantine\/[^/]+\/discard$/.test(new URL(r.url()).pathname)),
          decision.getByRole('button', { name: 'Elimina il contenuto' }).click(),
        ]);
        assert(res.status() === 200, `discard answered ${res.status()}`);
        await page.getByRole('status').filter({ hasText: `Contenuto di «${quarantined}» eliminato` }).waitFor();
        await page.waitForFunction(
          (name) =>
            [...document.querySelectorAll('[data-testid="quarantine-table"] tbody tr')].some((tr) => tr.textContent.includes(name) && tr.textContent.includes('Eliminato')),
          quarantined,
        );
        const after = page.getByTestId('quarantine-table').locator('tbody tr', { hasText: quarantined });
        assert((await after.getByRole('link', { name: /^Scarica/ }).count()) === 0, '"Scarica" still offered for a discarded file');
        assert(/Prova automatica E2E/.test(await after.innerText()), 'the reason is not shown');
        await shot(page, 'antivirus-quarantena-eliminato');
      });
    }

    if (reported) {
      await step(admin.page, 'antivirus: the admin retires the e2e endpoint after confirming', async () => {
        const page = admin.page;
        await openSection(page, 'Postazioni');
        const row = page.getByTestId('endpoints-table').locator(`tbody tr[data-endpoint="${hostname}"]`);
        await row.getByRole('button', { name: /^Ritira/ }).click();
        const confirm = page.getByTestId('inline-confirm');
        await confirm.waitFor();
        assert((await confirm.innerText()).includes(hostname), 'the question does not name the endpoint');
        await confirm.getByRole('button', { name: 'Ritira', exact: true }).click();
        await page.getByRole('status').filter({ hasText: `Postazione ${hostname} ritirata` }).waitFor();
        await page.waitForFunction((h) => !document.querySelector(`[data-testid="endpoints-table"] tr[data-endpoint="${h}"]`), hostname);
      });
    }

    await step(admin.page, 'antivirus: no request left the server and no script error', async () => {
      for (const br of [admin, referent, committee, citizen]) {
        assert(br.foreign.length === 0, `requests to other hosts: ${br.foreign.slice(0, 5).join(', ')}`);
        assert(br.pageErrors.length === 0, `page errors: ${br.pageErrors.slice(0, 3).join(' | ')}`);
      }
    });
  } finally {
    for (const br of [admin, referent, committee, citizen]) await br.close();
  }
}
