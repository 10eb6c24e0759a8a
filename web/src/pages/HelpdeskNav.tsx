import { CANNED_PATH, HELPDESK_PATH, isDesk, KNOWLEDGE_PATH, mayReadReports, mayReadTickets, REPORTS_PATH } from '../helpdesk';
import { Link, usePath } from '../router';
import { useSession } from '../session';

/**
 * The sections of the service desk, under the title of each section's page. The tickets' page is
 * everyone's way in to the module; the others are offered only to the roles that may use them
 * (the server decides in the end). Nothing when the tickets' page is all there is.
 */
export function HelpdeskNav() {
  const { me } = useSession();
  const path = usePath();
  const g = me?.grants ?? [];
  const entries = [
    { to: HELPDESK_PATH, label: 'Segnalazioni', shown: true },
    { to: KNOWLEDGE_PATH, label: 'Base di conoscenza', shown: mayReadTickets(g) },
    { to: CANNED_PATH, label: 'Risposte predefinite', shown: isDesk(g) },
    { to: REPORTS_PATH, label: 'Report', shown: mayReadReports(g) },
  ].filter((e) => e.shown);
  if (entries.length < 2) return null;
  return (
    <nav aria-label="Sezioni del call center" className="mb-4" data-testid="helpdesk-nav">
      <ul className="nav nav-tabs">
        {entries.map((e) => (
          <li className="nav-item" key={e.to}>
            <Link to={e.to} className={`nav-link${path === e.to ? ' active' : ''}`} aria-current={path === e.to ? 'page' : undefined}>
              {e.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
