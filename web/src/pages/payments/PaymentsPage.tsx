import type { ReactNode } from 'react';
import { SectionedPage } from '../../components/SectionedPage';
import { mayUsePayments, PAY_CREDITOR_PATH, PaymentsNav, paymentsSections } from '../../payments';
import { useSession } from '../../session';
import { CreditorPanel } from './CreditorPanel';

// "Pagamenti online" (/pagamenti and, later, its sections): pagoPA for the enti through the CST.
// One page, one section per address, the sections as tabs; today only "Ente creditore".

const TITLE = 'Pagamenti online';
const LEAD =
  'I pagamenti dovuti agli enti passano da pagoPA, con il CST come intermediario tecnologico. ' +
  'Qui la configurazione di ogni ente come creditore: codice fiscale, codice di segregazione, conti di accredito e codici di tassonomia.';

const PANELS: Record<string, () => ReactNode> = {
  [PAY_CREDITOR_PATH]: () => <CreditorPanel />,
};

/** True for the addresses this page answers (App routes them here). */
export function isPaymentsPath(path: string): boolean {
  return path in PANELS;
}

export function PaymentsPage() {
  const { me } = useSession();
  const grants = me?.grants ?? [];
  return (
    <SectionedPage
      title={TITLE}
      lead={LEAD}
      home={PAY_CREDITOR_PATH}
      panels={PANELS}
      sections={paymentsSections(grants)}
      allowed={mayUsePayments(grants)}
      denied="I pagamenti online sono gestiti dal CST e dagli enti: questa pagina non è disponibile per il tuo ruolo."
      nav={<PaymentsNav grants={grants} />}
    />
  );
}
