import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

describe('passwordProblem', () => {
  it('refuses the most common passwords in any case', () => {
    expect(passwordProblem('qwertyuiop')).toMatch(/common/);
    expect(passwordProblem('QwertyUiop')).toMatch(/common/);
    expect(passwordProblem('1234567890')).toMatch(/common/);
  });

  it('refuses one repeated character', () => {
    expect(passwordProblem('aaaaaaaaaaaa')).not.toBeNull();
  });

  it('accepts an uncommon passphrase', () => {
    expect(passwordProblem('ring bearer walks at dawn')).toBeNull();
  });
});
