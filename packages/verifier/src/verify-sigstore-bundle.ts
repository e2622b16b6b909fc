import { INTOTO_PAYLOAD_TYPE, type LoadedAttestation } from '@provenant/core/verification';
import { messageSubject, verifyMessageDigest } from './checks/signed-blob.ts';
import { verifySigner } from './checks/signer.ts';
import { type ArtifactDigests, matchingSubjects, verifySubjectDigest } from './checks/subject.ts';
import { parsePayloadJson } from './read-payload.ts';
import { toSignedContent } from './signed-content.ts';
import type { TrustMaterial } from './trust.ts';
import type { VerifyResult } from './verify-attestation.ts';
import { toProvenanceView } from './view/to-provenance-view.ts';

/**
 * Sigstore verification of one bundle, as the Sigstore conformance client protocol asks
 * (`provenant sigstore verify-bundle`): the signer is trusted (a key, or a certificate that
 * verifies against a trusted root and matches one of `trust.identities`), and the artifact is
 * what was signed: the message digest of a message signature, or a subject of the in-toto
 * statement in a DSSE envelope. No provenance policy: any predicate type. Pure and synchronous.
 */
export function verifySigstoreBundle(att: LoadedAttestation, artifact: ArtifactDigests, trust: TrustMaterial): VerifyResult {
  if (trust.publicKeys.length === 0 && trust.identities.length === 0) {
    return { ok: false, subjects: [], findings: [{ code: 'NO_TRUST_CONSTRAINT', message: 'no trusted key or certificate identity was given: without one nothing can pass' }] };
  }
  const extracted = toSignedContent(att);
  if ('finding' in extracted) return { ok: false, subjects: [], findings: [extracted.finding] };
  const content = extracted.content;
  if (content.kind === 'message') {
    const mismatch = verifyMessageDigest(content.message, artifact);
    if (mismatch) return { ok: false, subjects: [], findings: [mismatch] };
  }
  const verified = verifySigner(att, content, artifact, trust, []);
  if (!verified.ok) return { ok: false, subjects: [], findings: verified.findings };
  const signer = verified.signer;
  if (content.kind === 'message') return { ok: true, findings: [], subjects: messageSubject(content.message), signer };

  const envelope = content.envelope;
  if (envelope.payloadType !== INTOTO_PAYLOAD_TYPE) {
    const finding = { code: 'PAYLOAD_TYPE_UNSUPPORTED' as const, message: `payload type ${envelope.payloadType} is not an in-toto statement, so the artifact cannot be matched to a subject`, path: `${envelope.pathPrefix}payloadType` };
    return { ok: false, subjects: [], findings: [finding], signer };
  }
  const json = parsePayloadJson(envelope.payload);
  const reading = json.ok ? toProvenanceView(json.value) : undefined;
  if (!json.ok || reading === undefined || reading.kind === 'unreadable') {
    const finding = reading?.kind === 'unreadable' ? reading.finding : { code: 'STATEMENT_INVALID' as const, message: 'the payload is not JSON', path: `${envelope.pathPrefix}payload` };
    return { ok: false, subjects: [], findings: [finding], signer };
  }
  const mismatch = verifySubjectDigest(reading.view.subjects, artifact);
  if (mismatch) return { ok: false, subjects: [], findings: [mismatch], statement: json.value, signer };
  return { ok: true, findings: [], subjects: matchingSubjects(reading.view.subjects, artifact), statement: json.value, view: reading.view, signer };
}
