import { type KeyObject, X509Certificate, createHash, createPublicKey, verify } from 'node:crypto';

export const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest();

/** Reads a key given as PEM (certificate or SPKI) or DER (certificate, else SPKI). */
export function keyFrom(material: Buffer | string): KeyObject {
  if (typeof material === 'string') {
    return material.includes('BEGIN CERTIFICATE') ? new X509Certificate(material).publicKey : createPublicKey(material);
  }
  try {
    return new X509Certificate(material).publicKey;
  } catch {
    return createPublicKey({ key: material, format: 'der', type: 'spki' });
  }
}

/** The digest Sigstore clients pair with a key (ECDSA by curve size, none for Ed25519, SHA-256 otherwise). */
function hashFor(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'ed25519') return null;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'secp384r1') return 'sha384';
  if (curve === 'secp521r1') return 'sha512';
  return 'sha256';
}

/** Verifies a (DER, for ECDSA) signature over data, returning false rather than throwing. */
export function verifies(data: Buffer, signature: Buffer, key: KeyObject): boolean {
  try {
    return verify(hashFor(key), data, key, signature);
  } catch {
    return false;
  }
}

/** An ArrayBufferView (as @sigstore/mock returns them) as a Buffer over the same bytes. */
export function toBuffer(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}
