import type { ComponentType, ReactNode } from 'react';
import type { Grant } from '../api/types';
import { usePath } from '../router';
import { useSession } from '../session';
import { PageTitle } from './Page';
import { TabNav, type Tab } from './TabNav';

interface Props {
  title: string;
  lead: string;
  /** The module's first address: its section keeps the plain title. */
  home: string;
  /** One panel per address the page answers. */
  panels: Record<string, () => ReactNode>;
  /** The sections a user with these grants may open, shown as tabs. */
  sections: (grants: Grant[]) => readonly Tab[];
  /** False: the role has nothing here and `denied` says so. */
  allowed: (grants: Grant[]) => boolean;
  denied: ReactNode;
  /**
   * The tabs' name for screen readers and their test id. `min`: fewer sections than this show no
   * tabs (the module decides when a single tab is still worth showing); default 1.
   */
  tabs: { label: string; testId: string; min?: number };
  /** The section an address belongs to (a record's page to its list's section); default: the address itself. */
  sectionOf?: (path: string) => string;
}

/**
 * A module's page with one section per address, the sections as tabs: the title names the open
 * section, a role without the section or the module gets a warning instead of the panel.
 */
export function SectionedPage({ title, lead, home, panels, sections, allowed, denied, tabs, sectionOf }: Props) {
  const { me } = useSession();
  const grants = me?.grants ?? [];
  const path = usePath();
  const at = sectionOf ? sectionOf(path) : path;
  const open = sections(grants);
  const section = open.find((s) => s.to === at);
  const heading = section && section.to !== home ? `${title}: ${section.label}` : title;
  return (
    <>
      <PageTitle title={heading} lead={lead}>
        {title}
      </PageTitle>
      {!allowed(grants) ? (
        <div className="alert alert-warning" role="alert">
          {denied}
        </div>
      ) : (
        <>
          {open.length >= (tabs.min ?? 1) && <TabNav label={tabs.label} tabs={open} current={at} testId={tabs.testId} />}
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

/**
 * A list's section whose address may name one of its records: the record's page (keyed by its
 * id, so that another record starts afresh), else the list.
 */
export function RecordOrList({
  idOf,
  record: Record,
  list: List,
}: {
  /** The record's id in an address, or null for the list's own address. */
  idOf: (path: string) => string | null;
  record: ComponentType<{ id: string }>;
  list: ComponentType;
}) {
  const id = idOf(usePath());
  return id !== null ? <Record key={id} id={id} /> : <List />;
}
