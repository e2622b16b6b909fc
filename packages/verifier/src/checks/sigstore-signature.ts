import { type KeyObject, createPublicKey } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import type { X509Certificate } from '@sigstore/core';
import type { SignedEntity } from '@sigstore/verify';
import { certificateIdentityOf } from '../certificate-identity.ts';
import { sigstoreCore, sigstoreVerify } from '../sigstore-modules.ts';
import type { Finding, FindingCode } from '../finding.ts';
import type { SignedContent } from '../signed-content.ts';
import type { TrustedKey, TrustMaterial } from '../trust.ts';
import type { SigstoreRoot } from '../trusted-root.ts';
import type { ArtifactDigests } from './subject.ts';
import type { SignatureOutcome } from './signature.ts';
import { dsseContent, messageContent } from './sigstore-content.ts';
import { verifyLoggedSigner } from './tlog-signer.ts';

/**
 * Sigstore verification of a bundle against the trusted roots (any one may verify it), with
 * @sigstore/verify's Verifier: the signing certificate chains to a trusted CA at every verified
 * time (Rekor integrated time, RFC 3161 timestamp), its SCTs, each transparency log entry's
 * inclusion proof or promise, checkpoint and body, the timestamps, the thresholds, and the
 * signature. And what the Verifier does not check: a chain the bundle embeds may only repeat the
 * root's certificates, an inclusion proof needs its checkpoint, each log entry must record the key
 * that signed.
 *
 * `keys` are the trusted keys for a key-signed bundle (each tried in turn); undefined for a
 * certificate. A message signature is checked over the artifact's own digest, never the bundle's.
 */
export function verifySigstoreSignature(bundle: Bundle, content: SignedContent, artifact: ArtifactDigests, trust: TrustMaterial, keys?: readonly TrustedKey[]): SignatureOutcome {
  const prepared = prepare(bundle, content, artifact);
  if ('finding' in prepared) return { ok: false, finding: prepared.finding };
  const { entity, leaf } = prepared;
  const failures: Finding[] = [];
  for (const root of trust.trustedRoots) {
    if (leaf !== undefined) {
      const failure = attempt(root, entity, bundle, content, undefined);
      if (failure === undefined) return { ok: true, signer: { kind: 'certificate', identity: certificateIdentityOf(leaf), trustedRoot: root.source } };
      failures.push(failure);
      continue;
    }
    for (const key of keys ?? []) {
      const failure = attempt(root, entity, bundle, content, key.key);
      if (failure === undefined) return { ok: true, signer: { kind: 'key', keyId: key.keyId } };
      failures.push(failure);
    }
  }
  return { ok: false, finding: summarise(failures, trust.trustedRoots.length) };
}

function attempt(root: SigstoreRoot, entity: SignedEntity, bundle: Bundle, content: SignedContent, key: KeyObject | undefined): Finding | undefined {
  if (key === undefined) {
    const embedded = verifyEmbeddedChain(bundle, root);
    if (embedded) return embedded;
  }
  const unprovable = verifyCheckpointsPresent(bundle);
  if (unprovable) return unprovable;
  const { tlogThreshold, ctlogThreshold, timestampThreshold } = root.thresholds;
  // The key finder ignores the bundle's hint: the key is the trusted one being tried.
  const material = key === undefined ? root.material : { ...root.material, publicKey: () => ({ publicKey: key, validFor: () => true }) };
  // A certificate is only as good as the time it is checked at: without a verified time there is
  // nothing to check it at (and @sigstore/verify would check nothing).
  const verifier = new (sigstoreVerify().Verifier)(material, { tlogThreshold, ctlogThreshold, timestampThreshold: key === undefined ? Math.max(1, timestampThreshold) : timestampThreshold });
  let signerKey: KeyObject;
  try {
    signerKey = verifier.verify(entity).key;
  } catch (err) {
    // @sigstore/verify compares the log entry with the bundle before it checks the signature, so a
    // changed payload reads as a log mismatch: name the root cause when the signature is bad too.
    const signingKey = key ?? certificateKeyOf(entity);
    if ((err as { code?: unknown })?.code === 'TLOG_BODY_ERROR' && signingKey && !entity.signature.verifySignature(signingKey)) {
      return { code: 'SIGNATURE_INVALID', message: `the signature does not verify with the signing ${key ? 'key' : 'certificate'} (and the log entry does not match the bundle)`, path: pathOf('SIGNATURE_INVALID', content) };
    }
    return toFinding(err, content, root);
  }
  return verifyLoggedSigner(bundle.verificationMaterial.tlogEntries, signerKey);
}

/**
 * An inclusion proof is only as good as the signed checkpoint it leads to. One without a
 * checkpoint (allowed in the v0.1 bundle schema) proves nothing; @sigstore/verify would fail on it
 * with a TypeError, for no stated reason.
 */
function verifyCheckpointsPresent(bundle: Bundle): Finding | undefined {
  for (const [i, entry] of bundle.verificationMaterial.tlogEntries.entries()) {
    if (entry.inclusionProof !== undefined && !entry.inclusionProof.checkpoint?.envelope) {
      return { code: 'TLOG_INVALID', message: `transparency log entry ${i} has an inclusion proof without a signed checkpoint`, path: `verificationMaterial.tlogEntries[${i}].inclusionProof` };
    }
  }
  return undefined;
}

function certificateKeyOf(entity: SignedEntity): KeyObject | undefined {
  if (entity.key.$case !== 'certificate') return undefined;
  try {
    return createPublicKey({ key: entity.key.certificate.publicKey, format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

function prepare(bundle: Bundle, content: SignedContent, artifact: ArtifactDigests): { entity: SignedEntity; leaf: X509Certificate | undefined } | { finding: Finding } {
  const signature = content.kind === 'dsse' ? dsseContent(content.envelope) : messageContent(content.message, artifact);
  if ('finding' in signature) return signature;
  const vm = bundle.verificationMaterial;
  let leaf: X509Certificate | undefined;
  let key: SignedEntity['key'];
  switch (vm.content.$case) {
    case 'publicKey':
      key = { $case: 'public-key', hint: vm.content.publicKey.hint ?? '' };
      break;
    case 'x509CertificateChain':
    case 'certificate': {
      const der = vm.content.$case === 'certificate' ? vm.content.certificate.rawBytes : vm.content.x509CertificateChain.certificates[0]?.rawBytes;
      try {
        leaf = sigstoreCore().X509Certificate.parse(Buffer.from(der ?? []));
      } catch (err) {
        return { finding: { code: 'CERTIFICATE_INVALID', message: `the signing certificate is not an X.509 certificate: ${(err as Error).message}`, path: certificatePath(bundle) } };
      }
      key = { $case: 'certificate', certificate: leaf };
      break;
    }
  }
  const timestamps: SignedEntity['timestamps'] = [];
  for (const entry of vm.tlogEntries) {
    if (entry.integratedTime && entry.integratedTime !== '0') timestamps.push({ $case: 'transparency-log', tlogEntry: entry });
  }
  const rfc3161 = vm.timestampVerificationData?.rfc3161Timestamps ?? [];
  for (const [i, ts] of rfc3161.entries()) {
    try {
      timestamps.push({ $case: 'timestamp-authority', timestamp: sigstoreCore().RFC3161Timestamp.parse(Buffer.from(ts.signedTimestamp)) });
    } catch (err) {
      return { finding: { code: 'TIMESTAMP_INVALID', message: `RFC 3161 timestamp ${i} does not parse: ${(err as Error).message}`, path: `verificationMaterial.timestampVerificationData.rfc3161Timestamps[${i}]` } };
    }
  }
  return { entity: { signature: signature.content, key, tlogEntries: vm.tlogEntries, timestamps }, leaf };
}

/**
 * A chain the bundle embeds (v0.1/v0.2 x509CertificateChain) is untrusted: only its leaf is used.
 * Any certificate after the leaf must be one of the trusted root's, so that a bundle cannot pass
 * off another instance's intermediates or roots as part of its chain.
 */
function verifyEmbeddedChain(bundle: Bundle, root: SigstoreRoot): Finding | undefined {
  const vm = bundle.verificationMaterial.content;
  if (vm.$case !== 'x509CertificateChain') return undefined;
  for (const [i, cert] of vm.x509CertificateChain.certificates.entries()) {
    if (i === 0) continue;
    if (!root.caCertificates.has(Buffer.from(cert.rawBytes).toString('base64'))) {
      return {
        code: 'CERTIFICATE_INVALID',
        message: `certificate ${i} of the bundle's chain is not a certificate of the trusted root (${root.source})`,
        path: `verificationMaterial.x509CertificateChain.certificates[${i}]`,
      };
    }
  }
  return undefined;
}

const CODES: Record<string, FindingCode> = {
  TLOG_ERROR: 'TLOG_INVALID',
  TLOG_INCLUSION_PROOF_ERROR: 'TLOG_INVALID',
  TLOG_INCLUSION_PROMISE_ERROR: 'TLOG_INVALID',
  TLOG_MISSING_INCLUSION_ERROR: 'TLOG_INVALID',
  TLOG_BODY_ERROR: 'TLOG_INVALID',
  CERTIFICATE_ERROR: 'CERTIFICATE_INVALID',
  TIMESTAMP_ERROR: 'TIMESTAMP_INVALID',
  SIGNATURE_ERROR: 'SIGNATURE_INVALID',
  PUBLIC_KEY_ERROR: 'KEY_UNTRUSTED',
};

function toFinding(err: unknown, content: SignedContent, root: SigstoreRoot): Finding {
  const sigstoreCode = (err as { code?: unknown })?.code;
  const message = err instanceof Error ? err.message : String(err);
  const cause = (err as { cause?: unknown })?.cause;
  const detail = cause instanceof Error && cause.message !== message ? `${message}: ${cause.message}` : message;
  const code = typeof sigstoreCode === 'string' ? CODES[sigstoreCode] : undefined;
  return {
    // Anything else (a TypeError on a malformed entry) is a bundle that cannot be verified as given.
    code: code ?? 'BUNDLE_MALFORMED',
    message: `${detail} (trusted root ${root.source})`,
    path: pathOf(code, content),
  };
}

function pathOf(code: FindingCode | undefined, content: SignedContent): string {
  switch (code) {
    case 'TLOG_INVALID':
      return 'verificationMaterial.tlogEntries';
    case 'CERTIFICATE_INVALID':
      return 'verificationMaterial.certificate';
    case 'TIMESTAMP_INVALID':
      return 'verificationMaterial.timestampVerificationData';
    case 'KEY_UNTRUSTED':
      return 'verificationMaterial.publicKey';
    default:
      return content.kind === 'dsse' ? `${content.envelope.pathPrefix}signatures` : 'messageSignature.signature';
  }
}

/** One root: its finding. Several: the first root's code, with what each said. */
function summarise(failures: Finding[], roots: number): Finding {
  const first = failures[0];
  if (first === undefined) return { code: 'KEY_UNTRUSTED', message: 'no trusted root and key to verify the bundle with', path: 'verificationMaterial' };
  if (failures.length === 1 || roots <= 1) return first;
  return { ...first, message: `no trusted root verifies the bundle: ${failures.map((f) => f.message).join('; ')}` };
}

function certificatePath(bundle: Bundle): string {
  return bundle.verificationMaterial.content.$case === 'certificate' ? 'verificationMaterial.certificate' : 'verificationMaterial.x509CertificateChain.certificates[0]';
}
