import { TabNav } from '../components/TabNav';
import { CANNED_PATH, HELPDESK_PATH, isDesk, KNOWLEDGE_PATH, mayReadReports, mayReadTickets, REPORTS_PATH, SETTINGS_PATH } from '../helpdesk';
import { useSession } from '../session';

/**
 * The sections of the service desk, under the title of each section's page, each offered only to
 * the roles that may use it (the server decides in the end). The tickets' page is the way in to
 * the module; a role that may not read tickets (the committee) lands there on the sections it has.
 * Nothing when the tickets' page is all there is.
 */
export function HelpdeskNav() {
  const { me } = useSession();
  const g = me?.grants ?? [];
  const tickets = mayReadTickets(g);
  const entries = [
    { to: HELPDESK_PATH, label: 'Segnalazioni', shown: tickets },
    { to: KNOWLEDGE_PATH, label: 'Base di conoscenza', shown: tickets },
    { to: CANNED_PATH, label: 'Risposte predefinite', shown: isDesk(g) },
    { to: REPORTS_PATH, label: 'Report', shown: mayReadReports(g) },
    { to: SETTINGS_PATH, label: 'Impostazioni', shown: isDesk(g) },
  ].filter((e) => e.shown);
  if (entries.length === 0 || (tickets && entries.length < 2)) return null;
  return <TabNav label="Sezioni del call center" tabs={entries} testId="helpdesk-nav" />;
}
