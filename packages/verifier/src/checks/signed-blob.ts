import { SUBJECT_ALGORITHMS, digestBytes } from '@provenant/core/verification';
import type { Finding } from '../finding.ts';
import type { SignedMessage } from '../signed-content.ts';
import type { SignedEnvelope } from '../signed-envelope.ts';
import type { SubjectRef } from '../view/provenance-view.ts';
import type { ArtifactDigests } from './subject.ts';

/**
 * A message signature names the artifact by its digest (`messageDigest`, an unauthenticated hint:
 * the signature is checked over the artifact's own digest). A hint that disagrees with the
 * artifact means another artifact was signed (sigstore-conformance message-digest-mismatch).
 */
export function verifyMessageDigest(message: SignedMessage, artifact: ArtifactDigests): Finding | undefined {
  const hex = message.algorithm === undefined ? undefined : artifact[message.algorithm]?.toLowerCase();
  const hint = message.digest.toString('hex');
  if (hex === undefined || hint === '' || hint === hex) return undefined;
  return {
    code: 'SUBJECT_DIGEST_MISMATCH',
    message: `the artifact (${message.algorithm}:${hex}) is not the one the bundle signed (${message.algorithm}:${hint})`,
    path: 'messageSignature.messageDigest',
    expected: hint,
    actual: hex,
  };
}

/** The signed artifact of a message signature, as a subject. */
export function messageSubject(message: SignedMessage): SubjectRef[] {
  return message.algorithm === undefined ? [] : [{ digest: { [message.algorithm]: message.digest.toString('hex') } }];
}

/**
 * A DSSE envelope whose payload is not an in-toto statement signs the payload itself (sigstore
 * `attest --type text/plain`): the artifact must be the payload, compared by every accepted
 * digest the artifact is given in.
 */
export function verifyPayloadIsArtifact(envelope: SignedEnvelope, artifact: ArtifactDigests): Finding | undefined {
  const algorithms = SUBJECT_ALGORITHMS.filter((a) => typeof artifact[a] === 'string');
  if (algorithms.length > 0) {
    const payload = digestBytes(envelope.payload, algorithms);
    if (algorithms.every((a) => payload[a] === artifact[a]!.toLowerCase())) return undefined;
  }
  return {
    code: 'SUBJECT_DIGEST_MISMATCH',
    message: `the envelope signs a ${envelope.payloadType} payload, not an in-toto statement, and the artifact is not that payload`,
    path: `${envelope.pathPrefix}payload`,
  };
}

/** The payload of a non-statement envelope, as a subject. */
export function payloadSubject(envelope: SignedEnvelope): SubjectRef[] {
  return [{ digest: digestBytes(envelope.payload, ['sha256']) as Record<string, string> }];
}
