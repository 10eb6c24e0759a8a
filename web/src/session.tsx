import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { api, ApiError, query, rememberCsrf, setEnrollmentRequiredHandler, setUnauthorizedHandler, toApiError } from './api/client';
import type { Ente, Me, ModuleEntry, Page } from './api/types';
import { seesAllEnti } from './roles';
import { navigate } from './router';

export interface Session {
  /** undefined while the first /auth/me is in flight; null when logged out. */
  me: Me | null | undefined;
  /** Set when /auth/me failed for a reason other than 401 (server down...). */
  startupError: ApiError | null;
  retry: () => void;
  login: (username: string, password: string, totp?: string) => Promise<void>;
  logout: () => Promise<void>;
  /** Enti the user can pick in the ente selector. */
  enti: Ente[];
  entiByIstat: Map<string, Ente>;
  /** ISTAT code of the ente being worked on; "" means all enti. */
  selectedEnte: string;
  setSelectedEnte: (istat: string) => void;
  allEnti: boolean;
  modules: ModuleEntry[];
  /** Reloads the enti list (after an ente is created or renamed). */
  refreshEnti: () => void;
  /** Replaces the logged-in user, e.g. with a fresh /auth/me after enrolling the OTP app. */
  setMe: (me: Me) => void;
  /** A one-off confirmation shown on the page at `path` (see App). */
  notice: Notice | null;
  setNotice: (notice: Notice | null) => void;
}

export interface Notice {
  text: string;
  path: string;
}

/** True while the user must enrol a second factor before using the API. */
export function mustEnrolTotp(me: Me | null | undefined): boolean {
  return !!me && !!me.totp_enrollment_required;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Reads every page of a cursor-paginated list (used for the ~115 enti). */
export async function fetchAll<T>(path: string, params: Record<string, string> = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page: Page<T> = await api<Page<T>>('GET', path + query({ ...params, limit: 200, cursor }));
    items.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return items;
}

const ENTE_KEY = 'cst.selectedEnte';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [startupError, setStartupError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [allEntiList, setAllEntiList] = useState<Ente[]>([]);
  const [modules, setModules] = useState<ModuleEntry[]>([]);
  const [selectedEnte, setSelected] = useState<string>('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const [entiVersion, setEntiVersion] = useState(0);

  useEffect(() => {
    let live = true;
    setStartupError(null);
    api<Me>('GET', '/api/v1/auth/me')
      .then((m) => live && setMe(m))
      .catch((err: unknown) => {
        if (!live) return;
        const e = toApiError(err);
        if (e.status === 401) setMe(null);
        else setStartupError(e);
      });
    return () => {
      live = false;
    };
  }, [attempt]);

  useEffect(() => {
    setUnauthorizedHandler(() => setMe(null));
    // Any call refused until the OTP app is enrolled: App then shows the enrolment page.
    setEnrollmentRequiredHandler(() =>
      setMe((m) => (m && !m.totp_enrollment_required ? { ...m, totp_enrollment_required: true } : m)),
    );
    return () => {
      setUnauthorizedHandler(null);
      setEnrollmentRequiredHandler(null);
    };
  }, []);

  // Once logged in: the enti for the selector and the module entries for the menu
  // (not before the OTP enrolment, which the server requires first).
  useEffect(() => {
    if (!me || me.totp_enrollment_required) {
      setAllEntiList([]);
      setModules([]);
      if (!me) setNotice(null);
      return;
    }
    let live = true;
    api<Page<ModuleEntry>>('GET', '/api/v1/modules')
      .then((p) => live && setModules(p.items ?? []))
      .catch(() => live && setModules([]));
    const all = seesAllEnti(me.grants);
    const saved = sessionStorage.getItem(ENTE_KEY + '.' + me.username);
    const granted = me.grants.map((g) => g.ente).filter((e): e is string => !!e);
    if (saved !== null && (all || granted.includes(saved)) && (saved !== '' || all)) setSelected(saved);
    else setSelected(all ? '' : granted[0] ?? '');
    return () => {
      live = false;
    };
  }, [me]);

  useEffect(() => {
    if (!me || me.totp_enrollment_required) return;
    let live = true;
    fetchAll<Ente>('/api/v1/enti')
      .then((list) => live && setAllEntiList(list))
      .catch(() => live && setAllEntiList([]));
    return () => {
      live = false;
    };
  }, [me, entiVersion]);

  const allEnti = !!me && seesAllEnti(me.grants);
  const enti = useMemo(() => {
    if (!me) return [];
    if (allEnti) return allEntiList;
    const granted = new Set(me.grants.map((g) => g.ente).filter(Boolean));
    return allEntiList.filter((e) => granted.has(e.istat));
  }, [me, allEnti, allEntiList]);
  const entiByIstat = useMemo(() => new Map(allEntiList.map((e) => [e.istat, e])), [allEntiList]);

  const setSelectedEnte = useCallback(
    (istat: string) => {
      setSelected(istat);
      if (me) sessionStorage.setItem(ENTE_KEY + '.' + me.username, istat);
    },
    [me],
  );

  const login = useCallback(async (username: string, password: string, totp?: string) => {
    const body: Record<string, string> = { username, password };
    if (totp) body.totp = totp;
    const res = await api<{ token: string; csrf_token?: string; user: Me; totp_enrollment_required?: boolean }>(
      'POST',
      '/api/v1/auth/login',
      body,
    );
    rememberCsrf(res.csrf_token);
    // /auth/me is the one source for the grants shown in the header.
    const m = await api<Me>('GET', '/api/v1/auth/me').catch(() => ({
      ...res.user,
      totp_enrollment_required: !!res.totp_enrollment_required,
    }));
    setMe(m);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api<void>('POST', '/api/v1/auth/logout');
    } finally {
      rememberCsrf(null);
      // Logged out first (navigate() renders at a higher priority than setMe),
      // then the next login starts from the home page, not where this user was.
      flushSync(() => setMe(null));
      navigate('/', true);
    }
  }, []);

  const value: Session = {
    me,
    startupError,
    retry: () => setAttempt((n) => n + 1),
    login,
    logout,
    enti,
    entiByIstat,
    selectedEnte,
    setSelectedEnte,
    allEnti,
    modules,
    refreshEnti: () => setEntiVersion((n) => n + 1),
    setMe,
    notice,
    setNotice,
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
