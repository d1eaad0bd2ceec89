import { readFileSync } from 'node:fs';

// The 1,000 most common passwords (SecLists, CC BY-SA 3.0), lower-cased for comparison.
const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line.length > 0),
);

/** Why a new password is refused beyond its length (checked by the schema), or null. */
export function passwordProblem(password: string): string | null {
  if (COMMON.has(password.trim().toLowerCase())) {
    return 'This password is among the most common ones; choose another.';
  }
  if (/^(.)\1*$/u.test(password)) return 'Use more than one repeated character.';
  return null;
}
