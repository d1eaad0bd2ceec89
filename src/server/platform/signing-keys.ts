import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type SigningKeys = { privateKey: KeyObject; publicKey: KeyObject };

/**
 * The Ed25519 key that signs access tokens: from JWT_PRIVATE_KEY when given, else generated once
 * and kept (mode 0600) under DATA_DIR so restarts keep sessions valid.
 */
export function loadSigningKeys(pem: string | undefined, dataDir: string): SigningKeys {
  const privateKey = createPrivateKey(pem ?? readOrCreateKeyFile(dataDir));
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error('JWT_PRIVATE_KEY must be an Ed25519 private key in PKCS#8 PEM');
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

function readOrCreateKeyFile(dataDir: string): string {
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'jwt-ed25519.pem');
  if (existsSync(file)) return readFileSync(file, 'utf8');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    return pem;
  } catch (error) {
    // Another process created it first: use theirs so both sign with one key.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8');
    throw error;
  }
}

/** A fresh in-memory key pair (tests, throwaway instances). */
export function generateSigningKeys(): SigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey };
}
