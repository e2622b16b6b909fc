import type { KeyObject } from 'node:crypto';
import { ProvenantError, keyIdOf, loadPublicKey, signingHashOf } from '@provenant/core';

/** A public key the verifier accepts signatures from, with its provenant key id. */
export interface TrustedKey {
  /** Hex SHA-256 of the DER SubjectPublicKeyInfo (what provenant writes as the bundle's key hint). */
  keyId: string;
  key: KeyObject;
}

/**
 * What the verifier trusts, parsed once and reused for every verification. Only keys for now;
 * keyless trust (a Sigstore trusted root plus expected identities) will be a further optional field,
 * so that a verification is constrained by keys, by identities, or both.
 */
export interface TrustMaterial {
  readonly publicKeys: readonly TrustedKey[];
}

/** Options of createTrust. */
export interface TrustOptions {
  /** SPKI PEM text or public KeyObjects. A private key is refused (KEY_INVALID). */
  publicKeys?: readonly (string | KeyObject)[];
}

/**
 * Builds trust material: parses and checks each key once (ECDSA P-256/P-384/P-521, Ed25519, RSA),
 * computes its key id, and drops duplicates. Throws KEY_INVALID on a key it cannot use.
 */
export function createTrust(options: TrustOptions = {}): TrustMaterial {
  const byId = new Map<string, TrustedKey>();
  for (const input of options.publicKeys ?? []) {
    const key = typeof input === 'string' ? loadPublicKey(input) : checkedKeyObject(input);
    const keyId = keyIdOf(key);
    if (!byId.has(keyId)) byId.set(keyId, Object.freeze({ keyId, key }));
  }
  return Object.freeze({ publicKeys: Object.freeze([...byId.values()]) });
}

function checkedKeyObject(key: KeyObject): KeyObject {
  if (key.type !== 'public') {
    throw new ProvenantError('KEY_INVALID', `expected a public key but got a ${key.type} key: pass the public half`);
  }
  signingHashOf(key);
  return key;
}
