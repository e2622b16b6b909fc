import { type KeyObject, constants, publicDecrypt } from 'node:crypto';
import type { SubjectAlgorithm } from '@provenant/core';
import { nobleNist } from './lazy-modules.ts';

/**
 * Verifies a signature made over data of which only the digest is known: a message-signature
 * bundle checked against an artifact given as `sha256:<hex>`. node:crypto always hashes what it
 * verifies, so ECDSA is checked with @noble/curves (P-256, P-384, P-521, DER signatures) and RSA PKCS#1 v1.5 by
 * recovering the DigestInfo. Ed25519 and RSA-PSS sign the message itself, not a digest: false.
 */
export function verifyDigestSignature(key: KeyObject, algorithm: SubjectAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean {
  try {
    switch (key.asymmetricKeyType) {
      case 'ec':
        return verifyEcdsa(key, digest, signature);
      case 'rsa':
        return verifyRsaPkcs1(key, algorithm, digest, signature);
      default:
        return false;
    }
  } catch {
    // A signature or key that does not parse is not a valid signature.
    return false;
  }
}

/** The NIST curves Sigstore uses, from @noble/curves (audited; node:crypto cannot verify a bare digest). */
function curveOf(crv: string): ReturnType<typeof nobleNist>['p256'] | undefined {
  const { p256, p384, p521 } = nobleNist();
  return ({ 'P-256': p256, 'P-384': p384, 'P-521': p521 } as Record<string, typeof p256>)[crv];
}

/**
 * ECDSA over a digest (SEC 1 4.1.4): DER signature, the digest truncated to the group order's size,
 * high-S accepted (Go and OpenSSL signers do not normalise S).
 */
function verifyEcdsa(key: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  const jwk = key.export({ format: 'jwk' });
  const curve = jwk.crv === undefined ? undefined : curveOf(jwk.crv);
  if (curve === undefined || jwk.x === undefined || jwk.y === undefined) return false;
  const point = Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  return curve.verify(signature, digest, point, { prehash: false, lowS: false, format: 'der' });
}

// DER DigestInfo prefixes (RFC 8017 9.2 note 1).
const DIGEST_INFO: Record<SubjectAlgorithm, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/** RSASSA-PKCS1-v1_5: the public key recovers the DigestInfo, which must be exactly this digest's. */
function verifyRsaPkcs1(key: KeyObject, algorithm: SubjectAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean {
  const recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  return recovered.equals(Buffer.concat([Buffer.from(DIGEST_INFO[algorithm], 'hex'), digest]));
}
