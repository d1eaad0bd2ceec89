import { useEffect, useMemo, useState } from 'react';
import { Field } from './form.js';
import { PASSWORD_MIN_LENGTH } from '../../contract/constants.js';
import type { judgePassword, PasswordOwner, PasswordVerdict } from '../../contract/password-strength.js';

type Judge = typeof judgePassword;

/**
 * The server's own password judgement, while the user types. zxcvbn and its dictionaries weigh about
 * 1.5 MB, so they are fetched as a separate chunk on the first keystroke of a new password, never with
 * the app; until they arrive (or if they fail to) the form simply shows its static hint and the
 * server's answer on submit still explains a refusal.
 */
export function usePasswordVerdict(password: string, owner: PasswordOwner): PasswordVerdict | null {
  const [judge, setJudge] = useState<Judge | null>(null);
  const wanted = password.length > 0;
  useEffect(() => {
    if (!wanted || judge) return;
    let live = true;
    import('../../contract/password-strength.js')
      .then((module) => live && setJudge(() => module.judgePassword))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [wanted, judge]);
  const { email, displayName } = owner;
  return useMemo(
    () => (judge && password.length >= PASSWORD_MIN_LENGTH ? judge(password, { email, displayName }) : null),
    [judge, password, email, displayName],
  );
}

/**
 * The hint under a new-password field: the static advice, then the live verdict once it can be judged —
 * unless the server's refusal, shown as the field's error, already says the same.
 */
function passwordHint(verdict: PasswordVerdict | null, fallback: string, error?: string): string {
  if (!verdict || (!verdict.ok && verdict.message === error)) return fallback;
  return verdict.ok ? 'Strong enough.' : verdict.message;
}

type NewPasswordFieldProps = {
  label: string;
  value: string;
  onChange(value: string): void;
  /** Whose password it is: their email and name count as easy to guess. */
  owner: PasswordOwner;
  /** The server's refusal of this field, if any. */
  error: string | undefined;
  /** The advice shown until the password can be judged. */
  advice?: string;
  /** Said after the hint, whatever it is. */
  note?: string;
};

/** A new-password input with the live strength hint that the sign-up, reset and account forms share. */
export function NewPasswordField({ label, value, onChange, owner, error, advice, note }: NewPasswordFieldProps) {
  const verdict = usePasswordVerdict(value, owner);
  const hint = passwordHint(verdict, advice ?? `At least ${PASSWORD_MIN_LENGTH} characters; a short phrase works well.`, error);
  return (
    <Field
      label={label}
      type="password"
      autoComplete="new-password"
      required
      minLength={PASSWORD_MIN_LENGTH}
      hint={note ? `${hint} ${note}` : hint}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
    />
  );
}
