import { lazy, Suspense, useEffect, useRef } from 'react';
import { ANTIVIRUS_PATH, mayUseAntivirus } from './antivirus';
import { Footer } from './components/Footer';
import { Header, type NavEntry } from './components/Header';
import { Loading } from './components/Page';
import { ProblemAlert, StatusMessage } from './components/ProblemAlert';
import { CANNED_PATH, HELPDESK_PATH, KNOWLEDGE_PATH, REPORTS_PATH, SETTINGS_PATH } from './helpdesk';
import { AntivirusPage, isAntivirusPath } from './pages/antivirus/AntivirusPage';
import { ArticlePage } from './pages/ArticlePage';
import { AssistenzaPage } from './pages/AssistenzaPage';
import { AuditPage } from './pages/AuditPage';
import { EnteDetailPage } from './pages/EnteDetailPage';
import { EntiPage } from './pages/EntiPage';
import { ImpostazioniPage } from './pages/ImpostazioniPage';
import { JobsPage } from './pages/JobsPage';
import { KnowledgePage } from './pages/KnowledgePage';
import { LoginPage } from './pages/LoginPage';
import { ModulePage, NotFoundPage } from './pages/OtherPages';
import { isPaymentsPath, PaymentsPage } from './pages/payments/PaymentsPage';
import { ReportsPage } from './pages/ReportsPage';
import { RispostePage } from './pages/RispostePage';
import { TicketPage } from './pages/TicketPage';
import { AFTER_TOTP_KEY, TOTP_PATH, TotpPage } from './pages/TotpPage';
import { UtentiPage } from './pages/UtentiPage';
import { mayUsePayments, MY_PAYMENTS_PATH, PAYMENTS_PATH, PUBLIC_NOTICE_PATH } from './payments';
import { isPreservationPath, mayUsePreservation, PRESERVATION_PATH } from './preservation';
import { isProtocolPath, mayUseProtocol, PROTOCOL_PATH } from './protocol';
import { hasRole } from './roles';
import { matchPath, navigate, usePath } from './router';
import { mustEnrolTotp, useSession } from './session';

// Loaded when opened: most users of the UI are staff who never need it.
const NoticeLookupPage = lazy(() => import('./pages/payments/NoticeLookupPage').then((m) => ({ default: m.NoticeLookupPage })));
const MyPaymentsPage = lazy(() => import('./pages/payments/MyPaymentsPage').then((m) => ({ default: m.MyPaymentsPage })));
// Loaded when opened: only the enti's records offices and the auditors use the register.
const ProtocolPage = lazy(() => import('./pages/protocol/ProtocolPage').then((m) => ({ default: m.ProtocolPage })));
// Loaded when opened: only the enti's offices, the CST and the auditors consult the archive.
const PreservationPage = lazy(() => import('./pages/preservation/PreservationPage').then((m) => ({ default: m.PreservationPage })));

/** Pages anyone may open without logging in (the citizen's lookup of a payment notice). */
function publicPage(path: string) {
  if (path === PUBLIC_NOTICE_PATH)
    return (
      <Suspense fallback={<Loading />}>
        <NoticeLookupPage />
      </Suspense>
    );
  return null;
}

/** Platform pages first, then one entry per module the server announces. */
function useNav(): NavEntry[] {
  const { me, modules } = useSession();
  if (!me || mustEnrolTotp(me)) return [];
  const g = me.grants;
  const nav: NavEntry[] = [{ path: '/enti', label: 'Enti' }];
  if (hasRole(g, 'cst_admin', 'ente_admin')) nav.push({ path: '/utenti', label: 'Utenti' });
  if (hasRole(g, 'cst_admin', 'ente_admin', 'auditor')) nav.push({ path: '/audit', label: 'Registro di audit' });
  if (hasRole(g, 'cst_admin', 'cst_agent', 'auditor')) nav.push({ path: '/attivita', label: 'Attività pianificate' });
  for (const m of modules) {
    if (m.id === 'antivirus' || m.path === ANTIVIRUS_PATH) {
      // Not for citizens, professionals or police: nothing there is theirs.
      if (mayUseAntivirus(g) && !nav.some((n) => n.path === ANTIVIRUS_PATH)) nav.push({ path: ANTIVIRUS_PATH, label: 'Antivirus' });
      continue;
    }
    if (m.id === 'payments' || m.path === PAYMENTS_PATH) {
      // The CST's and the enti's staff manage payments; whoever has a fiscal code sees their own notices.
      if (mayUsePayments(g) && !nav.some((n) => n.path === PAYMENTS_PATH)) nav.push({ path: PAYMENTS_PATH, label: m.name || 'Pagamenti online' });
      if (me.fiscal_code && !nav.some((n) => n.path === MY_PAYMENTS_PATH)) nav.push({ path: MY_PAYMENTS_PATH, label: 'I miei pagamenti' });
      continue;
    }
    if (m.id === 'protocol' || m.path === PROTOCOL_PATH) {
      // The enti's staff and the auditors read the register; the call centre, citizens, professionals, police and the committee do not.
      if (mayUseProtocol(g) && !nav.some((n) => n.path === PROTOCOL_PATH)) nav.push({ path: PROTOCOL_PATH, label: m.name || 'Protocollo informatico' });
      continue;
    }
    if (m.id === 'preservation' || m.path === PRESERVATION_PATH) {
      // The enti's staff, the CST's administrators and the auditors; not the call centre, citizens, professionals or police.
      if (mayUsePreservation(g) && !nav.some((n) => n.path === PRESERVATION_PATH)) nav.push({ path: PRESERVATION_PATH, label: m.name || 'Conservazione' });
      continue;
    }
    if (m.path && m.name && !nav.some((n) => n.path === m.path)) nav.push({ path: m.path, label: m.name });
  }
  return nav;
}

function Routes() {
  const path = usePath();
  const { me, modules } = useSession();
  const enrol = mustEnrolTotp(me);
  useEffect(() => {
    if (enrol) {
      // Staff without a second factor: nothing else works until it is enrolled.
      if (path !== TOTP_PATH) {
        // Remember where the user was going, to continue there once enrolled.
        if (path !== '/' && path !== '/login') sessionStorage.setItem(AFTER_TOTP_KEY, path + window.location.search);
        else sessionStorage.removeItem(AFTER_TOTP_KEY);
        navigate(TOTP_PATH, true);
      }
    } else if (path === '/' || path === '/login') navigate('/enti', true);
  }, [path, enrol]);

  if (enrol || path === TOTP_PATH) return <TotpPage />;
  const open = publicPage(path);
  if (open) return open;
  if (path === '/' || path === '/login' || path === '/enti') return <EntiPage />;
  const ente = matchPath('/enti/:istat', path);
  if (ente) return <EnteDetailPage istat={ente.istat} />;
  if (path === '/utenti') return <UtentiPage />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/attivita') return <JobsPage />;
  // The service desk's, the antivirus's, the payments', the protocol's and the preservation's pages; other modules announced by the server get the placeholder.
  if (path === HELPDESK_PATH) return <AssistenzaPage />;
  // Before the ticket pattern, which would take "risposte" for a ticket number.
  if (path === CANNED_PATH) return <RispostePage />;
  if (path === SETTINGS_PATH) return <ImpostazioniPage />;
  if (path === KNOWLEDGE_PATH) return <KnowledgePage />;
  if (path === REPORTS_PATH) return <ReportsPage />;
  const article = matchPath(`${KNOWLEDGE_PATH}/:id`, path);
  if (article) return <ArticlePage id={article.id} />;
  const ticket = matchPath(`${HELPDESK_PATH}/:id`, path);
  if (ticket) return <TicketPage id={ticket.id} />;
  if (isAntivirusPath(path)) return <AntivirusPage />;
  if (isPaymentsPath(path)) return <PaymentsPage />;
  if (isProtocolPath(path))
    return (
      <Suspense fallback={<Loading />}>
        <ProtocolPage />
      </Suspense>
    );
  if (isPreservationPath(path))
    return (
      <Suspense fallback={<Loading />}>
        <PreservationPage />
      </Suspense>
    );
  if (path === MY_PAYMENTS_PATH && modules.some((m) => m.id === 'payments'))
    return (
      <Suspense fallback={<Loading />}>
        <MyPaymentsPage />
      </Suspense>
    );
  const mod = modules.find((m) => m.path && (path === m.path || path.startsWith(m.path.replace(/\/$/, '') + '/')));
  if (mod) return <ModulePage module={mod} />;
  return <NotFoundPage />;
}

export function App() {
  const { me, startupError, retry, notice, setNotice } = useSession();
  const nav = useNav();
  const path = usePath();

  // A notice belongs to one page: drop it once the user moves on.
  const shownAt = useRef(path);
  useEffect(() => {
    if (shownAt.current === path) return;
    shownAt.current = path;
    if (notice && notice.path !== path) setNotice(null);
  }, [path, notice, setNotice]);

  let content;
  if (me === undefined && startupError) {
    content = (
      <>
        <h1>Servizio non disponibile</h1>
        <ProblemAlert error={startupError} />
        <button type="button" className="btn btn-primary" onClick={retry}>
          Riprova
        </button>
      </>
    );
  } else if (me === undefined) {
    content = <Loading />;
  } else if (me === null) {
    // Logged out: the public pages, else the login page whatever the address.
    content = publicPage(path) ?? <LoginPage />;
  } else {
    content = (
      <>
        <StatusMessage message={notice && notice.path === path ? notice.text : null} />
        <Routes />
      </>
    );
  }

  return (
    <>
      <div className="skiplinks">
        <a className="visually-hidden-focusable" href="#main-content">
          Vai al contenuto principale
        </a>
        {me && nav.length > 0 && (
          <a className="visually-hidden-focusable" href="#main-nav">
            Vai alla navigazione
          </a>
        )}
      </div>
      <Header nav={nav} />
      <main id="main-content" tabIndex={-1} className="container my-4 my-lg-5 cst-main">
        {content}
      </main>
      <Footer />
    </>
  );
}
