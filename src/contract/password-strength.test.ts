import { describe, expect, it } from 'vitest';
import { judgePassword, PASSWORD_MIN_SCORE } from './password-strength.js';

describe('judgePassword', () => {
  it('refuses every one of the 1,000 most common passwords that is long enough to be tried, in any case', () => {
    const longCommon = ['qwertyuiop', '1234567890', 'q1w2e3r4t5', '1q2w3e4r5t', '4815162342', '0987654321', '12345qwert', '123456789a', '1234554321', 'Usuckballz1', '1111111111', '123456789q'];
    for (const password of [...longCommon, 'QwertyUiop']) expect(judgePassword(password).ok, password).toBe(false);
  });

  it('explains a refusal with zxcvbn’s warning and suggestions', () => {
    expect(judgePassword('password123')).toEqual({
      ok: false,
      score: 0,
      message: 'This is a commonly used password. Add more words that are less common.',
    });
    const repeated = judgePassword('aaaaaaaaaaaa');
    expect(repeated.ok ? null : repeated.message).toMatch(/^Repeated characters/);
  });

  it('counts the user’s own email and name as easy to guess', () => {
    expect(judgePassword('frodo.baggins.shire').ok).toBe(true);
    expect(judgePassword('frodo.baggins.shire', { email: 'frodo.baggins.shire@example.test' }).ok).toBe(false);
    expect(judgePassword('mister underhill 1418', { displayName: 'Mister Underhill' }).ok).toBe(false);
  });

  it(`accepts an uncommon passphrase (score ${PASSWORD_MIN_SCORE} or more)`, () => {
    expect(judgePassword('ring bearer walks at dawn')).toMatchObject({ ok: true });
  });
});
