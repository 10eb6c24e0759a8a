import { useEffect, useState } from 'react';
import { Loading } from '../../components/Page';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { useFormOpener } from '../../components/useFormOpener';
import { useLoaded } from '../../components/useLoaded';
import { getRetention, mayEditRetention, retentionText } from '../../preservation';
import { useSession } from '../../session';
import { RetentionForm } from './RetentionForm';

// "Tempi di conservazione": how long each of the ente's document classes is kept. Everyone who
// reads the archive sees the table; the ente's referent and the CST change it.

export function RetentionSection({ ente, onSaved }: { ente: string; onSaved: () => void }) {
  const { me } = useSession();
  const canEdit = mayEditRetention(me?.grants ?? [], ente);
  const { data: table, setData: setTable, error } = useLoaded(ente, getRetention);
  const editor = useFormOpener();
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    editor.hide();
    setDone(null);
  }, [ente]); // another ente: its own table, without the last one's form

  return (
    <section aria-labelledby="pres-retention-title" className="mb-5" data-testid="retention">
      <h3 className="h4" id="pres-retention-title">
        Tempi di conservazione
      </h3>
      <ProblemAlert error={error} />
      <StatusMessage message={done} />
      {!table && !error && <Loading />}
      {table && table.rules.length === 0 && (
        <p data-testid="retention-empty">Nessun tempo di conservazione: ogni classe documentale dell'ente si conserva senza limiti di tempo.</p>
      )}
      {table && table.rules.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" aria-labelledby="pres-retention-title" data-testid="retention-table">
            <thead>
              <tr>
                <th scope="col">Classe documentale</th>
                <th scope="col">Conservazione</th>
                <th scope="col">Nota</th>
              </tr>
            </thead>
            <tbody>
              {table.rules.map((r) => (
                <tr key={r.document_class} data-class={r.document_class}>
                  <th scope="row" className="font-monospace">
                    {r.document_class}
                  </th>
                  <td>{retentionText(r.years)}</td>
                  <td className="cst-detail">{r.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {table && canEdit && !editor.open && (
        <button
          ref={editor.button}
          type="button"
          className="btn btn-outline-primary"
          onClick={() => {
            setDone(null);
            editor.show();
          }}
        >
          Modifica i tempi di conservazione
        </button>
      )}
      {table && canEdit && editor.open && (
        <RetentionForm
          ente={ente}
          saved={table.rules}
          onSaved={(t) => {
            setTable(t);
            setDone('Tempi di conservazione salvati.');
            editor.close();
            onSaved();
          }}
          onCancel={editor.close}
        />
      )}
    </section>
  );
}
