import { hash, verify } from '@node-rs/argon2';

/** Argon2id at OWASP's first recommended setting: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export type PasswordHasher = {
  hash(password: string): Promise<string>;
  /** Checks a password; with a null hash it still does the same work and answers false. */
  verify(passwordHash: string | null, password: string): Promise<boolean>;
};

/** Argon2id hashing; unknown accounts are verified against a decoy so timing does not tell. */
export async function createPasswordHasher(): Promise<PasswordHasher> {
  const decoy = await hash('decoy-password-for-unknown-accounts', ARGON2_PARAMS);
  return {
    hash: (password) => hash(password, ARGON2_PARAMS),
    async verify(passwordHash, password) {
      const ok = await verify(passwordHash ?? decoy, password).catch(() => false);
      return passwordHash !== null && ok;
    },
  };
}
