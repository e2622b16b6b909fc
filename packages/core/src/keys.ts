import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ProvenantError } from './errors.ts';

/** Key types `provenant keygen` creates. */
export const KEY_TYPES = ['ecdsa-p256', 'ecdsa-p384', 'ed25519'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export interface GeneratedKeyPair {
  /** PKCS#8 PEM; encrypted (AES-256-CBC, PBES2) when a passphrase was given. */
  privateKeyPem: string;
  /** SPKI PEM. */
  publicKeyPem: string;
  keyId: string;
}

/** Generates a signing key pair. */
export function generateKeyPair(type: KeyType = 'ecdsa-p256', passphrase?: string): GeneratedKeyPair {
  const encoding = passphrase
    ? ({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase } as const)
    : ({ type: 'pkcs8', format: 'pem' } as const);
  const pair =
    type === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: type === 'ecdsa-p256' ? 'prime256v1' : 'secp384r1' });
  const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    privateKeyPem: pair.privateKey.export(encoding).toString(),
    publicKeyPem,
    keyId: keyIdOf(pair.publicKey),
  };
}

/** The label of the first PEM block in `text` (`PUBLIC KEY`, `ENCRYPTED PRIVATE KEY`, ...). */
function pemLabel(text: string): string | undefined {
  return /^-----BEGIN ([A-Z0-9 ]+)-----/m.exec(text)?.[1];
}

/** Loads a PEM private key; an encrypted one needs its passphrase. */
export function loadPrivateKey(pem: string, passphrase?: string): KeyObject {
  if (pemLabel(pem) === 'ENCRYPTED PRIVATE KEY' && !passphrase) {
    throw new ProvenantError('KEY_PASSPHRASE_REQUIRED', 'the private key is encrypted: set its passphrase in the environment variable named by --key-passphrase-env (default PROVENANT_KEY_PASSPHRASE)');
  }
  try {
    const key = createPrivateKey(passphrase ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' });
    signingHashOf(key);
    return key;
  } catch (err) {
    if (err instanceof ProvenantError) throw err;
    const detail = /bad decrypt|decrypt/i.test(String((err as Error).message)) ? 'wrong passphrase' : 'not a PEM private key';
    throw new ProvenantError('KEY_INVALID', `cannot load private key: ${detail}`, { cause: err });
  }
}

/** Loads a PEM public key (SPKI) — or the public half of a PEM private key given by mistake is refused. */
export function loadPublicKey(pem: string): KeyObject {
  if (pemLabel(pem)?.endsWith('PRIVATE KEY')) {
    throw new ProvenantError('KEY_INVALID', 'expected a public key but got a private key: pass the .pub file');
  }
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    signingHashOf(key);
    return key;
  } catch (err) {
    if (err instanceof ProvenantError) throw err;
    throw new ProvenantError('KEY_INVALID', 'cannot load public key: not a PEM public key', { cause: err });
  }
}

/** The key id provenant puts in bundle hints: hex SHA-256 of the DER SubjectPublicKeyInfo. */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex');
}

/**
 * The hash that goes with a key in Sigstore's key-details registry: SHA-256 for P-256 and RSA,
 * SHA-384 for P-384, SHA-512 for P-521, none (pure signature) for Ed25519.
 */
export function signingHashOf(key: KeyObject): 'sha256' | 'sha384' | 'sha512' | null {
  // Per key, once: reading asymmetricKeyDetails builds a new object on every access (~7 µs), and a
  // batch asks for each of its thousands of signatures. KeyObjects are immutable.
  const known = SIGNING_HASH.get(key);
  if (known !== undefined) return known;
  const hash = signingHashOfKey(key);
  SIGNING_HASH.set(key, hash);
  return hash;
}

const SIGNING_HASH = new WeakMap<KeyObject, 'sha256' | 'sha384' | 'sha512' | null>();

function signingHashOfKey(key: KeyObject): 'sha256' | 'sha384' | 'sha512' | null {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return null;
  if (type === 'rsa' || type === 'rsa-pss') return 'sha256';
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'sha256';
    if (curve === 'secp384r1') return 'sha384';
    if (curve === 'secp521r1') return 'sha512';
  }
  throw new ProvenantError('KEY_INVALID', `unsupported key type ${type ?? 'unknown'}${key.asymmetricKeyDetails?.namedCurve ? ` (${key.asymmetricKeyDetails.namedCurve})` : ''}`);
}
