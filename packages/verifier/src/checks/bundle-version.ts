import type { LoadedAttestation } from '@provenant/core';
import type { Finding } from '../finding.ts';

/** The Sigstore bundle versions provenant reads, oldest first. */
export const BUNDLE_VERSIONS: readonly string[] = Object.freeze(['0.1', '0.2', '0.3']);

/** The bundle's version from its media type (`…bundle+json;version=0.2`, `…bundle.v0.3+json`); undefined for a bare envelope. */
export function bundleVersionOf(att: LoadedAttestation): string | undefined {
  if (att.kind !== 'bundle') return undefined;
  return /(?:;version=|\.v)(\d+\.\d+)/.exec(att.mediaType)?.[1];
}

/**
 * The bundle is at least `min` (gh attestation verify refuses v0.1: it has no inclusion proof
 * requirement). A bare DSSE envelope, or a media type without a version, has none and fails.
 */
export function verifyBundleVersion(att: LoadedAttestation, min: string | undefined): Finding | undefined {
  if (min === undefined) return undefined;
  const version = bundleVersionOf(att);
  if (version !== undefined && compare(version, min) >= 0) return undefined;
  return {
    code: 'BUNDLE_VERSION_TOO_OLD',
    message: version === undefined ? `the attestation is not a versioned Sigstore bundle, and bundles from v${min} are required` : `bundle v${version} is older than the required v${min}`,
    path: 'mediaType',
    expected: `>= ${min}`,
    actual: version ?? (att.kind === 'bundle' ? att.mediaType : 'DSSE envelope'),
  };
}

function compare(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}
