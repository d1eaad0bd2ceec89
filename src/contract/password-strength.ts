import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/**
 * zxcvbn's score a new password needs: 3 is "safely unguessable", about 10^8 guesses, enough against
 * online guessing that the login protection slows down further. Its common-password dictionaries include
 * the 1,000 most common passwords, so they are the one list of them.
 */
export const PASSWORD_MIN_SCORE = 3;

/**
 * Built once per process (the dictionaries take a few hundred milliseconds to rank). Levenshtein
 * matching is off: it multiplies the cost of a check by a hundred for little gain over the dictionaries.
 * Characters past the 100th are not examined: a password that long is strong, and the check stays cheap.
 */
const estimator = new ZxcvbnFactory({
  dictionary: { ...commonDictionary, ...englishDictionary },
  graphs: adjacencyGraphs,
  translations,
  maxLength: 100,
});

/** Whose password it is: its email and name are the first words an attacker tries. */
export type PasswordOwner = { email?: string | undefined; displayName?: string | null | undefined };

function ownerWords({ email = '', displayName }: PasswordOwner): string[] {
  const local = email.split('@')[0] ?? '';
  return [email, local, ...local.split(/[._+-]+/), displayName ?? '', 'onering', 'one ring'].filter((w) => w.trim().length > 0);
}

export type PasswordVerdict = { ok: true; score: number } | { ok: false; score: number; message: string };

/**
 * Judges a new password (its length is the schema's business). The server refuses what this refuses;
 * the web form loads this module lazily and shows the same message while the user types.
 */
export function judgePassword(password: string, owner: PasswordOwner = {}): PasswordVerdict {
  const result = estimator.check(password, ownerWords(owner));
  if (result.score >= PASSWORD_MIN_SCORE) return { ok: true, score: result.score };
  const { warning, suggestions } = result.feedback;
  const reasons = [warning, ...suggestions].filter((r): r is string => Boolean(r));
  const message = reasons.length > 0 ? reasons.join(' ') : 'This password is easy to guess; add a few uncommon words.';
  return { ok: false, score: result.score, message };
}
