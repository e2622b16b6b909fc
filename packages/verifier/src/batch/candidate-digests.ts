import { createHash } from 'node:crypto';
import { INTOTO_PAYLOAD_TYPE, type LoadedAttestation, isSubjectAlgorithm } from '@provenant/core';
import { parsePayloadJson } from '../read-payload.ts';
import { toSignedContent } from '../signed-content.ts';

/**
 * The artifact digests an attestation claims to be about, as `alg:hex` keys: the subjects of an
 * in-toto statement, a message signature's digest, or the digest of a DSSE payload that is not a
 * statement (a signed blob). Read from the unverified payload only to find which artifacts to
 * verify it against: nothing here is trusted, verifyAttestation checks everything again.
 */
export function candidateDigests(att: LoadedAttestation): string[] {
  const extracted = toSignedContent(att);
  if (!('content' in extracted)) return [];
  const content = extracted.content;
  if (content.kind === 'message') {
    const { algorithm, digest } = content.message;
    return algorithm === undefined || digest.length === 0 ? [] : [`${algorithm}:${digest.toString('hex')}`];
  }
  const { payloadType, payload } = content.envelope;
  if (payloadType !== INTOTO_PAYLOAD_TYPE) return [`sha256:${createHash('sha256').update(payload).digest('hex')}`];
  const json = parsePayloadJson(payload);
  const subjects = json.ok ? (json.value as { subject?: unknown } | null)?.subject : undefined;
  if (!Array.isArray(subjects)) return [];
  const keys = new Set<string>();
  for (const s of subjects) {
    const digest = (s as { digest?: unknown } | null)?.digest;
    if (digest === null || typeof digest !== 'object') continue;
    for (const [alg, hex] of Object.entries(digest)) {
      if (isSubjectAlgorithm(alg) && typeof hex === 'string') keys.add(`${alg}:${hex.toLowerCase()}`);
    }
  }
  return [...keys];
}
