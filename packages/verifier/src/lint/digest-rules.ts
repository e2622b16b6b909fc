import { type LintIssue, childPath, isObject, lintIssue, show } from './lint-issue.ts';

/** How long a lowercase-hex value of an algorithm may be: exact lengths, or any even length up to a bound. */
type HexLength = { exact: readonly number[] } | { evenUpTo: number };

const GIT_OBJECT: HexLength = { exact: [40, 64] }; // SHA-1 or SHA-256 repositories

/**
 * The in-toto DigestSet registry (attestation spec v1.1, `spec/v1/digest_set.md`): the standard
 * hash algorithms under their NIST names, `dirHash`, and the git object ids. `goModuleH1` is the
 * v0.1 spec's name for `dirHash`, and `dirHash1` the name the v1.1 spec's own example uses; both
 * are still written, so they are known. Every value is lowercase hex.
 */
export const DIGEST_ALGORITHMS: Readonly<Record<string, HexLength>> = {
  sha256: { exact: [64] },
  sha224: { exact: [56] },
  sha384: { exact: [96] },
  sha512: { exact: [128] },
  sha512_224: { exact: [56] },
  sha512_256: { exact: [64] },
  sha3_224: { exact: [56] },
  sha3_256: { exact: [64] },
  sha3_384: { exact: [96] },
  sha3_512: { exact: [128] },
  // Extendable-output functions: the producer picks the length.
  shake128: { evenUpTo: Number.MAX_SAFE_INTEGER },
  shake256: { evenUpTo: Number.MAX_SAFE_INTEGER },
  blake2b: { evenUpTo: 128 },
  blake2s: { evenUpTo: 64 },
  ripemd160: { exact: [40] },
  sm3: { exact: [64] },
  // GOST R 34.11-94 (256 bits) or Streebog (256 or 512 bits).
  gost: { exact: [64, 128] },
  sha1: { exact: [40] },
  md5: { exact: [32] },
  dirHash: { exact: [64] },
  dirHash1: { exact: [64] },
  goModuleH1: { exact: [64] },
  gitCommit: GIT_OBJECT,
  gitTree: GIT_OBJECT,
  gitBlob: GIT_OBJECT,
  gitTag: GIT_OBJECT,
};

/** What a value of this many hex digits usually is, for the mislabeled-algorithm message. */
const LENGTH_MEANS: Readonly<Record<number, string>> = {
  32: 'an MD5 digest (md5)',
  40: 'a SHA-1 digest or a git object id (sha1, or gitCommit for a commit)',
  56: 'a SHA-224 digest (sha224)',
  64: 'a SHA-256 digest (sha256)',
  96: 'a SHA-384 digest (sha384)',
  128: 'a SHA-512 digest (sha512)',
};

const HEX = /^[0-9a-fA-F]+$/;

/**
 * Checks one DigestSet. The caller decides whether an empty set is a problem (a subject's is,
 * another ResourceDescriptor's need not be).
 */
export function lintDigestSet(value: unknown, path: string): LintIssue[] {
  if (!isObject(value)) return [lintIssue('DIGEST_VALUE_INVALID', path, `a DigestSet is a JSON object of algorithm to value, not ${show(value)}`)];
  const issues: LintIssue[] = [];
  for (const [algorithm, digest] of Object.entries(value)) {
    issues.push(...lintDigest(algorithm, digest, childPath(path, algorithm)));
  }
  return issues;
}

function lintDigest(algorithm: string, digest: unknown, path: string): LintIssue[] {
  if (typeof digest !== 'string' || digest === '') return [lintIssue('DIGEST_VALUE_INVALID', path, `the ${algorithm} digest is not a non-empty string: ${show(digest)}`)];
  const rule = DIGEST_ALGORITHMS[algorithm];
  if (rule === undefined) {
    const known = Object.keys(DIGEST_ALGORITHMS).find((name) => squash(name) === squash(algorithm));
    const hint = known === undefined ? 'consumers ignore it, so nothing can match on it' : `the registry spells it ${known}`;
    return [lintIssue('DIGEST_ALGORITHM_UNKNOWN', path, `${algorithm} is not an algorithm of the in-toto DigestSet registry: ${hint}`)];
  }
  if (!HEX.test(digest)) return [lintIssue('DIGEST_NOT_LOWERCASE_HEX', path, `the ${algorithm} digest is not hex: ${show(digest)}`)];
  const issues: LintIssue[] = [];
  if (digest !== digest.toLowerCase()) {
    issues.push(lintIssue('DIGEST_NOT_LOWERCASE_HEX', path, `the ${algorithm} digest has uppercase hex digits; the registry's values are lowercase, and consumers compare them as strings`));
  }
  if (!lengthFits(rule, digest.length)) {
    const means = LENGTH_MEANS[digest.length];
    issues.push(
      means === undefined
        ? lintIssue('DIGEST_LENGTH_INVALID', path, `the ${algorithm} digest has ${digest.length} hex digits; ${algorithm} has ${describe(rule)}`)
        : lintIssue('DIGEST_ALGORITHM_MISLABELED', path, `${digest.length} hex digits filed under ${algorithm} (${describe(rule)}): that is ${means}`),
    );
  }
  return issues;
}

/** A name without case and separators: `SHA-256` and `sha256`, `SHA-512/224` and `sha512_224` meet. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[-_/ ]/g, '');
}

function lengthFits(rule: HexLength, length: number): boolean {
  return 'exact' in rule ? rule.exact.includes(length) : length % 2 === 0 && length <= rule.evenUpTo;
}

function describe(rule: HexLength): string {
  if ('exact' in rule) return `${rule.exact.join(' or ')} hex digits`;
  return rule.evenUpTo === Number.MAX_SAFE_INTEGER ? 'an even number of hex digits' : `an even number of hex digits up to ${rule.evenUpTo}`;
}
