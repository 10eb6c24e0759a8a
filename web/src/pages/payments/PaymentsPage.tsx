import { lazy, Suspense, type ReactNode } from 'react';
import { Loading } from '../../components/Page';
import { RecordOrList, SectionedPage } from '../../components/SectionedPage';
import {
  mayUsePayments,
  PAY_CREDITOR_PATH,
  PAY_IMPORTS_PATH,
  PAY_POSITIONS_PATH,
  PAY_RECONCILIATION_PATH,
  paymentsSectionOf,
  paymentsSections,
  positionIdOf,
} from '../../payments';
import { CreditorPanel } from './CreditorPanel';
import { ImportPanel } from './ImportPanel';
import { PositionDetail } from './PositionDetail';
import { PositionsPanel } from './PositionsPanel';

// Loaded when the section is opened: the offices that reconcile are few, the bundle is everyone's.
const ReconciliationPanel = lazy(() => import('./ReconciliationPanel').then((m) => ({ default: m.ReconciliationPanel })));

// "Pagamenti online" (/pagamenti and its sections): pagoPA for the enti through the CST. One page,
// one section per address, the sections as tabs: "Ente creditore", "Posizioni debitorie" (with
// one position's page at /pagamenti/posizioni/{id}), "Importa ruolo" and "Riconciliazione".

const TITLE = 'Pagamenti online';
const LEAD =
  'I pagamenti dovuti agli enti passano da pagoPA, con il CST come intermediario tecnologico. ' +
  'Qui la configurazione di ogni ente come creditore, le posizioni debitorie con i loro avvisi e ricevute, l’importazione dei ruoli ' +
  'e la riconciliazione dei pagamenti con i flussi di rendicontazione dei PSP.';

const PANELS: Record<string, () => ReactNode> = {
  [PAY_CREDITOR_PATH]: () => <CreditorPanel />,
  // "Posizioni debitorie": the search, or one position when the address names it.
  [PAY_POSITIONS_PATH]: () => <RecordOrList idOf={positionIdOf} record={PositionDetail} list={PositionsPanel} />,
  [PAY_IMPORTS_PATH]: () => <ImportPanel />,
  [PAY_RECONCILIATION_PATH]: () => (
    <Suspense fallback={<Loading />}>
      <ReconciliationPanel />
    </Suspense>
  ),
};

/** True for the addresses this page answers (App routes them here). */
export function isPaymentsPath(path: string): boolean {
  return paymentsSectionOf(path) in PANELS;
}

export function PaymentsPage() {
  return (
    <SectionedPage
      title={TITLE}
      lead={LEAD}
      home={PAY_CREDITOR_PATH}
      panels={PANELS}
      sections={paymentsSections}
      allowed={mayUsePayments}
      denied="I pagamenti online sono gestiti dal CST e dagli enti: questa pagina non è disponibile per il tuo ruolo."
      // A position's page keeps "Posizioni debitorie" marked.
      tabs={{ label: 'Sezioni dei pagamenti online', testId: 'payments-nav' }}
      sectionOf={paymentsSectionOf}
    />
  );
}
