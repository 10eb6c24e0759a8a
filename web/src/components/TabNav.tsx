import { Link, usePath } from '../router';

export interface Tab {
  to: string;
  label: string;
}

/**
 * A module's sections as tabs under the page title: links (each section has its address), the
 * current one marked for screen readers too. The caller decides which tabs a role sees.
 */
export function TabNav({ label, tabs, testId }: { label: string; tabs: readonly Tab[]; testId: string }) {
  const path = usePath();
  return (
    <nav aria-label={label} className="mb-4" data-testid={testId}>
      <ul className="nav nav-tabs">
        {tabs.map((t) => (
          <li className="nav-item" key={t.to}>
            <Link to={t.to} className={`nav-link${path === t.to ? ' active' : ''}`} aria-current={path === t.to ? 'page' : undefined}>
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
