import { type KeyObject, constants, publicDecrypt } from 'node:crypto';
import type { SubjectAlgorithm } from '@provenant/core';

/**
 * Verifies a signature made over data of which only the digest is known: a message-signature
 * bundle checked against an artifact given as `sha256:<hex>`. node:crypto always hashes what it
 * verifies, so ECDSA is checked here (P-256, P-384, P-521, DER signatures) and RSA PKCS#1 v1.5 by
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

interface Curve {
  p: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
}

// NIST curves (FIPS 186-4 D.1.2), all with a = -3.
const CURVES: Record<string, Curve> = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
  },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
  },
  'P-521': {
    p: (1n << 521n) - 1n,
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    gx: 0x00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66n,
    gy: 0x011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650n,
  },
};

/** ECDSA verification (SEC 1 4.1.4) over a digest, with a DER (r, s) signature. */
function verifyEcdsa(key: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  const jwk = key.export({ format: 'jwk' });
  const curve = jwk.crv === undefined ? undefined : CURVES[jwk.crv];
  if (curve === undefined || jwk.x === undefined || jwk.y === undefined) return false;
  const rs = parseDerSignature(signature);
  if (rs === undefined) return false;
  const [r, s] = rs;
  const { n } = curve;
  if (r <= 0n || r >= n || s <= 0n || s >= n) return false;
  const e = truncatedDigest(digest, n);
  const w = inverse(s, n);
  const u1 = (e * w) % n;
  const u2 = (r * w) % n;
  const q: Point = [toBigInt(Buffer.from(jwk.x, 'base64url')), toBigInt(Buffer.from(jwk.y, 'base64url')), 1n];
  const sum = shamir(curve, u1, [curve.gx, curve.gy, 1n], u2, q);
  if (sum[2] === 0n) return false;
  const zInv = inverse(sum[2], curve.p);
  const x = (sum[0] * zInv * zInv) % curve.p;
  return x % n === r;
}

/** The leftmost bits of the digest, as many as the group order has (SEC 1 4.1.3 step 5). */
function truncatedDigest(digest: Uint8Array, n: bigint): bigint {
  const bits = n.toString(2).length;
  const e = toBigInt(digest);
  const excess = digest.length * 8 - bits;
  return excess > 0 ? e >> BigInt(excess) : e;
}

/** SEQUENCE { INTEGER r, INTEGER s }, strict DER (no trailing bytes, minimal lengths). */
function parseDerSignature(der: Uint8Array): [bigint, bigint] | undefined {
  let i = 0;
  const length = (): number | undefined => {
    const first = der[i++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > 2) return undefined;
    let value = 0;
    for (let k = 0; k < count; k++) {
      const b = der[i++];
      if (b === undefined) return undefined;
      value = value * 256 + b;
    }
    return value < 0x80 ? undefined : value;
  };
  const integer = (): bigint | undefined => {
    if (der[i++] !== 0x02) return undefined;
    const len = length();
    if (len === undefined || len === 0 || i + len > der.length) return undefined;
    const bytes = der.subarray(i, i + len);
    i += len;
    if (bytes[0]! & 0x80) return undefined;
    if (len > 1 && bytes[0] === 0 && !(bytes[1]! & 0x80)) return undefined;
    return toBigInt(bytes);
  };
  if (der[i++] !== 0x30) return undefined;
  const seqLen = length();
  if (seqLen === undefined || i + seqLen !== der.length) return undefined;
  const r = integer();
  const s = integer();
  if (r === undefined || s === undefined || i !== der.length) return undefined;
  return [r, s];
}

/** Jacobian coordinates (X, Y, Z): x = X/Z², y = Y/Z³; Z = 0 is the point at infinity. */
type Point = [bigint, bigint, bigint];

const INFINITY: Point = [1n, 1n, 0n];

function double(c: Curve, [x, y, z]: Point): Point {
  if (z === 0n || y === 0n) return INFINITY;
  const { p } = c;
  const zz = (z * z) % p;
  const m = (3n * (x - zz) * (x + zz)) % p; // a = -3
  const yy = (y * y) % p;
  const s = (4n * x * yy) % p;
  const x3 = mod(m * m - 2n * s, p);
  const y3 = mod(m * (s - x3) - 8n * yy * yy, p);
  const z3 = (2n * y * z) % p;
  return [x3, y3, z3];
}

function add(c: Curve, a: Point, b: Point): Point {
  if (a[2] === 0n) return b;
  if (b[2] === 0n) return a;
  const { p } = c;
  const z1z1 = (a[2] * a[2]) % p;
  const z2z2 = (b[2] * b[2]) % p;
  const u1 = (a[0] * z2z2) % p;
  const u2 = (b[0] * z1z1) % p;
  const s1 = (((a[1] * b[2]) % p) * z2z2) % p;
  const s2 = (((b[1] * a[2]) % p) * z1z1) % p;
  if (u1 === u2) return s1 === s2 ? double(c, a) : INFINITY;
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const hh = (h * h) % p;
  const hhh = (h * hh) % p;
  const v = (u1 * hh) % p;
  const x3 = mod(r * r - hhh - 2n * v, p);
  const y3 = mod(r * (v - x3) - s1 * hhh, p);
  const z3 = (((a[2] * b[2]) % p) * h) % p;
  return [x3, y3, z3];
}

/** k1·P1 + k2·P2 in one pass over the bits (Shamir's trick). Timing is irrelevant: nothing here is secret. */
function shamir(c: Curve, k1: bigint, p1: Point, k2: bigint, p2: Point): Point {
  const both = add(c, p1, p2);
  let acc = INFINITY;
  const bits = Math.max(k1.toString(2).length, k2.toString(2).length);
  for (let i = bits - 1; i >= 0; i--) {
    acc = double(c, acc);
    const b1 = (k1 >> BigInt(i)) & 1n;
    const b2 = (k2 >> BigInt(i)) & 1n;
    if (b1 && b2) acc = add(c, acc, both);
    else if (b1) acc = add(c, acc, p1);
    else if (b2) acc = add(c, acc, p2);
  }
  return acc;
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function inverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
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
