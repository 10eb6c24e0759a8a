import type { ReactNode } from 'react';
import { usePath } from '../router';
import { PageTitle } from './Page';
import type { Tab } from './TabNav';

interface Props {
  title: string;
  lead: string;
  /** The module's first address: its section keeps the plain title. */
  home: string;
  /** One panel per address the page answers. */
  panels: Record<string, () => ReactNode>;
  /** The sections this user may open (the same ones the tabs show). */
  sections: readonly Tab[];
  /** False: the role has nothing here and `denied` says so. */
  allowed: boolean;
  denied: ReactNode;
  /** The tabs, drawn by the module (it decides when a single tab is still worth showing). */
  nav: ReactNode;
  /** The section an address belongs to (a record's page to its list's section); default: the address itself. */
  sectionOf?: (path: string) => string;
}

/**
 * A module's page with one section per address, the sections as tabs: the title names the open
 * section, a role without the section or the module gets a warning instead of the panel.
 */
export function SectionedPage({ title, lead, home, panels, sections, allowed, denied, nav, sectionOf }: Props) {
  const path = usePath();
  const at = sectionOf ? sectionOf(path) : path;
  const section = sections.find((s) => s.to === at);
  const heading = section && section.to !== home ? `${title}: ${section.label}` : title;
  return (
    <>
      <PageTitle title={heading} lead={lead}>
        {title}
      </PageTitle>
      {!allowed ? (
        <div className="alert alert-warning" role="alert">
          {denied}
        </div>
      ) : (
        <>
          {nav}
          {section ? (
            panels[at]()
          ) : (
            <div className="alert alert-warning" role="alert">
              Questa sezione non è disponibile per il tuo ruolo.
            </div>
          )}
        </>
      )}
    </>
  );
}
