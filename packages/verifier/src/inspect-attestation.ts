import { INTOTO_PAYLOAD_TYPE, type LoadedAttestation } from '@provenant/core';
import { type CertificateIdentity, certificateIdentityOf } from './certificate-identity.ts';
import type { Finding } from './finding.ts';
import { parsePayloadJson } from './read-payload.ts';
import { sigstoreCore } from './sigstore-modules.ts';
import { type SigningMaterial, toSignedEnvelope } from './signed-envelope.ts';
import type { ProvenanceView } from './view/provenance-view.ts';
import { toProvenanceView } from './view/to-provenance-view.ts';

/** What an attestation claims, read without checking any signature: nothing in it is trusted. */
export interface AttestationSummary {
  payloadType?: string;
  /** Key ids the bundle names (bundle hint, DSSE keyids); unauthenticated. */
  keyHints: string[];
  /** How the bundle says it was signed. */
  signedWith: SigningMaterial['kind'];
  signatureCount: number;
  /** SAN, OIDC issuer and Fulcio extensions of a keyless bundle's certificate, as it says (unverified). */
  certificate?: CertificateIdentity;
  statement?: unknown;
  view?: ProvenanceView;
  /** Why it cannot be read as SLSA provenance (BUNDLE_MALFORMED, PAYLOAD_TYPE_UNSUPPORTED, STATEMENT_INVALID). */
  findings: Finding[];
}

/** Reads an attestation for display (`provenant inspect`). Verifies nothing; use verifyAttestation for that. */
export function inspectAttestation(att: LoadedAttestation): AttestationSummary {
  const extracted = toSignedEnvelope(att);
  if ('finding' in extracted) return { keyHints: [], signedWith: 'none', signatureCount: 0, findings: [extracted.finding] };
  const { envelope } = extracted;
  const hints = new Set<string>();
  if (envelope.material.kind === 'public-key' && envelope.material.hint !== '') hints.add(envelope.material.hint);
  for (const s of envelope.signatures) if (s.keyid !== '') hints.add(s.keyid);
  const summary: AttestationSummary = {
    payloadType: envelope.payloadType,
    keyHints: [...hints],
    signedWith: envelope.material.kind,
    signatureCount: envelope.signatures.length,
    findings: [],
  };
  if (envelope.material.kind === 'certificate') {
    try {
      summary.certificate = certificateIdentityOf(sigstoreCore().X509Certificate.parse(Buffer.from(envelope.material.chain[0] ?? [])));
    } catch {
      // A certificate that does not parse names nobody; verify reports it.
    }
  }
  if (envelope.payloadType !== INTOTO_PAYLOAD_TYPE) {
    summary.findings.push({ code: 'PAYLOAD_TYPE_UNSUPPORTED', message: `payload type ${envelope.payloadType} is not an in-toto statement`, expected: INTOTO_PAYLOAD_TYPE, actual: envelope.payloadType });
    return summary;
  }
  const json = parsePayloadJson(envelope.payload);
  if (!json.ok) {
    summary.findings.push({ code: 'STATEMENT_INVALID', message: `the payload is not JSON: ${json.error}` });
    return summary;
  }
  summary.statement = json.value;
  const reading = toProvenanceView(json.value);
  if (reading.kind === 'unreadable') summary.findings.push(reading.finding);
  else {
    summary.view = reading.view;
    if (reading.predicateFinding) summary.findings.push(reading.predicateFinding);
  }
  return summary;
}
