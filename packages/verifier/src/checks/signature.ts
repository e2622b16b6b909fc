import { type KeyObject, verify } from 'node:crypto';
import { pae, signingHashOf } from '@provenant/core/verification';
import type { CertificateIdentity } from '../certificate-identity.ts';
import type { Finding } from '../finding.ts';
import type { SignedMessage } from '../signed-content.ts';
import type { SignedEnvelope } from '../signed-envelope.ts';
import type { TrustedKey, TrustMaterial } from '../trust.ts';
import { verifyDigestSignature } from '../verify-digest-signature.ts';
import type { ArtifactDigests } from './subject.ts';

/** Who signed, once a signature verified: a trusted key, or a certificate that chains to a trusted root. */
export type VerifiedSigner =
  | { kind: 'key'; keyId: string }
  | {
      kind: 'certificate';
      /** Never set: lets `signer?.keyId` read either kind. */
      keyId?: undefined;
      /** SAN, OIDC issuer and Fulcio extensions of the (verified) signing certificate. */
      identity: CertificateIdentity;
      /** The trusted root it verified against (`public-good` or a file path). */
      trustedRoot: string;
    };

export type SignatureOutcome = { ok: true; signer: VerifiedSigner } | { ok: false; finding: Finding };

/**
 * Key trust: some DSSE signature must verify over PAE(payloadType, payload) with a trusted key.
 * Keys the envelope names (bundle hint, DSSE keyid) are tried first, then every other trusted key,
 * because a hint is unauthenticated and a signer may name its key differently.
 * ECDSA signatures must be ASN.1 DER, as Sigstore specifies; raw r||s (IEEE P1363) is refused.
 */
export function verifyKeySignature(envelope: SignedEnvelope, trust: TrustMaterial): SignatureOutcome {
  const { material, signatures, pathPrefix } = envelope;
  if (material.kind === 'certificate') {
    return {
      ok: false,
      finding: {
        code: 'KEY_UNTRUSTED',
        message: 'the bundle is signed with a certificate (keyless): verifying it needs a Sigstore trusted root and an expected identity, and only public keys are trusted here',
        path: 'verificationMaterial',
        expected: 'publicKey',
        actual: 'certificate',
      },
    };
  }
  const named = namedKeyIds(envelope);
  const message = pae(envelope.payloadType, envelope.payload);
  for (const key of candidates(trust.publicKeys, named)) {
    for (const s of signatures) {
      if (verifies(message, key.key, s.sig)) return { ok: true, signer: { kind: 'key', keyId: key.keyId } };
    }
  }
  const trusted = new Set(trust.publicKeys.map((k) => k.keyId));
  if (named.length > 0 && !named.some((id) => trusted.has(id))) {
    return {
      ok: false,
      finding: {
        code: 'KEY_UNTRUSTED',
        message: `signed by key ${named.join(', ')}, which is not a trusted key, and no trusted key verifies the signature`,
        path: material.kind === 'public-key' && material.hint !== '' ? 'verificationMaterial.publicKey.hint' : `${pathPrefix}signatures`,
        expected: [...trusted],
        actual: named,
      },
    };
  }
  return {
    ok: false,
    finding: {
      code: 'SIGNATURE_INVALID',
      message: `no signature verifies with a trusted key over the DSSE payload (${signatures.length} signature${signatures.length === 1 ? '' : 's'}, ${trusted.size} trusted key${trusted.size === 1 ? '' : 's'})`,
      path: `${pathPrefix}signatures`,
    },
  };
}

/**
 * Key trust for a message signature (cosign sign-blob --key): the signature must verify with a
 * trusted key over the artifact's digest, under the bundle's hash algorithm.
 */
export function verifyKeyMessageSignature(message: SignedMessage, artifact: ArtifactDigests, trust: TrustMaterial): SignatureOutcome {
  const hex = message.algorithm === undefined ? undefined : artifact[message.algorithm];
  if (message.algorithm === undefined || hex === undefined) {
    return { ok: false, finding: { code: 'SUBJECT_DIGEST_MISMATCH', message: `the message signature needs the artifact's ${message.algorithm ?? 'unsupported-hash'} digest, which was not given`, path: 'messageSignature.messageDigest' } };
  }
  const digest = Buffer.from(hex, 'hex');
  const hint = message.material.kind === 'public-key' ? message.material.hint : '';
  for (const key of candidates(trust.publicKeys, hint === '' ? [] : [hint])) {
    if (verifyDigestSignature(key.key, message.algorithm, digest, message.signature)) return { ok: true, signer: { kind: 'key', keyId: key.keyId } };
  }
  const trusted = trust.publicKeys.map((k) => k.keyId);
  if (hint !== '' && !trusted.includes(hint)) {
    return { ok: false, finding: { code: 'KEY_UNTRUSTED', message: `signed by key ${hint}, which is not a trusted key, and no trusted key verifies the signature`, path: 'verificationMaterial.publicKey.hint', expected: trusted, actual: [hint] } };
  }
  return { ok: false, finding: { code: 'SIGNATURE_INVALID', message: `the message signature does not verify with a trusted key over the artifact's ${message.algorithm} digest`, path: 'messageSignature.signature' } };
}

function namedKeyIds(envelope: SignedEnvelope): string[] {
  const ids = new Set<string>();
  if (envelope.material.kind === 'public-key' && envelope.material.hint !== '') ids.add(envelope.material.hint);
  for (const s of envelope.signatures) if (s.keyid !== '') ids.add(s.keyid);
  return [...ids];
}

function candidates(keys: readonly TrustedKey[], named: readonly string[]): TrustedKey[] {
  if (keys.length <= 1 || named.length === 0) return [...keys];
  const first = keys.filter((k) => named.includes(k.keyId));
  return first.length === 0 ? [...keys] : [...first, ...keys.filter((k) => !named.includes(k.keyId))];
}

function verifies(message: Buffer, key: KeyObject, sig: Buffer): boolean {
  if (sig.length === 0) return false;
  try {
    // The bare KeyObject (not `{ key, dsaEncoding }`, which costs ~20% per call): Node's default
    // ECDSA encoding is DER, so raw r||s is refused.
    return verify(signingHashOf(key), message, key, sig);
  } catch {
    // A malformed signature (e.g. DER that does not parse) is simply not a valid one.
    return false;
  }
}
