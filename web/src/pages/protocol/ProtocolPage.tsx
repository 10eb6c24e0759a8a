import type { ReactNode } from 'react';
import { RecordOrList, SectionedPage } from '../../components/SectionedPage';
import {
  mayUseProtocol,
  PROT_CONFIG_PATH,
  PROT_DAILY_PATH,
  PROT_NEW_PATH,
  PROT_REGISTER_PATH,
  protocolSectionOf,
  protocolSections,
  registrationIdOf,
} from '../../protocol';
import { ConfigurationPanel } from './ConfigurationPanel';
import { DailyRegistersPanel } from './DailyRegistersPanel';
import { RegistrationDetail } from './RegistrationDetail';
import { RegistrationForm } from './RegistrationForm';
import { RegistrationsPanel } from './RegistrationsPanel';

// "Protocollo informatico" (/protocollo and its sections): the register of each ente's AOO (DPR
// 445/2000 art. 53-57). One page, one section per address, the sections as tabs: "Registro" (with
// one registration's page at /protocollo/registrazioni/{id}), "Nuova registrazione", "Registri
// giornalieri" and "Titolario e AOO". App loads this page when it is opened (a chunk of its own).

const TITLE = 'Protocollo informatico';
const LEAD =
  'Il registro di protocollo di ogni ente: ogni documento ricevuto, spedito o prodotto internamente riceve un numero e una ' +
  'segnatura firmata, e non si modifica più; una registrazione sbagliata si annulla, restando leggibile.';

const PANELS: Record<string, () => ReactNode> = {
  // "Registro": the search, or one registration when the address names it.
  [PROT_REGISTER_PATH]: () => <RecordOrList idOf={registrationIdOf} record={RegistrationDetail} list={RegistrationsPanel} />,
  [PROT_NEW_PATH]: () => <RegistrationForm />,
  [PROT_CONFIG_PATH]: () => <ConfigurationPanel />,
  [PROT_DAILY_PATH]: () => <DailyRegistersPanel />,
};

export function ProtocolPage() {
  return (
    <SectionedPage
      title={TITLE}
      lead={LEAD}
      home={PROT_REGISTER_PATH}
      panels={PANELS}
      sections={protocolSections}
      allowed={mayUseProtocol}
      denied="Il protocollo informatico è tenuto dagli uffici degli enti: questa pagina non è disponibile per il tuo ruolo."
      // A registration's page keeps "Registro" marked.
      tabs={{ label: 'Sezioni del protocollo informatico', testId: 'protocol-nav' }}
      sectionOf={protocolSectionOf}
    />
  );
}
