import { useEffect, useMemo, useState } from 'react';
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
export function passwordHint(verdict: PasswordVerdict | null, fallback: string, error?: string): string {
  if (!verdict || (!verdict.ok && verdict.message === error)) return fallback;
  return verdict.ok ? 'Strong enough.' : verdict.message;
}
