import type { LoadedAttestation, SubjectAlgorithm } from '@provenant/core';
import type { Finding } from './finding.ts';
import { type SignedEnvelope, type SigningMaterial, materialOf, toSignedEnvelope } from './signed-envelope.ts';

/** A message signature (cosign sign-blob, hashedrekord): a signature over the artifact itself. */
export interface SignedMessage {
  /** The hash the signature was made with; undefined for one provenant does not accept (SHA-3). */
  algorithm: SubjectAlgorithm | undefined;
  /**
   * The bundle's `messageDigest`: an unauthenticated hint that must agree with the artifact.
   * Signatures are always checked over the artifact's own digest, never over this.
   */
  digest: Buffer;
  signature: Buffer;
  material: SigningMaterial;
}

/** What a bundle signs: a DSSE envelope, or the artifact directly. */
export type SignedContent = { kind: 'dsse'; envelope: SignedEnvelope } | { kind: 'message'; message: SignedMessage };

// protobuf HashAlgorithm: UNSPECIFIED is read as SHA2_256, as @sigstore/verify does.
const HASH_ALGORITHMS: Record<number, SubjectAlgorithm> = { 0: 'sha256', 1: 'sha256', 2: 'sha384', 3: 'sha512' };

/** Takes the signed content out of a bundle or bare envelope; an unusable one yields a finding. */
export function toSignedContent(att: LoadedAttestation): { content: SignedContent } | { finding: Finding } {
  if (att.kind === 'bundle' && att.bundle.content.$case === 'messageSignature') {
    const { messageDigest, signature } = att.bundle.content.messageSignature;
    if (signature.length === 0) return { finding: { code: 'BUNDLE_MALFORMED', message: 'the message signature is empty', path: 'messageSignature.signature' } };
    return {
      content: {
        kind: 'message',
        message: {
          algorithm: HASH_ALGORITHMS[messageDigest?.algorithm ?? 0],
          digest: messageDigest?.digest ?? Buffer.alloc(0),
          signature,
          material: materialOf(att.bundle.verificationMaterial.content),
        },
      },
    };
  }
  const extracted = toSignedEnvelope(att);
  return 'finding' in extracted ? extracted : { content: { kind: 'dsse', envelope: extracted.envelope } };
}

/** The signing material of either kind of content. */
export function materialOfContent(content: SignedContent): SigningMaterial {
  return content.kind === 'dsse' ? content.envelope.material : content.message.material;
}
