import { useEffect, useRef, useState } from 'react';
import { api, ApiError, toApiError } from '../api/client';
import type { Article } from '../api/types';
import { InlineConfirm } from '../components/InlineConfirm';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { formatDateTime } from '../format';
import { categoryPaths, HelpdeskBreadcrumb, InternalBadge, isDesk, KNOWLEDGE_PATH, useTicketCategories } from '../helpdesk';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { ArticleForm } from './ArticleForm';

/** One article of the knowledge base; the desk edits or deletes it here. */
export function ArticlePage({ id }: { id: string }) {
  const { me, setNotice } = useSession();
  const desk = !!me && isDesk(me.grants);
  const categories = useTicketCategories();
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    setArticle(null);
    setError(null);
    setEditing(false);
    setDeleting(false);
    api<Article>('GET', `/api/v1/helpdesk/articles/${encodeURIComponent(id)}`)
      .then((a) => live && setArticle(a))
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, [id]);

  const onSaved = (a: Article) => {
    setArticle(a);
    setEditing(false);
    setNotice(null);
    setStatus('Modifiche salvate.');
    // The form (and the button used) went away: keep the focus on the page.
    setTimeout(() => statusRef.current?.focus(), 0);
  };

  const cancelEdit = () => {
    setEditing(false);
    setTimeout(() => editButton.current?.focus(), 0);
  };

  const remove = async () => {
    if (!article) return;
    setBusy(true);
    setError(null);
    try {
      await api<void>('DELETE', `/api/v1/helpdesk/articles/${article.id}`);
      navigate(KNOWLEDGE_PATH);
      setNotice({ text: `Articolo «${article.title}» eliminato.`, path: KNOWLEDGE_PATH });
    } catch (e) {
      setError(toApiError(e));
      setDeleting(false);
    } finally {
      setBusy(false);
    }
  };

  const title = article?.title ?? 'Articolo';
  const category = article?.category_id != null ? (categoryPaths(categories).get(article.category_id) ?? `n. ${article.category_id}`) : null;
  return (
    <>
      <HelpdeskBreadcrumb current={title} parents={[{ to: KNOWLEDGE_PATH, label: 'Base di conoscenza' }]} />
      <PageTitle title={title}>{title}</PageTitle>
      <ProblemAlert error={error} />
      <div ref={statusRef} tabIndex={-1} className="cst-focus-target">
        <StatusMessage message={status} />
      </div>
      {!article && !error && <Loading />}
      {article && (
        <>
          <p className="small cst-article-meta" data-testid="article-meta">
            <InternalBadge visibility={article.visibility} /> {category && <>Categoria: {category} · </>}
            Aggiornato il <time dateTime={article.updated_at}>{formatDateTime(article.updated_at)}</time>
            {article.updated_by && <> da {article.updated_by}</>}
          </p>
          {desk && !editing && (
            <div className="d-flex flex-wrap gap-2 mb-4">
              <button ref={editButton} type="button" className="btn btn-outline-primary" onClick={() => setEditing(true)}>
                Modifica
              </button>
              <button type="button" className="btn btn-outline-danger" onClick={() => setDeleting(true)} disabled={deleting}>
                Elimina
              </button>
            </div>
          )}
          {deleting && (
            <InlineConfirm danger confirmLabel="Elimina" busy={busy} onConfirm={() => void remove()} onCancel={() => setDeleting(false)}>
              Eliminare l'articolo «{article.title}»? Non sarà più suggerito né trovato nella ricerca.
            </InlineConfirm>
          )}
          {editing ? (
            <ArticleForm key={article.updated_at} editing={article} onSaved={onSaved} onCancel={cancelEdit} />
          ) : (
            // Plain text: React escapes it, the CSS keeps its line breaks.
            <div className="cst-ticket-text cst-article-body" data-testid="article-body">
              {article.body}
            </div>
          )}
        </>
      )}
      <p className="mt-4">
        <Link to={KNOWLEDGE_PATH}>Torna alla base di conoscenza</Link>
      </p>
    </>
  );
}
