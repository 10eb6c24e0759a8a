import { useEffect, useMemo, useState } from 'react';
import { getCreditor } from '../../api/payments';
import type { Creditor } from '../../api/types';
import { EnteChooser, useEnteChoice } from '../../components/EnteSelect';
import { Loading } from '../../components/Page';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { useFormOpener } from '../../components/useFormOpener';
import { useLoaded } from '../../components/useLoaded';
import { creditorEnti, mayEditCreditor } from '../../payments';
import { useSession } from '../../session';
import { CreditorForm } from './CreditorForm';
import { CreditorSummary } from './CreditorSummary';

// "Ente creditore": one ente's pagoPA creditor configuration. Users with several enti choose one
// (following the header's selector until they do); an ente's user sees their own. Whoever may
// change it (cst_admin, the ente's referent) opens the form from the "Modifica" button.

export function CreditorPanel() {
  const { me, enti, entiByIstat } = useSession();
  const grants = me?.grants ?? [];
  const choices = useMemo(() => creditorEnti(me?.grants ?? [], enti), [me, enti]);
  const [ente, pickEnte] = useEnteChoice(choices);
  const editable = !!ente && mayEditCreditor(grants, ente);
  const { data: creditor, setData: setCreditor, error } = useLoaded(ente || null, getCreditor);
  const editor = useFormOpener();
  const [done, setDone] = useState<string | null>(null);

  // Another ente: its own configuration, without the form or the message left by the last one.
  useEffect(() => {
    editor.hide();
    setDone(null);
  }, [ente]); // only a change of ente

  const onSaved = (saved: Creditor) => {
    setCreditor(saved);
    setDone('Configurazione salvata.');
    editor.close();
  };

  const enteName = entiByIstat.get(ente)?.name ?? ente;

  return (
    <section aria-labelledby="pay-creditor-title" data-testid="payments-creditor">
      <h2 className="h3" id="pay-creditor-title">
        Ente creditore
      </h2>
      <p>
        Per pagoPA ogni ente è un creditore, riconosciuto dal suo codice fiscale. I pagamenti sono accreditati sui suoi conti e ogni
        versamento dice a che cosa si riferisce con un codice della tassonomia dei servizi di incasso.
      </p>
      <EnteChooser
        choices={choices}
        ente={ente}
        onChange={pickEnte}
        prompt="Scegli l'ente di cui vedere la configurazione."
        testId="payments-ente"
        className="row"
      />
      {!ente && choices.length === 0 && enti.length > 0 && (
        <div className="alert alert-warning" role="alert">
          Nessun ente di cui tu possa vedere la configurazione.
        </div>
      )}
      <ProblemAlert error={error} />
      <StatusMessage message={done} />
      {ente && !creditor && !error && <Loading />}
      {creditor && editable && !editor.open && (
        <button
          ref={editor.button}
          type="button"
          className="btn btn-primary mb-4"
          onClick={() => {
            setDone(null);
            editor.show();
          }}
        >
          {creditor.configured ? (
            <>
              Modifica<span className="visually-hidden"> la configurazione di {enteName}</span>
            </>
          ) : (
            <>
              Configura<span className="visually-hidden"> {enteName} come creditore</span>
            </>
          )}
        </button>
      )}
      {creditor && editor.open && <CreditorForm ente={ente} saved={creditor} onSaved={onSaved} onCancel={editor.close} />}
      {creditor && !editor.open && <CreditorSummary creditor={creditor} editable={editable} />}
    </section>
  );
}
