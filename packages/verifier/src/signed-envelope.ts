import type { LoadedAttestation } from '@provenant/core';
import type { Finding } from './finding.ts';

/**
 * What the bundle says about who signed: a key hint (key trust), a certificate (keyless, leaf
 * first), or nothing (a bare DSSE envelope, where only the signatures' keyids name a key).
 */
export type SigningMaterial =
  | { kind: 'public-key'; hint: string }
  | { kind: 'certificate'; chain: Uint8Array[] }
  | { kind: 'none' };

/** A DSSE envelope with the signing material around it, whatever file it came from. */
export interface SignedEnvelope {
  payloadType: string;
  /** The payload bytes exactly as decoded from base64: these, never a re-serialisation, are verified. */
  payload: Buffer;
  signatures: { keyid: string; sig: Buffer }[];
  material: SigningMaterial;
  /** Where the envelope sits in the file, for finding paths (`dsseEnvelope.` in a bundle, empty for a bare envelope). */
  pathPrefix: string;
}

/** Takes the DSSE envelope out of a bundle or bare envelope; a bundle without one yields a finding. */
export function toSignedEnvelope(att: LoadedAttestation): { envelope: SignedEnvelope } | { finding: Finding } {
  switch (att.kind) {
    case 'envelope':
      return signaturesPresent({ ...att.envelope, material: { kind: 'none' }, pathPrefix: '' });
    case 'bundle': {
      const { content, verificationMaterial } = att.bundle;
      if (content.$case !== 'dsseEnvelope') {
        return {
          finding: {
            code: 'PAYLOAD_TYPE_UNSUPPORTED',
            message: 'the bundle holds a message signature, not a DSSE envelope with an in-toto statement',
            path: 'messageSignature',
            expected: 'dsseEnvelope',
            actual: content.$case,
          },
        };
      }
      const env = content.dsseEnvelope;
      return signaturesPresent({
        payloadType: env.payloadType,
        payload: env.payload,
        signatures: env.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })),
        material: materialOf(verificationMaterial.content),
        pathPrefix: 'dsseEnvelope.',
      });
    }
  }
}

/** What the bundle says about who signed. */
export function materialOf(content: Extract<LoadedAttestation, { kind: 'bundle' }>['bundle']['verificationMaterial']['content']): SigningMaterial {
  switch (content.$case) {
    case 'publicKey':
      return { kind: 'public-key', hint: content.publicKey.hint ?? '' };
    case 'x509CertificateChain':
      return { kind: 'certificate', chain: content.x509CertificateChain.certificates.map((c) => c.rawBytes) };
    case 'certificate':
      return { kind: 'certificate', chain: [content.certificate.rawBytes] };
  }
}

/** An envelope without any non-empty signature is malformed. */
export function signaturesPresent(envelope: SignedEnvelope): { envelope: SignedEnvelope } | { finding: Finding } {
  if (envelope.signatures.length === 0 || envelope.signatures.every((s) => s.sig.length === 0)) {
    return { finding: { code: 'BUNDLE_MALFORMED', message: 'the DSSE envelope carries no signature', path: `${envelope.pathPrefix}signatures` } };
  }
  return { envelope };
}
