import { useEffect, useMemo, useState } from 'react';
import { getConfiguration } from '../../api/protocol';
import { Row } from '../../components/DefinitionRow';
import { EnteChooser, useEnteChoice } from '../../components/EnteSelect';
import { Loading } from '../../components/Page';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { useFormOpener } from '../../components/useFormOpener';
import { useLoaded } from '../../components/useLoaded';
import { formatDate, formatDateTime } from '../../format';
import { mayConfigure, mayRegister, readableEnti } from '../../protocol';
import { useSession } from '../../session';
import { AooForm, ClassForm, FolderForm } from './ConfigForms';

// "Titolario e AOO": one ente's area organizzativa omogenea (its IPA code, name and register
// code, written in every segnatura), its titolario (the classes a registration is filed under) and
// its fascicoli. Every reader of the register sees them; the ente's referent and cst_admin change
// the AOO and add classes; whoever registers documents opens fascicoli. Users with several enti
// choose one (the header's until they do).

export function ConfigurationPanel() {
  const { me, enti, entiByIstat } = useSession();
  const grants = me?.grants ?? [];
  const choices = useMemo(() => readableEnti(me?.grants ?? [], enti), [me, enti]);
  const [ente, pickEnte] = useEnteChoice(choices);
  const enteName = entiByIstat.get(ente)?.name ?? ente;
  const configure = !!ente && mayConfigure(grants, ente);
  const openFolders = !!ente && mayRegister(grants, ente);
  const { data: config, setData: setConfig, error } = useLoaded(ente || null, getConfiguration);
  const { aoo, classes, folders } = config ?? { aoo: null, classes: null, folders: null };
  const aooForm = useFormOpener();
  const [done, setDone] = useState<string | null>(null);

  // Another ente: its own AOO, without the form or the message left by the last one.
  useEffect(() => {
    aooForm.hide();
    setDone(null);
  }, [ente]); // only a change of ente

  const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code, 'it', { numeric: true });

  return (
    <section aria-labelledby="prot-config-title" data-testid="protocol-config">
      <h2 className="h3" id="prot-config-title">
        Titolario e AOO
      </h2>
      <p>
        Ogni ente tiene il suo registro di protocollo nella propria area organizzativa omogenea (AOO), indicata nella segnatura di
        ogni registrazione; ogni documento registrato è classificato secondo il titolario dell'ente e può essere inserito in un
        fascicolo.
      </p>
      <EnteChooser
        choices={choices}
        ente={ente}
        onChange={pickEnte}
        prompt="Scegli l'ente di cui vedere l'AOO e il titolario."
        testId="protocol-config-ente"
      />
      <ProblemAlert error={error} />
      <StatusMessage message={done} />
      {ente && !aoo && !error && <Loading />}

      {aoo && (
        <>
          <h3 className="h4" id="prot-aoo-title">
            Area organizzativa omogenea
          </h3>
          {aoo.configured ? (
            <dl className="cst-dl mb-4" aria-labelledby="prot-aoo-title" data-testid="aoo-summary">
              <Row term="Codice IPA dell'AOO">
                <span className="font-monospace">{aoo.aoo_code}</span>
              </Row>
              <Row term="Denominazione">{aoo.aoo_name}</Row>
              <Row term="Codice del registro">
                <span className="font-monospace">{aoo.registry_code}</span>
              </Row>
              <Row term="PEC dell'AOO">{aoo.pec || 'non indicata'}</Row>
              {aoo.updated_at && (
                <Row term="Ultima modifica">
                  <time dateTime={aoo.updated_at}>{formatDateTime(aoo.updated_at)}</time> da {aoo.updated_by}
                </Row>
              )}
            </dl>
          ) : (
            <div className="callout" data-testid="aoo-missing">
              <div className="callout-title">AOO non configurata</div>
              <p>
                {configure
                  ? 'Configura l’AOO dell’ente: finché non è configurata non si possono registrare documenti.'
                  : 'L’AOO dell’ente non è ancora configurata: finché il referente dell’ente non la configura non si possono registrare documenti.'}
              </p>
            </div>
          )}
          {configure && !aooForm.open && (
            <button
              ref={aooForm.button}
              type="button"
              className="btn btn-primary mb-4"
              onClick={() => {
                setDone(null);
                aooForm.show();
              }}
            >
              {aoo.configured ? (
                <>
                  Modifica l'AOO<span className="visually-hidden"> di {enteName}</span>
                </>
              ) : (
                <>
                  Configura l'AOO<span className="visually-hidden"> di {enteName}</span>
                </>
              )}
            </button>
          )}
          {configure && aooForm.open && (
            <AooForm
              ente={ente}
              saved={aoo}
              onSaved={(a) => {
                setConfig((c) => c && { ...c, aoo: a });
                setDone('AOO salvata.');
                aooForm.close();
              }}
            />
          )}
        </>
      )}

      {classes && (
        <>
          <h3 className="h4" id="prot-classes-title">
            Titolario
          </h3>
          {classes.length === 0 ? (
            <p data-testid="classes-empty">Il titolario dell'ente non ha ancora classi.</p>
          ) : (
            <div className="table-responsive">
              <table className="table cst-table" aria-labelledby="prot-classes-title" data-testid="classes-table">
                <thead>
                  <tr>
                    <th scope="col">Codice</th>
                    <th scope="col">Descrizione</th>
                    <th scope="col">In uso</th>
                  </tr>
                </thead>
                <tbody>
                  {classes.map((c) => (
                    <tr key={c.code} data-code={c.code}>
                      <th scope="row" className="font-monospace">
                        {c.code}
                      </th>
                      <td>{c.description}</td>
                      <td>{c.active ? 'sì' : 'no'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {configure && (
            <ClassForm
              ente={ente}
              onAdded={(c) => {
                setConfig((x) => x && { ...x, classes: [...x.classes, c].sort(byCode) });
                setDone(`Classe ${c.code} aggiunta al titolario.`);
              }}
            />
          )}
        </>
      )}

      {folders && classes && (
        <>
          <h3 className="h4" id="prot-folders-title">
            Fascicoli
          </h3>
          {folders.length === 0 ? (
            <p data-testid="folders-empty">Nessun fascicolo aperto.</p>
          ) : (
            <div className="table-responsive">
              <table className="table cst-table" aria-labelledby="prot-folders-title" data-testid="folders-table">
                <thead>
                  <tr>
                    <th scope="col">Codice</th>
                    <th scope="col">Oggetto</th>
                    <th scope="col">Classe</th>
                    <th scope="col">Aperto il</th>
                    <th scope="col">Chiuso il</th>
                  </tr>
                </thead>
                <tbody>
                  {folders.map((f) => (
                    <tr key={f.code} data-code={f.code}>
                      <th scope="row" className="font-monospace">
                        {f.code}
                      </th>
                      <td className="cst-detail">{f.subject}</td>
                      <td className="font-monospace">{f.class_code}</td>
                      <td>{formatDate(f.opened_on)}</td>
                      <td>{f.closed_on ? formatDate(f.closed_on) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {openFolders && (
            <FolderForm
              ente={ente}
              classes={classes}
              onOpened={(f) => {
                setConfig((x) => x && { ...x, folders: [...x.folders, f] });
                setDone(`Fascicolo ${f.code} aperto.`);
              }}
            />
          )}
        </>
      )}
    </section>
  );
}
