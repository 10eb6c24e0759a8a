import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, toApiError } from '../api/client';
import { TextField } from '../components/Field';
import { PageTitle } from '../components/Page';
import { ProblemAlert } from '../components/ProblemAlert';
import { PUBLIC_NOTICE_PATH } from '../payments';
import { Link } from '../router';
import { useSession } from '../session';

export function LoginPage() {
  const { login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const totpRef = useRef<HTMLInputElement>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  // Bumped when the OTP must be (re)typed. The field is rendered by a later commit than
  // the submit handler can see (React schedules it as a task, which may run after the
  // next animation frame), so focus it from an effect, after that commit.
  const [otpFocusRequest, setOtpFocusRequest] = useState(0);
  useEffect(() => {
    if (otpFocusRequest > 0 && !busy) totpRef.current?.focus();
  }, [otpFocusRequest, busy]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!username.trim()) missing.username = 'Inserisci il nome utente.';
    if (!password) missing.password = 'Inserisci la password.';
    if (needTotp && !totp.trim()) missing.totp = 'Inserisci il codice OTP.';
    setFieldErrors(missing);
    setError(null);
    if (Object.keys(missing).length) {
      if (missing.username) usernameRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await login(username.trim(), password, needTotp ? totp.trim() : undefined);
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.status === 401 && apiErr.isType('totp-required')) {
        const wasAsked = needTotp && totp.trim() !== '';
        setNeedTotp(true);
        if (wasAsked) setFieldErrors({ totp: apiErr.problem.detail || 'Codice OTP non valido o scaduto.' });
        setTotp('');
        setOtpFocusRequest((n) => n + 1);
      } else {
        setFieldErrors(apiErr.fieldErrors());
        setError(apiErr);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="row justify-content-center">
      <div className="col-12 col-md-8 col-lg-6">
        <div className="card-wrapper">
          <div className="card shadow-sm rounded cst-login-card">
            <div className="card-body p-4 p-lg-5">
              <PageTitle title="Accesso" className="h2" lead="Accedi con le credenziali che ti ha fornito il Centro Servizi Territoriale.">
                Accedi all'area riservata
              </PageTitle>
              <ProblemAlert error={error} />
              {needTotp && !fieldErrors.totp && (
                <div className="alert alert-info" role="status">
                  Il tuo account è protetto dal secondo fattore: inserisci il codice OTP di 6 cifre generato dalla tua app
                  di autenticazione.
                </div>
              )}
              <form onSubmit={submit} noValidate aria-label="Accesso" className="cst-form">
                <TextField
                  ref={usernameRef}
                  label="Nome utente"
                  name="username"
                  autoComplete="username"
                  required
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                  error={fieldErrors.username}
                />
                <TextField
                  label="Password"
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  error={fieldErrors.password}
                />
                {needTotp && (
                  <TextField
                    ref={totpRef}
                    label="Codice OTP"
                    name="totp"
                    autoComplete="one-time-code"
                    inputMode="numeric"
                    pattern="[0-9]*"
                    maxLength={8}
                    required
                    value={totp}
                    onChange={(e) => setTotp(e.target.value)}
                    error={fieldErrors.totp}
                    hint="Il codice cambia ogni 30 secondi."
                  />
                )}
                <button type="submit" className="btn btn-primary w-100 mt-2" disabled={busy}>
                  {busy ? 'Accesso in corso…' : 'Accedi'}
                </button>
              </form>
            </div>
          </div>
        </div>
        <section className="cst-panel mt-4" aria-labelledby="login-public-title" data-testid="login-public-links">
          <h2 className="h5" id="login-public-title">
            Senza accedere
          </h2>
          <p className="mb-2">Hai ricevuto un avviso pagoPA da un Comune? Controlla importo, scadenza e stato, scarica l’avviso o la ricevuta.</p>
          <Link to={PUBLIC_NOTICE_PATH} className="fw-semibold">
            Verifica un avviso di pagamento
          </Link>
        </section>
      </div>
    </div>
  );
}
