import type { Enums } from '@cyclonedx/cyclonedx-library';

/** A CycloneDX hash algorithm name (`SHA-512`, ...). */
export type CycloneDxHashAlgorithm = (typeof Enums.HashAlgorithm)[keyof typeof Enums.HashAlgorithm];

/**
 * in-toto DigestSet algorithm names → CycloneDX hash algorithms, with the hex length CycloneDX's
 * `hash-content` pattern admits, strongest first: the output follows this order, so a reader that
 * takes the first hash takes the best one. Other names (Go's `dirHash`, `gitCommit`) have no
 * CycloneDX algorithm.
 */
// The enum's values are the spec's algorithm names, written out so the library loads only when a BOM is built.
const ALGORITHMS: readonly (readonly [string, CycloneDxHashAlgorithm, number])[] = [
  ['sha512', 'SHA-512' as CycloneDxHashAlgorithm, 128],
  ['sha384', 'SHA-384' as CycloneDxHashAlgorithm, 96],
  ['sha256', 'SHA-256' as CycloneDxHashAlgorithm, 64],
  ['sha3-512', 'SHA3-512' as CycloneDxHashAlgorithm, 128],
  ['sha3-384', 'SHA3-384' as CycloneDxHashAlgorithm, 96],
  ['sha3-256', 'SHA3-256' as CycloneDxHashAlgorithm, 64],
  ['sha1', 'SHA-1' as CycloneDxHashAlgorithm, 40],
  ['md5', 'MD5' as CycloneDxHashAlgorithm, 32],
];

const HEX = /^[0-9a-f]+$/;

/**
 * The CycloneDX hashes of an in-toto DigestSet, hex lowercased. Entries CycloneDX cannot carry
 * (unknown algorithm, not hex, wrong length) are not written into an SBOM that would then fail
 * schema validation: they come back as `unmapped`, sorted by name, for the caller to keep elsewhere.
 */
export function toCycloneDxHashes(digest: Readonly<Record<string, string>>): { hashes: [CycloneDxHashAlgorithm, string][]; unmapped: [string, string][] } {
  const hashes: [CycloneDxHashAlgorithm, string][] = [];
  const used = new Set<string>();
  for (const [name, alg, hexLength] of ALGORITHMS) {
    const value = digest[name]?.toLowerCase();
    if (value !== undefined && value.length === hexLength && HEX.test(value)) {
      hashes.push([alg, value]);
      used.add(name);
    }
  }
  const unmapped = Object.keys(digest)
    .filter((name) => !used.has(name))
    .sort()
    .map((name): [string, string] => [name, digest[name]!]);
  return { hashes, unmapped };
}
