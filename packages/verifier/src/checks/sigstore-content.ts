import { type KeyObject, createHash, verify as cryptoVerify } from 'node:crypto';
import { pae, signingHashOf } from '@provenant/core/verification';
import type { SignedEntity } from '@sigstore/verify';
import type { Finding } from '../finding.ts';
import type { SignedMessage } from '../signed-content.ts';
import type { SignedEnvelope } from '../signed-envelope.ts';
import { verifyDigestSignature } from '../verify-digest-signature.ts';
import type { ArtifactDigests } from './subject.ts';

/** What @sigstore/verify's Verifier checks a signature with: the signed bytes, as this bundle holds them. */
export type SignatureContent = SignedEntity['signature'];

/** The DSSE signature over PAE, as a Sigstore bundle holds it: exactly one. */
export function dsseContent(envelope: SignedEnvelope): { content: SignatureContent } | { finding: Finding } {
  const [first, ...more] = envelope.signatures;
  if (first === undefined || more.length > 0) {
    return { finding: { code: 'BUNDLE_MALFORMED', message: `a Sigstore bundle's DSSE envelope carries exactly one signature, this one has ${envelope.signatures.length}`, path: `${envelope.pathPrefix}signatures` } };
  }
  const signed = pae(envelope.payloadType, envelope.payload);
  return {
    content: {
      signature: first.sig,
      compareSignature: (sig) => sig.equals(first.sig),
      compareDigest: (digest) => digest.equals(sha256(envelope.payload)),
      // A Rekor v2 hashedrekord entry for a DSSE envelope records the digest of the PAE.
      compareSignedDigest: (digest) => digest.equals(sha256(signed)),
      verifySignature: (key) => verifiesWithKeyHash(signed, key, first.sig),
    },
  };
}

/** A message signature checked against the artifact's digest (the bundle's digest is only a hint, checked elsewhere). */
export function messageContent(message: SignedMessage, artifact: ArtifactDigests): { content: SignatureContent } | { finding: Finding } {
  const algorithm = message.algorithm;
  const hex = algorithm === undefined ? undefined : artifact[algorithm];
  if (algorithm === undefined || hex === undefined) {
    return { finding: { code: 'SUBJECT_DIGEST_MISMATCH', message: `the message signature needs the artifact's ${algorithm ?? 'unsupported-hash'} digest, which was not given`, path: 'messageSignature.messageDigest' } };
  }
  const digest = Buffer.from(hex, 'hex');
  return {
    content: {
      signature: message.signature,
      compareSignature: (sig) => sig.equals(message.signature),
      compareDigest: (d) => d.equals(digest),
      compareSignedDigest: (d) => d.equals(digest),
      verifySignature: (key) => verifyDigestSignature(key, algorithm, digest, message.signature),
    },
  };
}

/** The key's own hash (provenant signs P-384 with SHA-384), else SHA-256 as sigstore-js signs with any EC key. */
function verifiesWithKeyHash(data: Buffer, key: KeyObject, sig: Buffer): boolean {
  let hash: string | null;
  try {
    hash = signingHashOf(key);
  } catch {
    hash = 'sha256';
  }
  try {
    if (cryptoVerify(hash, data, key, sig)) return true;
    return hash !== null && hash !== 'sha256' && cryptoVerify('sha256', data, key, sig);
  } catch {
    return false;
  }
}

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}
