import { useCallback, useRef, useState, type FormEvent } from 'react';
import { api, query } from '../api/client';
import type { Article, ArticleSummary, Page } from '../api/types';
import { FilterButtons, SelectField, TextField } from '../components/Field';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert } from '../components/ProblemAlert';
import { usePagedList } from '../components/usePagedList';
import { formatDateTime } from '../format';
import { articlePath, categoryOptions, categoryPaths, HelpdeskBreadcrumb, InternalBadge, isDesk, useTicketCategories } from '../helpdesk';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { ArticleForm } from './ArticleForm';
import { HelpdeskNav } from './HelpdeskNav';

// "Base di conoscenza" (/assistenza/conoscenza): answers to the common problems, searched by
// words (ranked by the server) and category; the desk also writes them.

const TITLE = 'Base di conoscenza';
const PAGE_SIZE = 20;

interface Filters {
  q: string;
  category: string;
}

const BLANK: Filters = { q: '', category: '' };

export function KnowledgePage() {
  const { me, setNotice } = useSession();
  const desk = !!me && isDesk(me.grants);
  const categories = useTicketCategories();
  const paths = categoryPaths(categories);
  const [draft, setDraft] = useState<Filters>(BLANK);
  const [applied, setApplied] = useState<Filters>(BLANK);
  const [creating, setCreating] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);

  const fetchPage = useCallback(
    (f: Filters, cursor: string | null) =>
      api<Page<ArticleSummary>>('GET', '/api/v1/helpdesk/articles' + query({ q: f.q.trim(), category: f.category, limit: PAGE_SIZE, cursor })),
    [],
  );
  const { items, next, error, loadingMore, loadMore } = usePagedList(fetchPage, applied);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...draft });
  };
  const reset = () => {
    setDraft(BLANK);
    setApplied(BLANK);
  };

  const onCreated = (a: Article) => {
    const to = articlePath(a.id);
    navigate(to);
    setNotice({ text: `Articolo «${a.title}» pubblicato.`, path: to });
  };

  const closeForm = () => {
    setCreating(false);
    // The form goes away: give the focus back to the button that opened it.
    setTimeout(() => newButton.current?.focus(), 0);
  };

  const searched = applied.q.trim() !== '' || applied.category !== '';
  return (
    <>
      <HelpdeskBreadcrumb current={TITLE} />
      <PageTitle title={TITLE} lead="Le soluzioni ai problemi più comuni: prima di aprire una segnalazione, cerca qui.">
        {TITLE}
      </PageTitle>
      <HelpdeskNav />
      {desk && (
        <div className="mb-4">
          <button ref={newButton} type="button" className="btn btn-primary mb-3" aria-expanded={creating} onClick={() => setCreating((c) => !c)}>
            Nuovo articolo
          </button>
          {creating && <ArticleForm editing={null} onSaved={onCreated} onCancel={closeForm} />}
        </div>
      )}
      <form role="search" aria-label="Cerca nella base di conoscenza" className="cst-panel cst-form mb-4" onSubmit={submit} data-testid="article-filters">
        <div className="row">
          <TextField
            className="col-12 col-lg-6"
            label="Cerca"
            name="q"
            type="search"
            autoComplete="off"
            hint="Parole del titolo o del testo, per esempio: stampante."
            value={draft.q}
            onChange={(e) => setDraft((d) => ({ ...d, q: e.target.value }))}
            error={error?.fieldErrors().q}
          />
          <SelectField
            className="col-12 col-md-6 col-lg-3"
            label="Categoria"
            name="category"
            value={draft.category}
            onChange={(e) => setDraft((d) => ({ ...d, category: e.target.value }))}
          >
            <option value="">Tutte le categorie</option>
            {categoryOptions(categories).map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.label}
              </option>
            ))}
          </SelectField>
          <FilterButtons onReset={reset} className="col-12 col-md-6 col-lg-3" />
        </div>
      </form>
      <ProblemAlert error={error} />
      <h2 className="h3" id="elenco-articoli">
        {searched ? 'Risultati della ricerca' : 'Articoli'}
      </h2>
      <p className="visually-hidden" aria-live="polite">
        {items ? `${items.length} articoli${next ? ' mostrati, altri disponibili' : ' trovati'}` : ''}
      </p>
      {!items && <Loading />}
      {items && items.length === 0 && !error && (
        <div className="callout">
          <div className="callout-title">Nessun articolo</div>
          <p>{searched ? 'Nessun articolo corrisponde alla ricerca: prova con altre parole, oppure apri una segnalazione.' : 'La base di conoscenza è vuota.'}</p>
        </div>
      )}
      {items && items.length > 0 && (
        <ul className="list-unstyled cst-article-list" aria-labelledby="elenco-articoli" data-testid="article-list">
          {items.map((a) => (
            <li key={a.id} data-article={a.id}>
              <h3 className="h5 mb-1">
                <Link to={articlePath(a.id)}>{a.title}</Link> <InternalBadge visibility={a.visibility} />
              </h3>
              <p className="small mb-1 cst-article-meta">
                {a.category_id !== null && <>{paths.get(a.category_id) ?? `Categoria n. ${a.category_id}`} · </>}
                Aggiornato il <time dateTime={a.updated_at}>{formatDateTime(a.updated_at)}</time>
              </p>
              <p className="cst-ticket-text mb-0">{a.excerpt}</p>
            </li>
          ))}
        </ul>
      )}
      {next && (
        <button type="button" className="btn btn-outline-primary" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? 'Caricamento…' : 'Carica altri'}
        </button>
      )}
    </>
  );
}
