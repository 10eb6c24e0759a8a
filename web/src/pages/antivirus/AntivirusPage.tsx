import type { ReactNode } from 'react';
import {
  ANTIVIRUS_PATH,
  antivirusSections,
  AV_ENDPOINTS_PATH,
  AV_EVENTS_PATH,
  AV_QUARANTINE_PATH,
  AV_SCAN_PATH,
  AV_SETTINGS_PATH,
  mayUseAntivirus,
} from '../../antivirus';
import { SectionedPage } from '../../components/SectionedPage';
import { EndpointsPanel } from './EndpointsPanel';
import { EnginePanel } from './EnginePanel';
import { EventsPanel } from './EventsPanel';
import { QuarantinePanel } from './QuarantinePanel';
import { ScanPanel } from './ScanPanel';
import { SettingsPanel } from './SettingsPanel';

// "Antivirus" (/antivirus and its sections): the engine's state, the quarantine, the scanning
// service, the enti's endpoints, the events and the thresholds. One page, one section per address,
// the sections as tabs; each role gets the sections it may use (the server decides in the end).

const TITLE = 'Antivirus';
const LEAD =
  "Ogni file caricato sulla piattaforma è controllato dall'antivirus: i file infetti sono rifiutati e messi in quarantena. " +
  'Qui lo stato del motore e delle firme, la verifica di un file su richiesta e lo stato antivirus delle postazioni degli enti.';

const PANELS: Record<string, () => ReactNode> = {
  [ANTIVIRUS_PATH]: () => <EnginePanel />,
  [AV_QUARANTINE_PATH]: () => <QuarantinePanel />,
  [AV_SCAN_PATH]: () => <ScanPanel />,
  [AV_ENDPOINTS_PATH]: () => <EndpointsPanel />,
  [AV_EVENTS_PATH]: () => <EventsPanel />,
  [AV_SETTINGS_PATH]: () => <SettingsPanel />,
};

/** True for the addresses this page answers (App routes them here). */
export function isAntivirusPath(path: string): boolean {
  return path in PANELS;
}

export function AntivirusPage() {
  return (
    <SectionedPage
      title={TITLE}
      lead={LEAD}
      home={ANTIVIRUS_PATH}
      panels={PANELS}
      sections={antivirusSections}
      allowed={mayUseAntivirus}
      denied="Il servizio antivirus è riservato al CST, al comitato tecnico, ai revisori e agli enti."
      // No tabs for a role with a single section.
      tabs={{ label: "Sezioni dell'antivirus", testId: 'antivirus-nav', min: 2 }}
    />
  );
}
