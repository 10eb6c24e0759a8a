import type { ModuleEntry } from '../api/types';
import { PageTitle } from '../components/Page';
import { Link } from '../router';

export function NotFoundPage() {
  return (
    <>
      <PageTitle title="Pagina non trovata">Pagina non trovata</PageTitle>
      <p>L'indirizzo richiesto non corrisponde a nessuna pagina.</p>
      <Link to="/enti" className="btn btn-primary">
        Vai all'elenco degli enti
      </Link>
    </>
  );
}

/** A module announced by /api/v1/modules whose pages the UI does not have yet. */
export function ModulePage({ module }: { module: ModuleEntry }) {
  return (
    <>
      <PageTitle title={module.name}>{module.name}</PageTitle>
      <div className="callout note">
        <div className="callout-title">In preparazione</div>
        <p>Le pagine di questo servizio non sono ancora disponibili nell'interfaccia web.</p>
      </div>
    </>
  );
}
