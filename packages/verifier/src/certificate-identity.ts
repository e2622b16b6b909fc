import type { X509Certificate } from '@sigstore/core';
import { FULCIO_EXTENSIONS, type FulcioExtensions, ISSUER_OID_V1, ISSUER_OID_V2, OTHERNAME_SAN_OID } from './fulcio-extensions.ts';

/** Who a signing certificate names: what identity policies are checked against. */
export interface CertificateIdentity {
  /** The SAN: a URI, an email address, or a Fulcio username (otherName). */
  subjectAlternativeName?: string;
  /** The OIDC issuer (Fulcio extension 1.8, else 1.1); absent on certificates of CAs that certify their own services. */
  issuer?: string;
  /** Every Fulcio extension the certificate carries, by name. */
  extensions: FulcioExtensions;
}

/** Reads the SAN, the OIDC issuer and the Fulcio extensions of a (verified) leaf certificate. */
export function certificateIdentityOf(cert: X509Certificate): CertificateIdentity {
  const identity: CertificateIdentity = { extensions: {} };
  const san = subjectAlternativeName(cert);
  if (san !== undefined) identity.subjectAlternativeName = san;
  const issuer = derString(cert, ISSUER_OID_V2) ?? rawString(cert, ISSUER_OID_V1);
  if (issuer !== undefined) identity.issuer = issuer;
  for (const ext of FULCIO_EXTENSIONS) {
    const value = ext.encoding === 'raw' ? rawString(cert, ext.oid) : derString(cert, ext.oid);
    if (value !== undefined) identity.extensions[ext.name] = value;
  }
  return identity;
}

function subjectAlternativeName(cert: X509Certificate): string | undefined {
  try {
    const ext = cert.extSubjectAltName;
    return ext?.uri ?? ext?.rfc822Name ?? ext?.otherName(OTHERNAME_SAN_OID);
  } catch {
    // A SAN that does not parse names nobody.
    return undefined;
  }
}

function rawString(cert: X509Certificate, oid: string): string | undefined {
  const value = extensionValue(cert, oid);
  return value === undefined ? undefined : value.toString('utf8');
}

/**
 * A DER string (UTF8String, IA5String or PrintableString), read strictly: a value that is not one
 * whole DER string is treated as absent, so a constraint on it fails rather than matching garbage.
 */
function derString(cert: X509Certificate, oid: string): string | undefined {
  const der = extensionValue(cert, oid);
  if (der === undefined || der.length < 2 || ![0x0c, 0x13, 0x16].includes(der[0]!)) return undefined;
  let length = der[1]!;
  let offset = 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 3 || der.length < 2 + bytes) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[2 + i]!;
    offset = 2 + bytes;
  }
  if (offset + length !== der.length) return undefined;
  return der.subarray(offset).toString('utf8');
}

function extensionValue(cert: X509Certificate, oid: string): Buffer | undefined {
  try {
    return cert.extension(oid)?.value;
  } catch {
    return undefined;
  }
}
