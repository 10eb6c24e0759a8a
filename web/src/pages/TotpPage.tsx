import { useEffect, useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { api, ApiError, toApiError } from '../api/client';
import type { Me, TotpSetup } from '../api/types';
import { TextField } from '../components/Field';
import { Loading, PageTitle } from '../components/Page';
import { ProblemAlert } from '../components/ProblemAlert';
import { QrCode } from '../components/QrCode';
import { Link, navigate } from '../router';
import { useSession } from '../session';

export const TOTP_PATH = '/sicurezza';
/** Where a user sent to the enrolment page was going (sessionStorage key). */
export const AFTER_TOTP_KEY = 'cst.afterTotp';

const TITLE = 'Attiva il secondo fattore (OTP)';

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP", easier to type into an app. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

function canCopy(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.clipboard && window.isSecureContext;
}

/**
 * "Sicurezza dell'account": enrols an authenticator app (RFC 6238 TOTP).
 * Staff must do it before anything else in production; any user may do it
 * from the header while the second factor is not yet active.
 */
export function TotpPage() {
  const { me, setMe, setNotice } = useSession();
  const forced = !!me?.totp_enrollment_required;
  const active = !!me?.totp_enabled && !forced;

  const [attempt, setAttempt] = useState(0);
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [setupError, setSetupError] = useState<ApiError | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState('');
  const codeRef = useRef<HTMLInputElement>(null);

  // A new secret each time the page opens: it is stored only when confirmed.
  useEffect(() => {
    if (active) return;
    let live = true;
    setSetup(null);
    setSetupError(null);
    api<TotpSetup>('POST', '/api/v1/auth/totp/setup')
      .then((s) => live && setSetup(s))
      .catch((e: unknown) => live && setSetupError(toApiError(e)));
    return () => {
      live = false;
    };
  }, [active, attempt]);

  const copy = async (what: string, text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`${what} copiata negli appunti.`);
    } catch {
      setCopied(`Impossibile copiare: seleziona il testo e copialo a mano.`);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!setup) return;
    const digits = code.replace(/\s+/g, '');
    setError(null);
    if (!/^\d{6}$/.test(digits)) {
      setCodeError(digits ? 'Il codice OTP è fatto di 6 cifre.' : "Inserisci il codice OTP mostrato dall'app.");
      codeRef.current?.focus();
      return;
    }
    setCodeError(undefined);
    setBusy(true);
    try {
      await api<void>('POST', '/api/v1/auth/totp/confirm', { secret: setup.secret, code: digits });
      const fresh = await api<Me>('GET', '/api/v1/auth/me');
      const saved = sessionStorage.getItem(AFTER_TOTP_KEY);
      sessionStorage.removeItem(AFTER_TOTP_KEY);
      const target = saved && saved.startsWith('/') && !saved.startsWith('//') ? saved : '/enti';
      // Commit the enrolled user before changing page: navigate() renders at a
      // higher priority, and with the old user App would send us back here.
      flushSync(() => setMe(fresh));
      navigate(target, true);
      setNotice({
        text: "Secondo fattore attivato. Dal prossimo accesso ti verrà chiesto anche il codice OTP dell'app.",
        path: target.split('?')[0],
      });
    } catch (err) {
      const apiErr = toApiError(err);
      const fields = apiErr.fieldErrors();
      if (fields.code) {
        setCodeError(fields.code.charAt(0).toUpperCase() + fields.code.slice(1) + '. Controlla l\'ora del dispositivo e riprova con il codice nuovo.');
        setCode('');
        codeRef.current?.focus();
      } else {
        setError(apiErr);
      }
    } finally {
      setBusy(false);
    }
  };

  if (active) {
    return (
      <>
        <PageTitle title="Sicurezza dell'account">Sicurezza dell'account</PageTitle>
        <div className="callout success">
          <div className="callout-title">Secondo fattore attivo</div>
          <p>Il tuo account è già protetto dal codice OTP: a ogni accesso ti viene chiesto il codice dell'app di autenticazione.</p>
          <p className="mb-0">Se hai perso il dispositivo, chiedi all'amministratore del CST di azzerare il secondo fattore.</p>
        </div>
        <Link to="/enti" className="btn btn-primary">
          Vai all'elenco degli enti
        </Link>
      </>
    );
  }

  return (
    <>
      <PageTitle
        title={TITLE}
        lead={
          forced
            ? 'Il tuo ruolo richiede il secondo fattore di autenticazione: attivalo per continuare a usare l\'area riservata.'
            : 'Proteggi il tuo account: oltre alla password, a ogni accesso ti verrà chiesto un codice generato dal tuo telefono.'
        }
      >
        {TITLE}
      </PageTitle>

      <div className="cst-totp mt-4">
        <section aria-labelledby="totp-step1">
          <h2 id="totp-step1" className="h4">
            1. Installa un'app di autenticazione
          </h2>
          <p>
            Sul telefono usa un'app compatibile con lo standard TOTP, per esempio FreeOTP, Aegis, Google Authenticator o
            Microsoft Authenticator.
          </p>
        </section>

        <section aria-labelledby="totp-step2" className="mt-4">
          <h2 id="totp-step2" className="h4">
            2. Aggiungi il tuo account nell'app
          </h2>
          {setupError && (
            <>
              <ProblemAlert error={setupError} />
              <button type="button" className="btn btn-outline-primary mb-3" onClick={() => setAttempt((n) => n + 1)}>
                Riprova
              </button>
            </>
          )}
          {!setup && !setupError && <Loading label="Generazione della chiave segreta…" />}
          {setup && (
            <div className="row g-4 align-items-start">
              <div className="col-12 col-md-auto">
                <figure className="cst-qr-figure mb-0">
                  <QrCode text={setup.uri} label="Codice QR con la chiave segreta, da inquadrare con l'app" />
                  <figcaption className="small mt-2">Inquadra il codice QR con l'app.</figcaption>
                </figure>
              </div>
              <div className="col-12 col-md">
                <p className="mb-1">Oppure inserisci a mano questa chiave segreta (gli spazi non contano):</p>
                <p className="cst-totp-secret" data-testid="totp-secret" data-secret={setup.secret}>
                  {groupSecret(setup.secret)}
                </p>
                <p className="small">Tipo: basato sul tempo, 6 cifre, ogni 30 secondi. Nome account: {me?.username}.</p>
                {canCopy() && (
                  <button type="button" className="btn btn-outline-primary btn-sm mb-3" onClick={() => void copy('Chiave segreta', setup.secret)}>
                    Copia la chiave segreta
                  </button>
                )}
                <TextField
                  label="Indirizzo otpauth"
                  name="otpauth-uri"
                  readOnly
                  value={setup.uri}
                  onFocus={(e) => e.currentTarget.select()}
                  hint="Per le app e i gestori di password che accettano l'indirizzo completo."
                  className="mt-5 mb-2"
                />
                {canCopy() && (
                  <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => void copy('Indirizzo otpauth', setup.uri)}>
                    Copia l'indirizzo
                  </button>
                )}
                <div aria-live="polite" className="small mt-2">
                  {copied}
                </div>
              </div>
            </div>
          )}
        </section>

        <section aria-labelledby="totp-step3" className="mt-4">
          <h2 id="totp-step3" className="h4">
            3. Conferma con un codice
          </h2>
          <ProblemAlert error={error} />
          <form onSubmit={submit} noValidate aria-label="Conferma del secondo fattore" className="cst-form cst-totp-form" data-testid="totp-form">
            <TextField
              ref={codeRef}
              label="Codice OTP"
              name="code"
              autoComplete="one-time-code"
              inputMode="numeric"
              pattern="[0-9]*"
              maxLength={7}
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={codeError}
              hint="Le 6 cifre che l'app mostra ora per questo account."
              disabled={!setup}
            />
            <button type="submit" className="btn btn-primary" disabled={!setup || busy}>
              {busy ? 'Attivazione in corso…' : 'Attiva il secondo fattore'}
            </button>
          </form>
        </section>
      </div>
    </>
  );
}
