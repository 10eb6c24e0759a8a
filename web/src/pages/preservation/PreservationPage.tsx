import type { ReactNode } from 'react';
import { RecordOrList, SectionedPage } from '../../components/SectionedPage';
import {
  aipIdOf,
  disposalIdOf,
  mayUsePreservation,
  PRES_AIPS_PATH,
  PRES_AUDITS_PATH,
  PRES_DISPOSAL_PATH,
  PRES_SIPS_PATH,
  PRES_SUMMARY_PATH,
  preservationSectionOf,
  preservationSections,
} from '../../preservation';
import { AipDetail } from './AipDetail';
import { AipSearchPanel } from './AipSearchPanel';
import { AuditsPanel } from './AuditsPanel';
import { DisposalDetail } from './DisposalDetail';
import { DisposalPanel } from './DisposalPanel';
import { ReceiptsPanel } from './ReceiptsPanel';
import { SummaryPanel } from './SummaryPanel';

// "Conservazione" (/conservazione and its sections): the preservation service's console. One page,
// one section per address, the sections as tabs: "Panoramica" (volumes per ente), "Versamenti"
// (ingest receipts), "Pacchetti" (the search, one AIP at /conservazione/pacchetti/{id}), "Verifiche
// di integrità" (fixity audits) and "Scarto" (retention and disposals, one disposal at
// /conservazione/scarto/{id}). App loads this page when it is opened (a chunk of its own).

const TITLE = 'Conservazione';
const LEAD =
  'I documenti informatici degli enti conservati a norma: ogni versamento riceve un rapporto firmato, ogni pacchetto ' +
  'un indice SInCRO firmato e marcato, in più copie verificate periodicamente; lo scarto segue l’autorizzazione della Soprintendenza.';

const PANELS: Record<string, () => ReactNode> = {
  [PRES_SUMMARY_PATH]: () => <SummaryPanel />,
  [PRES_SIPS_PATH]: () => <ReceiptsPanel />,
  [PRES_AIPS_PATH]: () => <RecordOrList idOf={aipIdOf} record={AipDetail} list={AipSearchPanel} />,
  [PRES_AUDITS_PATH]: () => <AuditsPanel />,
  [PRES_DISPOSAL_PATH]: () => <RecordOrList idOf={disposalIdOf} record={DisposalDetail} list={DisposalPanel} />,
};

export function PreservationPage() {
  return (
    <SectionedPage
      title={TITLE}
      lead={LEAD}
      home={PRES_SUMMARY_PATH}
      panels={PANELS}
      sections={preservationSections}
      allowed={mayUsePreservation}
      denied="La conservazione è consultata dagli uffici degli enti, dal CST e dai revisori: questa pagina non è disponibile per il tuo ruolo."
      tabs={{ label: 'Sezioni della conservazione', testId: 'preservation-nav' }}
      // An AIP's page keeps "Pacchetti" marked, a disposal's "Scarto".
      sectionOf={preservationSectionOf}
    />
  );
}
