import { useEffect, useId, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Article, ArticleInput, ArticleVisibility } from '../api/types';
import { RequiredNote, SelectField, TextAreaField, TextField } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useProblemForm, type FieldErrors } from '../components/useProblemForm';
import { sentence } from '../format';
import { categoryOptions, useTicketCategories, VISIBILITY_LABELS } from '../helpdesk';

// The desk's form for an article of the knowledge base: a new one (POST) or, with `editing`,
// the whole article replaced (PUT). The text is plain: line breaks are kept, markup is not.

type Field = 'title' | 'body' | 'category_id' | 'visibility';
const LABELS: Record<Field, string> = { title: 'Titolo', body: 'Testo', category_id: 'Categoria', visibility: 'Visibilità' };
const MAX_TITLE = 200;

export function ArticleForm({
  editing,
  onSaved,
  onCancel,
}: {
  editing: Article | null;
  onSaved: (a: Article, created: boolean) => void;
  onCancel: () => void;
}) {
  const form = useProblemForm<Field>({
    order: ['title', 'body', 'category_id', 'visibility'],
    labels: LABELS,
    toField: (f) => (f in LABELS ? (f as Field) : null),
    message: sentence,
  });
  const categories = useTicketCategories();
  const [title, setTitle] = useState(editing?.title ?? '');
  const [body, setBody] = useState(editing?.body ?? '');
  const [category, setCategory] = useState(editing?.category_id == null ? '' : String(editing.category_id));
  const [visibility, setVisibility] = useState<ArticleVisibility>(editing?.visibility ?? 'public');
  const headingId = `${useId()}-title`;

  // The form opens from a button: start at the title.
  useEffect(() => {
    form.refs.current.title?.focus();
  }, [form.refs]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    const invalid: FieldErrors<Field> = {};
    if (!title.trim()) invalid.title = 'Scrivi il titolo.';
    if (!body.trim()) invalid.body = "Scrivi il testo dell'articolo.";
    if (!form.check(invalid)) return;
    const input: ArticleInput = { title: title.trim(), body: body.trim(), category_id: category ? Number(category) : null, visibility };
    void form.send(
      () =>
        editing
          ? api<Article>('PUT', `/api/v1/helpdesk/articles/${editing.id}`, input)
          : api<Article>('POST', '/api/v1/helpdesk/articles', input),
      (a) => onSaved(a, !editing),
    );
  };

  return (
    <section aria-labelledby={headingId} className="cst-panel mb-4" data-testid="article-form-panel">
      <h2 className="h3" id={headingId}>
        {editing ? "Modifica l'articolo" : 'Nuovo articolo'}
      </h2>
      <RequiredNote />
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <form onSubmit={submit} noValidate aria-labelledby={headingId} className="cst-form" data-testid="article-form">
        <TextField
          {...form.field('title')}
          label="Titolo"
          required
          maxLength={MAX_TITLE}
          autoComplete="off"
          hint="Il problema come lo descriverebbe chi lo incontra, per esempio: La stampante non stampa."
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
        <TextAreaField
          {...form.field('body')}
          label="Testo"
          required
          rows={10}
          hint="Testo semplice: gli a capo sono mantenuti."
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
        <div className="row">
          <SelectField className="col-12 col-md-6" {...form.field('category_id')} label="Categoria" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">Nessuna</option>
            {categoryOptions(categories).map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.label}
              </option>
            ))}
          </SelectField>
          <SelectField
            className="col-12 col-md-6"
            {...form.field('visibility')}
            label="Visibilità"
            required
            value={visibility}
            onChange={(e) => setVisibility(e.target.value as ArticleVisibility)}
          >
            {(Object.keys(VISIBILITY_LABELS) as ArticleVisibility[]).map((v) => (
              <option key={v} value={v}>
                {VISIBILITY_LABELS[v]}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="d-flex flex-wrap gap-2 mt-3">
          <button type="submit" className="btn btn-primary" disabled={form.busy}>
            {form.busy ? 'Salvataggio in corso…' : editing ? 'Salva le modifiche' : "Pubblica l'articolo"}
          </button>
          <button type="button" className="btn btn-outline-primary" onClick={onCancel} disabled={form.busy}>
            Annulla
          </button>
        </div>
      </form>
    </section>
  );
}
