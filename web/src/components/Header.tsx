import { useEffect, useId, useRef, useState } from 'react';
import { Link, usePath } from '../router';
import { TOTP_PATH } from '../pages/TotpPage';
import { mustEnrolTotp, useSession } from '../session';
import { roleLabel } from '../roles';
import { Icon } from './Icon';

export interface NavEntry {
  path: string;
  label: string;
}

/** Bootstrap Italia header: slim bar (province, user, Esci), centre (brand, ente selector), navbar. */
export function Header({ nav }: { nav: NavEntry[] }) {
  const { me, logout, enti, entiByIstat, selectedEnte, setSelectedEnte, allEnti } = useSession();
  const path = usePath();
  const [menuOpen, setMenuOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const enteSelectId = useId();

  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => {
    if (!menuOpen) return;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setMenuOpen(false);
        toggleRef.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  if (!me) return <BrandOnlyHeader />;
  const province = [...entiByIstat.values()].find((e) => e.kind === 'provincia');
  const provinceName = province ? (/^provincia/i.test(province.name) ? province.name : `Provincia di ${province.name}`) : 'Centro Servizi Territoriale';
  const roles = me.grants.map((g) => {
    const ente = g.ente ? entiByIstat.get(g.ente)?.name ?? g.ente : null;
    return ente ? `${roleLabel(g.role)} – ${ente}` : roleLabel(g.role);
  });
  const uniqueRoles = [...new Set(roles)];
  const isActive = (p: string) => path === p || path.startsWith(p + '/');
  const enrolling = mustEnrolTotp(me);
  // Offered while the second factor is off (staff are sent there anyway).
  const offerTotp = me.totp_enabled === false && !enrolling;

  return (
    <header className="it-header-wrapper">
      <div className="it-header-slim-wrapper">
        <div className="container">
          <div className="row">
            <div className="col-12">
              <div className="it-header-slim-wrapper-content">
                <span className="d-none d-lg-block navbar-brand">{provinceName}</span>
                <div className="it-header-slim-right-zone cst-user-zone">
                  <div className="cst-user" data-testid="current-user">
                    <Icon name="user" className="icon-white icon-sm me-2 d-none d-sm-inline" />
                    <span>
                      <span className="visually-hidden">Utente collegato: </span>
                      <span className="fw-semibold">{me.display_name || me.username}</span>
                      <span className="cst-user-roles">
                        <span className="visually-hidden">, ruoli: </span>
                        {uniqueRoles.join(', ')}
                      </span>
                    </span>
                  </div>
                  {offerTotp && (
                    <Link
                      to={TOTP_PATH}
                      className="cst-user-link"
                      aria-current={path === TOTP_PATH ? 'page' : undefined}
                    >
                      <Icon name="lock" className="icon-white icon-sm me-1" />
                      <span>Sicurezza dell'account</span>
                    </Link>
                  )}
                  <button type="button" className="btn btn-primary btn-icon btn-full" onClick={() => void logout()}>
                    <span className="rounded-icon" aria-hidden="true">
                      <Icon name="logout" className="icon-primary" />
                    </span>
                    <span>Esci</span>
                  </button>
                </div>
              </div>
            </div>
          </div>
        </div>
      </div>
      <div className="it-nav-wrapper">
        <div className="it-header-center-wrapper">
          <div className="container">
            <div className="row">
              <div className="col-12">
                <div className="it-header-center-content-wrapper">
                  <Brand />
                  <div className="it-right-zone">
                    {!enrolling && <div className="cst-ente-selector">
                      <label htmlFor={enteSelectId}>Ente</label>
                      <select id={enteSelectId} value={selectedEnte} onChange={(e) => setSelectedEnte(e.target.value)}>
                        {allEnti && <option value="">Tutti gli enti</option>}
                        {!allEnti && enti.length === 0 && <option value={selectedEnte}>{selectedEnte || '—'}</option>}
                        {enti.map((e) => (
                          <option key={e.istat} value={e.istat}>
                            {e.name} ({e.istat})
                          </option>
                        ))}
                      </select>
                    </div>}
                  </div>
                </div>
              </div>
            </div>
          </div>
        </div>
        {nav.length > 0 && <div className="it-header-navbar-wrapper">
          <div className="container">
            <div className="row">
              <div className="col-12">
                <nav className="navbar navbar-expand-lg" aria-label="Navigazione principale" id="main-nav">
                  <button
                    ref={toggleRef}
                    className="custom-navbar-toggler"
                    type="button"
                    aria-controls="cst-menu"
                    aria-expanded={menuOpen}
                    onClick={() => setMenuOpen(true)}
                  >
                    <Icon name="burger" />
                    <span className="visually-hidden">Mostra la navigazione</span>
                  </button>
                  <div
                    className={`navbar-collapsable${menuOpen ? ' expanded' : ''}`}
                    id="cst-menu"
                    style={menuOpen ? { display: 'block' } : undefined}
                  >
                    <div className="overlay" style={menuOpen ? { display: 'block' } : undefined} onClick={() => setMenuOpen(false)} />
                    <div className="close-div">
                      <button ref={closeRef} className="btn close-menu" type="button" onClick={() => setMenuOpen(false)}>
                        <span className="visually-hidden">Nascondi la navigazione</span>
                        <Icon name="close" />
                      </button>
                    </div>
                    <div className="menu-wrapper">
                      <ul className="navbar-nav">
                        {nav.map((n) => (
                          <li className="nav-item" key={n.path}>
                            <Link
                              to={n.path}
                              className={`nav-link${isActive(n.path) ? ' active' : ''}`}
                              aria-current={isActive(n.path) ? 'page' : undefined}
                            >
                              <span>{n.label}</span>
                            </Link>
                          </li>
                        ))}
                      </ul>
                    </div>
                  </div>
                </nav>
              </div>
            </div>
          </div>
        </div>}
      </div>
    </header>
  );
}

function Brand() {
  return (
    <div className="it-brand-wrapper">
      <Link to="/">
        <Icon name="pa" />
        <div className="it-brand-text">
          <div className="it-brand-title">CST – Centro Servizi Territoriale</div>
          <div className="it-brand-tagline d-none d-md-block">Servizi digitali condivisi per i Comuni</div>
        </div>
      </Link>
    </div>
  );
}

/** Header of the login page: no user, no navigation. */
function BrandOnlyHeader() {
  return (
    <header className="it-header-wrapper">
      <div className="it-header-slim-wrapper">
        <div className="container">
          <div className="row">
            <div className="col-12">
              <div className="it-header-slim-wrapper-content">
                <span className="navbar-brand">Centro Servizi Territoriale</span>
              </div>
            </div>
          </div>
        </div>
      </div>
      <div className="it-nav-wrapper">
        <div className="it-header-center-wrapper">
          <div className="container">
            <div className="row">
              <div className="col-12">
                <div className="it-header-center-content-wrapper">
                  <Brand />
                </div>
              </div>
            </div>
          </div>
        </div>
      </div>
    </header>
  );
}
