/** The SLSA predicate types, exactly as the specifications spell them. */
export const SLSA_PREDICATE_TYPES = [
  'https://slsa.dev/provenance/v1',
  'https://slsa.dev/provenance/v0.2',
  'https://slsa.dev/provenance/v0.1',
  'https://slsa.dev/verification_summary/v1',
  'https://slsa.dev/verification_summary/v0.2',
  'https://slsa.dev/verification_summary/v0.1',
] as const;

export type SlsaPredicateType = (typeof SLSA_PREDICATE_TYPES)[number];

// Any spelling that names a SLSA predicate: another scheme, a `www.`, any case, a minor version
// (`v1.0`), a pre-release (`v1-rc1`, `v1?draft`), a trailing slash, a fragment.
const SLSA_LIKE = /^(?:[a-z]+:\/\/)?(?:www\.)?slsa\.dev\/(provenance|verification_summary)\/v(\d+)(?:\.(\d+))?([^/?#]*)\/?(?:[?#].*)?$/i;

/** How a predicate type reads: one of the SLSA types exactly, a misspelling of one, or another type. */
export type PredicateTypeReading =
  | { kind: 'canonical'; type: SlsaPredicateType }
  | { kind: 'noncanonical'; type: SlsaPredicateType; preRelease: boolean }
  | { kind: 'other' };

/**
 * Reads a predicate type. The SLSA v1 specification puts only the major version in the URI
 * ("we only include the major version in the URL, e.g. v1 instead of v1.0"), and verifiers
 * compare it exactly, so `https://slsa.dev/provenance/v1.0` names no type any verifier accepts.
 * A misspelling is mapped to the type it most likely means, so the predicate is still checked.
 */
export function readPredicateType(predicateType: string): PredicateTypeReading {
  if ((SLSA_PREDICATE_TYPES as readonly string[]).includes(predicateType)) return { kind: 'canonical', type: predicateType as SlsaPredicateType };
  const m = SLSA_LIKE.exec(predicateType);
  if (!m) return { kind: 'other' };
  const kind = m[1]!.toLowerCase();
  const major = Number(m[2]);
  const minor = m[3] === undefined ? undefined : Number(m[3]);
  // Before 1.0 every minor version was its own type (v0.1, v0.2); from 1.0 only the major counts.
  const version = major >= 1 ? `v${major}` : `v0.${minor ?? 0}`;
  const type = `https://slsa.dev/${kind}/${version}`;
  if (!(SLSA_PREDICATE_TYPES as readonly string[]).includes(type)) return { kind: 'other' };
  const preRelease = m[4] !== '' || /[?#]/.test(predicateType);
  return { kind: 'noncanonical', type: type as SlsaPredicateType, preRelease };
}
