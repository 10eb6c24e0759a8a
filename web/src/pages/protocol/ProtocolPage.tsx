import type { ReactNode } from 'react';
import { SectionedPage } from '../../components/SectionedPage';
import {
  mayUseProtocol,
  PROT_CONFIG_PATH,
  PROT_DAILY_PATH,
  PROT_NEW_PATH,
  PROT_REGISTER_PATH,
  ProtocolNav,
  protocolSectionOf,
  protocolSections,
  registrationIdOf,
} from '../../protocol';
import { usePath } from '../../router';
import { useSession } from '../../session';
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

/** "Registro": the search, or one registration when the address names it. */
function RegisterSection() {
  const id = registrationIdOf(usePath());
  return id !== null ? <RegistrationDetail key={id} id={id} /> : <RegistrationsPanel />;
}

const PANELS: Record<string, () => ReactNode> = {
  [PROT_REGISTER_PATH]: () => <RegisterSection />,
  [PROT_NEW_PATH]: () => <RegistrationForm />,
  [PROT_CONFIG_PATH]: () => <ConfigurationPanel />,
  [PROT_DAILY_PATH]: () => <DailyRegistersPanel />,
};

export function ProtocolPage() {
  const { me } = useSession();
  const path = usePath();
  const grants = me?.grants ?? [];
  return (
    <SectionedPage
      title={TITLE}
      lead={LEAD}
      home={PROT_REGISTER_PATH}
      panels={PANELS}
      sections={protocolSections(grants)}
      allowed={mayUseProtocol(grants)}
      denied="Il protocollo informatico è tenuto dagli uffici degli enti: questa pagina non è disponibile per il tuo ruolo."
      nav={<ProtocolNav grants={grants} path={path} />}
      sectionOf={protocolSectionOf}
    />
  );
}
