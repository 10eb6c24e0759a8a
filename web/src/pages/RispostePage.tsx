import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, toApiError } from '../api/client';
import type { CannedAnswer, CannedAnswerInput } from '../api/types';
import { RequiredNote, SelectField, TextAreaField, TextField } from '../components/Field';
import { InlineConfirm } from '../components/InlineConfirm';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../components/useProblemForm';
import { formatDateTime, sentence } from '../format';
import { categoryOptions, categoryPaths, HelpdeskBreadcrumb, isDesk, useCannedAnswers, useTicketCategories } from '../helpdesk';
import { useSession } from '../session';

// "Risposte predefinite" (/assistenza/risposte): the desk's canned answers, which a reply
// may use instead of a written text; the server fills the placeholders when one is sent.

const TITLE = 'Risposte predefinite';
const PLACEHOLDERS = '{richiedente}, {ticket}, {oggetto}, {operatore}, {ente}';

export function RispostePage() {
  const { me } = useSession();
  const desk = !!me && isDesk(me.grants);
  const canned = useCannedAnswers(desk);
  const categories = useTicketCategories();
  const [editing, setEditing] = useState<CannedAnswer | null>(null);
  // Whether the form was last remounted by the user (edit, cancel) rather than by a save.
  const [focusForm, setFocusForm] = useState(false);
  const [deleting, setDeleting] = useState<CannedAnswer | null>(null);
  const [deleteError, setDeleteError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const paths = categoryPaths(categories);

  if (!desk) {
    return (
      <>
        <HelpdeskBreadcrumb current={TITLE} />
        <PageTitle title={TITLE}>{TITLE}</PageTitle>
        <div className="alert alert-warning" role="alert">
          Le risposte predefinite sono riservate al call center del CST.
        </div>
      </>
    );
  }

  const edit = (a: CannedAnswer | null) => {
    setEditing(a);
    setFocusForm(true);
  };

  const onSaved = (a: CannedAnswer, created: boolean) => {
    setEditing(null);
    setFocusForm(false);
    setStatus(created ? `Risposta «${a.title}» creata.` : `Risposta «${a.title}» salvata.`);
    void canned.reload();
  };

  const remove = async () => {
    if (!deleting) return;
    setBusy(true);
    setDeleteError(null);
    try {
      await api<void>('DELETE', `/api/v1/helpdesk/canned-answers/${deleting.id}`);
      if (editing?.id === deleting.id) {
        setEditing(null);
        setFocusForm(false);
      }
      await canned.reload();
      setStatus(`Risposta «${deleting.title}» eliminata.`);
      setDeleting(null);
      // Its row (and the button used) went away: keep the focus on the page.
      setTimeout(() => statusRef.current?.focus(), 0);
    } catch (e) {
      setDeleteError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const items = canned.items;
  return (
    <>
      <HelpdeskBreadcrumb current={TITLE} />
      <PageTitle title={TITLE} lead={`Testi pronti per le risposte del call center. I segnaposto ${PLACEHOLDERS} sono compilati all'invio.`}>
        {TITLE}
      </PageTitle>
      <div ref={statusRef} tabIndex={-1} className="cst-focus-target">
        <StatusMessage message={status} />
      </div>
      <CannedAnswerForm
        key={editing?.id ?? 'new'}
        editing={editing}
        focusTitle={focusForm}
        categories={categoryOptions(categories)}
        onSaved={onSaved}
        onCancel={() => edit(null)}
      />

      <h2 className="h3 mt-5" id="elenco-risposte">
        Elenco
      </h2>
      <ProblemAlert error={canned.error ?? deleteError} />
      {deleting && (
        <InlineConfirm danger confirmLabel="Elimina" busy={busy} onConfirm={() => void remove()} onCancel={() => setDeleting(null)}>
          Eliminare la risposta «{deleting.title}»? Le risposte già inviate restano nei ticket.
        </InlineConfirm>
      )}
      {!items && <Loading />}
      {items && items.length === 0 && !canned.error && <p>Nessuna risposta predefinita.</p>}
      {items && items.length > 0 && (
        <div className="table-responsive">
          <table className="table cst-table" data-testid="canned-table" aria-labelledby="elenco-risposte">
            <thead>
              <tr>
                <th scope="col">Titolo</th>
                <th scope="col">Testo</th>
                <th scope="col">Categoria</th>
                <th scope="col">Aggiornata</th>
                <th scope="col">
                  <span className="visually-hidden">Azioni</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-canned={a.id}>
                  <th scope="row">{a.title}</th>
                  <td className="cst-ticket-text cst-detail">{a.body}</td>
                  <td>{a.category_id === null ? '—' : (paths.get(a.category_id) ?? `n. ${a.category_id}`)}</td>
                  <td className="small">
                    <time dateTime={a.updated_at}>{formatDateTime(a.updated_at)}</time>
                    {a.updated_by && <span className="d-block">{a.updated_by}</span>}
                  </td>
                  <td className="text-nowrap">
                    <button type="button" className="btn btn-outline-primary btn-xs me-2" onClick={() => edit(a)}>
                      Modifica<span className="visually-hidden"> «{a.title}»</span>
                    </button>
                    <button
                      type="button"
                      className="btn btn-outline-danger btn-xs"
                      onClick={() => {
                        setDeleteError(null);
                        setDeleting(a);
                      }}
                    >
                      Elimina<span className="visually-hidden"> «{a.title}»</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

type Field = 'title' | 'body' | 'category_id';
const LABELS: Record<Field, string> = { title: 'Titolo', body: 'Testo', category_id: 'Categoria' };

/** New answer (POST) or, with `editing`, the whole answer replaced (PUT). */
function CannedAnswerForm({
  editing,
  focusTitle,
  categories,
  onSaved,
  onCancel,
}: {
  editing: CannedAnswer | null;
  focusTitle: boolean;
  categories: { id: number; label: string }[];
  onSaved: (a: CannedAnswer, created: boolean) => void;
  onCancel: () => void;
}) {
  const form = useProblemForm<Field>({
    order: ['title', 'body', 'category_id'],
    labels: LABELS,
    toField: (f) => (f in LABELS ? (f as Field) : null),
    message: sentence,
  });
  const [title, setTitle] = useState(editing?.title ?? '');
  const [body, setBody] = useState(editing?.body ?? '');
  const [category, setCategory] = useState(editing?.category_id === null || !editing ? '' : String(editing.category_id));
  const heading = editing ? `Modifica «${editing.title}»` : 'Nuova risposta';

  // Opened by "Modifica" or "Annulla" (the form is mounted again for each answer): start at the title.
  useEffect(() => {
    if (focusTitle) form.refs.current.title?.focus();
  }, [focusTitle, form.refs]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const invalid: FieldErrors<Field> = {};
    if (!title.trim()) invalid.title = 'Scrivi il titolo.';
    if (!body.trim()) invalid.body = 'Scrivi il testo della risposta.';
    if (!form.check(invalid)) return;
    const input: CannedAnswerInput = { title: title.trim(), body: body.trim(), category_id: category ? Number(category) : null };
    void form.send(
      () =>
        editing
          ? api<CannedAnswer>('PUT', `/api/v1/helpdesk/canned-answers/${editing.id}`, input)
          : api<CannedAnswer>('POST', '/api/v1/helpdesk/canned-answers', input),
      (a) => {
        setTitle('');
        setBody('');
        setCategory('');
        onSaved(a, !editing);
      },
    );
  };

  return (
    <section aria-labelledby="risposta-form" className="cst-panel mb-4">
      <h2 className="h3" id="risposta-form">
        {heading}
      </h2>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <form onSubmit={submit} noValidate aria-labelledby="risposta-form" className="cst-form" data-testid="canned-form">
        <TextField {...form.field('title')} label="Titolo" required maxLength={120} autoComplete="off" value={title} onChange={(e) => setTitle(e.target.value)} />
        <TextAreaField
          {...form.field('body')}
          label="Testo"
          required
          rows={6}
          hint={`Segnaposto: ${PLACEHOLDERS}.`}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
        <SelectField {...form.field('category_id')} label="Categoria" hint="Facoltativa: l'ambito della risposta." value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">Nessuna</option>
          {categories.map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <div className="d-flex flex-wrap gap-2">
          <button type="submit" className="btn btn-primary" disabled={form.busy}>
            {form.busy ? 'Salvataggio in corso…' : editing ? 'Salva le modifiche' : 'Crea la risposta'}
          </button>
          {editing && (
            <button type="button" className="btn btn-outline-primary" onClick={onCancel}>
              Annulla
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
