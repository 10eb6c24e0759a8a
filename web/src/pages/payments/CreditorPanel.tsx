import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, toApiError } from '../../api/client';
import { getCreditor } from '../../api/payments';
import type { Creditor } from '../../api/types';
import { EnteSelect, useEnteChoice } from '../../components/EnteSelect';
import { Loading } from '../../components/Page';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
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
  const [creditor, setCreditor] = useState<Creditor | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    setCreditor(null);
    setError(null);
    setEditing(false);
    setDone(null);
    if (!ente) return;
    let live = true;
    getCreditor(ente)
      .then((c) => live && setCreditor(c))
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, [ente]);

  const closeForm = () => {
    setEditing(false);
    // The form goes away: give the focus back to the button that opened it.
    setTimeout(() => editButton.current?.focus(), 0);
  };

  const onSaved = (saved: Creditor) => {
    setCreditor(saved);
    setDone('Configurazione salvata.');
    closeForm();
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
      {choices.length > 1 ? (
        <div className="row">
          <EnteSelect name="ente" choices={choices} value={ente} onChange={pickEnte} />
        </div>
      ) : (
        ente && (
          <p data-testid="payments-ente">
            Ente: <strong>{`${enteName} (${ente})`}</strong>
          </p>
        )
      )}
      {!ente && choices.length > 1 && <p>Scegli l'ente di cui vedere la configurazione.</p>}
      {!ente && choices.length === 0 && enti.length > 0 && (
        <div className="alert alert-warning" role="alert">
          Nessun ente di cui tu possa vedere la configurazione.
        </div>
      )}
      <ProblemAlert error={error} />
      <StatusMessage message={done} />
      {ente && !creditor && !error && <Loading />}
      {creditor && editable && !editing && (
        <button
          ref={editButton}
          type="button"
          className="btn btn-primary mb-4"
          onClick={() => {
            setDone(null);
            setEditing(true);
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
      {creditor && editing && <CreditorForm ente={ente} saved={creditor} onSaved={onSaved} onCancel={closeForm} />}
      {creditor && !editing && <CreditorSummary creditor={creditor} editable={editable} />}
    </section>
  );
}
