import { Link, usePath } from '../router';

export interface Tab {
  to: string;
  label: string;
}

/**
 * A module's sections as tabs under the page title: links (each section has its address), the
 * current one marked for screen readers too. The caller decides which tabs a role sees. `current`
 * names the section of a page below one (a record's page in its list's section); default: the path.
 */
export function TabNav({ label, tabs, testId, current }: { label: string; tabs: readonly Tab[]; testId: string; current?: string }) {
  const path = usePath();
  const at = current ?? path;
  return (
    <nav aria-label={label} className="mb-4" data-testid={testId}>
      <ul className="nav nav-tabs">
        {tabs.map((t) => (
          <li className="nav-item" key={t.to}>
            <Link
              to={t.to}
              className={`nav-link${at === t.to ? ' active' : ''}`}
              aria-current={path === t.to ? 'page' : at === t.to ? 'true' : undefined}
            >
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
