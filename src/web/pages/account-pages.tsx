import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Session } from '../../contract/auth.js';
import { PASSWORD_MIN_LENGTH } from '../../contract/constants.js';
import { api } from '../api/client.js';
import { useAuth } from '../auth/auth-context.js';
import { useConfirm } from '../components/confirm-dialog.js';
import { Field, FormError, fieldError, Notice } from '../components/form.js';
import { NewPasswordField } from '../components/password-strength.js';
import { RelativeTime } from '../components/relative-time.js';

export function AccountPage() {
  const { state, setUser } = useAuth();
  const user = state.status === 'signed-in' ? state.user : null;
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');

  const rename = useMutation({ mutationFn: () => api.updateMe(displayName), onSuccess: (u) => setUser(u) });
  const password = useMutation({
    mutationFn: () => api.changePassword(currentPassword, newPassword),
    onSuccess: () => {
      setCurrentPassword('');
      setNewPassword('');
    },
  });
  if (!user) return null;

  function submit(run: () => void) {
    return (e: FormEvent) => {
      e.preventDefault();
      run();
    };
  }

  return (
    <div className="stack">
      <h1>Your account</h1>
      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <dl className="facts">
          <dt>Email</dt>
          <dd data-testid="account-email">{user.email}</dd>
          <dt>Member since</dt>
          <dd>{new Date(user.createdAt).toLocaleDateString()}</dd>
        </dl>
        <form onSubmit={submit(() => rename.mutate())} noValidate>
          <Field label="Display name" maxLength={50} value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={fieldError(rename.error, 'displayName')} />
          <FormError error={rename.error} fields={['displayName']} />
          {rename.isSuccess && <Notice>Saved. Collaborators now see you as {user.displayName}.</Notice>}
          <button type="submit" disabled={rename.isPending}>
            Save name
          </button>
        </form>
      </section>
      <section className="card" aria-labelledby="account-plan-title">
        <h2 id="account-plan-title">Plan</h2>
        <p>
          See what your plan includes and how much of it is in use. <Link to="/plan">Your plan</Link>
        </p>
      </section>
      <section className="card" aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        <form onSubmit={submit(() => password.mutate())} noValidate>
          <Field label="Current password" type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrentPassword(e.target.value)} error={fieldError(password.error, 'currentPassword')} />
          <NewPasswordField
            label="New password"
            value={newPassword}
            onChange={setNewPassword}
            owner={{ email: user?.email, displayName: user?.displayName }}
            error={fieldError(password.error, 'newPassword')}
            advice={`At least ${PASSWORD_MIN_LENGTH} characters.`}
            note="Changing it signs out your other devices."
          />
          <FormError error={password.error} fields={['currentPassword', 'newPassword']} />
          {password.isSuccess && <Notice>Password changed. Your other devices were signed out.</Notice>}
          <button type="submit" disabled={password.isPending}>
            Change password
          </button>
        </form>
      </section>
    </div>
  );
}

function describeDevice(s: Session): string {
  return s.deviceName ?? s.userAgent ?? 'Unknown device';
}

export function SessionsPage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const confirm = useConfirm();
  const sessions = useQuery({ queryKey: ['sessions'], queryFn: api.sessions });
  const revoke = useMutation({
    mutationFn: (id: string) => api.revokeSession(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sessions'] }),
  });
  const everywhere = useMutation({
    mutationFn: () => api.logoutEverywhere(),
    onSettled: () => navigate('/login'),
  });

  async function signOut(session: Session) {
    const device = describeDevice(session);
    const sure = await confirm({
      title: 'Sign out this device?',
      body: `“${device}” will need your password to get back in.`,
      confirmLabel: 'Sign out',
      danger: true,
    });
    if (sure) revoke.mutate(session.id);
  }

  async function logOutEverywhere() {
    const sure = await confirm({
      title: 'Log out everywhere?',
      body: 'Every device signed in to your account, this one included, is signed out at once.',
      confirmLabel: 'Log out everywhere',
      danger: true,
    });
    if (sure) everywhere.mutate();
  }

  return (
    <div className="stack">
      <h1>Devices</h1>
      <p>These devices are signed in to your account. Sign out any you do not recognise.</p>
      {sessions.isPending && <p role="status">Loading…</p>}
      <FormError error={sessions.error ?? revoke.error} />
      {sessions.data && (
        <ul className="plain-list sessions" aria-label="Signed-in devices">
          {sessions.data.items.map((s) => (
            <li key={s.id} className="card session" data-testid="session">
              <div>
                <strong>{describeDevice(s)}</strong>
                {s.current && <span className="badge">This device</span>}
                <p className="muted">
                  {s.platform ? `${s.platform} · ` : ''}
                  {s.ip ?? 'unknown address'} · signed in <RelativeTime iso={s.createdAt} /> · last active <RelativeTime iso={s.lastUsedAt} />
                </p>
              </div>
              {!s.current && (
                <button type="button" className="secondary" onClick={() => signOut(s)} disabled={revoke.isPending} aria-label={`Sign out ${describeDevice(s)}`}>
                  Sign out
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="danger" onClick={logOutEverywhere} disabled={everywhere.isPending}>
        Log out everywhere
      </button>
    </div>
  );
}
