import { useEffect, useId, useRef, useState } from 'react';
import { api, query } from '../api/client';
import type { ArticleSummary } from '../api/types';
import { articlePath } from '../helpdesk';

// "Forse può esserti utile:": while the subject of a new ticket is typed, the knowledge base
// articles that match it, so a known problem may be solved without a ticket. The links open in
// a new tab, where reading does not lose the form.

const DEBOUNCE_MS = 300;

/** The server ignores words under 3 letters: ask only when there is a longer one. */
function worthAsking(text: string): boolean {
  return text.split(/\s+/).some((w) => (w.match(/\p{L}/gu) ?? []).length >= 3);
}

/** Up to 5 articles for `text`, asked 300 ms after the last change; answers to older texts are dropped. */
function useSuggestions(text: string): ArticleSummary[] {
  const [items, setItems] = useState<ArticleSummary[]>([]);
  // Bumped by every change of the text: an answer for an older text is out of date.
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    const q = text.trim();
    if (!worthAsking(q)) {
      setItems([]);
      return;
    }
    const timer = setTimeout(() => {
      api<{ items: ArticleSummary[] }>('GET', '/api/v1/helpdesk/articles/suggest' + query({ q }))
        .then((r) => generation.current === mine && setItems(r.items ?? []))
        // A help, not a step of the form: when it fails, there is just nothing to suggest.
        .catch(() => generation.current === mine && setItems([]));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return items;
}

export function ArticleSuggestions({ subject }: { subject: string }) {
  const items = useSuggestions(subject);
  const titleId = `${useId()}-title`;
  // Always in the page, so screen readers announce the list when it fills in.
  return (
    <div aria-live="polite" className="cst-suggestions-region" data-testid="article-suggestions">
      {items.length > 0 && (
        <div className="cst-suggestions">
          <p id={titleId} className="fw-semibold mb-1">
            Forse può esserti utile:
          </p>
          <ul aria-labelledby={titleId} className="mb-0">
            {items.map((a) => (
              <li key={a.id}>
                <a href={articlePath(a.id)} target="_blank" rel="noopener">
                  {a.title}
                  <span className="visually-hidden"> (si apre in una nuova scheda)</span>
                </a>
                {a.excerpt && <span className="d-block small cst-suggestion-excerpt">{a.excerpt}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
