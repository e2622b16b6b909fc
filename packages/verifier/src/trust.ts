import type { KeyObject } from 'node:crypto';
import { ProvenantError, keyIdOf, loadPublicKey, signingHashOf } from '@provenant/core/verification';
import { type IdentityPolicy, identityProblems } from './identity-policy.ts';
import { type SigstoreRoot, type TrustedRootInput, loadTrustedRoot } from './trusted-root.ts';

/** A public key the verifier accepts signatures from, with its provenant key id. */
export interface TrustedKey {
  /** Hex SHA-256 of the DER SubjectPublicKeyInfo (what provenant writes as the bundle's key hint). */
  keyId: string;
  key: KeyObject;
}

/**
 * How a key-signed bundle is verified. `signature` (the default): by its signature alone, as
 * provenant's own key-signed bundles carry no log entry. `sigstore`: like a keyless one, against
 * the trusted roots' logs and timestamp authorities and their thresholds (the Sigstore
 * conformance client protocol, `verify-bundle --key`).
 */
export type KeyVerification = 'signature' | 'sigstore';

/**
 * What the verifier trusts, parsed once and reused for every verification: public keys, Sigstore
 * trusted roots (for keyless bundles) and the certificate identities allowed to sign keyless.
 */
export interface TrustMaterial {
  readonly publicKeys: readonly TrustedKey[];
  /** Keyless bundles verify against one of these (certificate chain, SCTs, logs, timestamps). */
  readonly trustedRoots: readonly SigstoreRoot[];
  /** A keyless signer must match one of these (and one of the policy's identities, if it has any). */
  readonly identities: readonly IdentityPolicy[];
  readonly keyVerification: KeyVerification;
}

/** Options of createTrust. */
export interface TrustOptions {
  /** SPKI PEM text or public KeyObjects. A private key is refused (KEY_INVALID). */
  publicKeys?: readonly (string | KeyObject)[];
  /**
   * Sigstore trusted roots: `'public-good'` (the copy @sigstore/tuf ships, used offline), parsed
   * `trusted_root.json` JSON, or either with a source name and thresholds. Default: `['public-good']`
   * when identities are given or keyVerification is `sigstore`, else none. A root alone trusts no
   * one: keyless bundles also need an identity.
   */
  trustedRoots?: readonly TrustedRootInput[];
  /** Who may sign keyless; each needs a SAN and an issuer constraint (POLICY_INVALID otherwise). */
  identities?: readonly IdentityPolicy[];
  /** Default `signature`. */
  keyVerification?: KeyVerification;
}

/**
 * Builds trust material: parses and checks each key once (ECDSA P-256/P-384/P-521, Ed25519, RSA),
 * computes its key id, and drops duplicates; validates and parses each trusted root once; checks
 * each identity. Throws KEY_INVALID, TRUSTED_ROOT_INVALID or POLICY_INVALID on what it cannot use.
 */
export function createTrust(options: TrustOptions = {}): TrustMaterial {
  const byId = new Map<string, TrustedKey>();
  for (const input of options.publicKeys ?? []) {
    const key = typeof input === 'string' ? loadPublicKey(input) : checkedKeyObject(input);
    const keyId = keyIdOf(key);
    if (!byId.has(keyId)) byId.set(keyId, Object.freeze({ keyId, key }));
  }
  const identities = options.identities ?? [];
  const problems = identities.flatMap((id, i) => identityProblems(id, `identities[${i}]`));
  if (problems.length > 0) throw new ProvenantError('POLICY_INVALID', problems.join('\n'));
  const keyVerification = options.keyVerification ?? 'signature';
  const roots = options.trustedRoots ?? (identities.length > 0 || keyVerification === 'sigstore' ? ['public-good' as const] : []);
  return Object.freeze({
    publicKeys: Object.freeze([...byId.values()]),
    trustedRoots: Object.freeze(roots.map(loadTrustedRoot)),
    identities: Object.freeze(identities.map((id) => Object.freeze(structuredClone(id)))),
    keyVerification,
  });
}

function checkedKeyObject(key: KeyObject): KeyObject {
  if (key.type !== 'public') {
    throw new ProvenantError('KEY_INVALID', `expected a public key but got a ${key.type} key: pass the public half`);
  }
  signingHashOf(key);
  return key;
}
