import { createHash } from 'node:crypto';

/** RFC 4122 namespace for URL names (appendix C). */
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

/**
 * A CycloneDX serial number (`urn:uuid:…`, an RFC 4122 version 5 UUID) derived from the BOM's
 * content rather than drawn at random: the same build facts give the same bytes (so the signed
 * SBOM is reproducible), while any two builds differ at least by their timestamp and so get
 * different serial numbers, as CycloneDX asks.
 */
export function contentSerialNumber(content: string): string {
  const name = `https://provenant.dev/sbom/sha256/${createHash('sha256').update(content, 'utf8').digest('hex')}`;
  const bytes = createHash('sha1').update(URL_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
