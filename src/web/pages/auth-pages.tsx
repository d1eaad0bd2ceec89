import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/client.js';
import { useAuth } from '../auth/auth-context.js';
import { Field, FormError, fieldError, Notice } from '../components/form.js';
import { NewPasswordField } from '../components/password-strength.js';

/** Only same-site paths are followed after sign-in, never another origin. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/drafts';
}

function useSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return { error, busy, onSubmit };
}

export function SignupPage() {
  const { state } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const next = safeNext(params.get('next'));
  const { error, busy, onSubmit } = useSubmit(async () => {
    await api.register({ email, password, ...(displayName.trim() ? { displayName } : {}) });
    navigate(next);
  });
  if (state.status === 'signed-in' && !busy) return <Navigate to={next} replace />;
  return (
    <section className="card narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">Create your account</h1>
      <form onSubmit={onSubmit} noValidate>
        <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(error, 'email')} />
        <NewPasswordField label="Password" value={password} onChange={setPassword} owner={{ email, displayName }} error={fieldError(error, 'password')} />
        <Field label="Display name (optional)" autoComplete="nickname" maxLength={50} value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={fieldError(error, 'displayName')} />
        <FormError error={error} fields={['email', 'password', 'displayName']} />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Sign up'}
        </button>
      </form>
      <p>
        Already have an account? <Link to={`/login?next=${encodeURIComponent(next)}`}>Log in</Link>
      </p>
    </section>
  );
}

export function LoginPage() {
  const { state } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = safeNext(params.get('next'));
  const { error, busy, onSubmit } = useSubmit(async () => {
    await api.login({ email, password });
    navigate(next);
  });
  if (state.status === 'signed-in' && !busy) return <Navigate to={next} replace />;
  return (
    <section className="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <form onSubmit={onSubmit} noValidate>
        <Field label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(error, 'email')} />
        <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError(error, 'password')} />
        <FormError error={error} fields={['email', 'password']} />
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        <Link to="/reset-password">Forgot your password?</Link> · New here? <Link to={`/signup?next=${encodeURIComponent(next)}`}>Sign up</Link>
      </p>
    </section>
  );
}

export function ResetRequestPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const { error, busy, onSubmit } = useSubmit(async () => {
    setSent((await api.requestReset(email)).detail);
  });
  return (
    <section className="card narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">Reset your password</h1>
      {sent ? (
        <Notice>{sent}</Notice>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(error, 'email')} />
          <FormError error={error} fields={['email']} />
          <button type="submit" disabled={busy}>
            Send reset link
          </button>
        </form>
      )}
      <p>
        <Link to="/login">Back to log in</Link>
      </p>
    </section>
  );
}

/** Reads the one-time token from the URL fragment, which browsers never send to servers. */
export function ResetConfirmPage({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const { error, busy, onSubmit } = useSubmit(async () => {
    await api.confirmReset(token, password);
    setDone(true);
  });
  return (
    <section className="card narrow" aria-labelledby="reset-confirm-title">
      <h1 id="reset-confirm-title">Choose a new password</h1>
      {done ? (
        <Notice>
          Your password is changed and every device was signed out. <Link to="/login">Log in</Link> with the new one.
        </Notice>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <NewPasswordField label="New password" value={password} onChange={setPassword} owner={{}} error={fieldError(error, 'newPassword')} />
          <FormError error={error} fields={['newPassword']} />
          <button type="submit" disabled={busy}>
            Set new password
          </button>
        </form>
      )}
    </section>
  );
}

/** `/reset-password` asks for the email; with `#token=…` it sets the new password. */
export function ResetPasswordRoute() {
  const { hash } = useLocation();
  const token = new URLSearchParams(hash.slice(1)).get('token');
  return token ? <ResetConfirmPage token={token} /> : <ResetRequestPage />;
}
