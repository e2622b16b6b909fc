import type { SemVer } from 'semver';
import { semver } from '../lazy-modules.ts';
import { comparePep440, parsePep440 } from './pep440.ts';

/** Purl types whose versions are compared as SemVer (with the normalisation of toSemver). */
export const SEMVER_TYPES: ReadonlySet<string> = new Set(['npm', 'cargo', 'golang', 'composer', 'gem']);

/**
 * A version as SemVer, for the ecosystems that (nearly) use it; undefined when it cannot be one.
 * Go writes a leading `v`; Composer may; RubyGems writes pre-releases as `1.0.0.rc1`; Composer
 * and RubyGems allow one or two release numbers (`1.2`), which are padded. A four-number release
 * (`1.2.3.4`) has no SemVer form.
 */
export function toSemver(type: string, version: string): SemVer | undefined {
  let v = version.trim();
  if (type === 'gem' || type === 'composer') {
    v = v.replace(/^v(?=\d)/, '');
    const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[.-]?([a-zA-Z][0-9A-Za-z.-]*))?$/.exec(v);
    if (m) v = `${m[1]}.${m[2] ?? '0'}.${m[3] ?? '0'}${m[4] ? `-${m[4]}` : ''}`;
  }
  return semver().parse(v, { loose: true }) ?? undefined;
}

/**
 * Compares two versions in the ecosystem's own order; undefined when either cannot be read, so
 * callers decide what an unreadable version means (for policy: fail closed).
 * - npm, cargo, golang: SemVer precedence (Go pseudo-versions are SemVer pre-releases).
 * - pypi: PEP 440.
 * - gem, composer and any other type: the generic order of compareGeneric.
 */
export function compareVersions(type: string, a: string, b: string): number | undefined {
  if (type === 'npm' || type === 'cargo' || type === 'golang') {
    const x = toSemver(type, a);
    const y = toSemver(type, b);
    return x && y ? semver().compare(x, y) : undefined;
  }
  if (type === 'pypi') {
    const x = parsePep440(a);
    const y = parsePep440(b);
    return x && y ? comparePep440(x, y) : undefined;
  }
  return compareGeneric(a, b);
}

/** Words that mark a pre-release, lowest first; one rank per synonym group. */
const PRE_WORDS: Record<string, number> = { dev: 0, snapshot: 0, alpha: 1, a: 1, beta: 2, b: 2, pre: 3, preview: 3, m: 3, rc: 4, c: 4, cr: 4 };
/** Words that mark something after the release (Composer `-patch1`, `-pl2`, Python-style `post`). */
const POST_WORDS: ReadonlySet<string> = new Set(['patch', 'pl', 'p', 'post', 'sp', 'ga', 'final', 'release']);

/**
 * The order RubyGems, Composer and most other ecosystems agree on: a version is a list of numbers
 * and words (`1.2.0.rc1` → 1, 2, 0, rc, 1; separators `.-_+` and letter/digit boundaries split),
 * numbers compare as numbers, a missing number counts as 0 (1.2 = 1.2.0), a pre-release word
 * (dev < alpha < beta < pre < rc) sorts before the release it qualifies, a post word (patch, pl,
 * post) after it, other words alphabetically below numbers. Undefined for an empty version.
 */
export function compareGeneric(a: string, b: string): number | undefined {
  const x = tokens(a);
  const y = tokens(b);
  if (x.length === 0 || y.length === 0) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = compareToken(x[i], y[i]);
    if (d !== 0) return d;
  }
  return 0;
}

function tokens(version: string): (number | string)[] {
  const v = version.trim().toLowerCase().replace(/^v(?=\d)/, '');
  return (v.match(/[0-9]+|[a-z]+/g) ?? []).map((t) => (/^[0-9]/.test(t) ? Number(t) : t));
}

function compareToken(x: number | string | undefined, y: number | string | undefined): number {
  if (x === y) return 0;
  if (x === undefined) return -compareToken(y, undefined);
  if (typeof x === 'number') {
    if (y === undefined) return x === 0 ? 0 : 1;
    if (typeof y === 'number') return x - y;
    return POST_WORDS.has(y) ? -1 : 1;
  }
  // x is a word
  if (y === undefined) return POST_WORDS.has(x) ? 1 : -1;
  if (typeof y === 'number') return POST_WORDS.has(x) ? 1 : -1;
  const rx = PRE_WORDS[x];
  const ry = PRE_WORDS[y];
  if (rx !== undefined && ry !== undefined && rx !== ry) return rx - ry;
  if (rx !== undefined && ry !== undefined) return 0;
  if (POST_WORDS.has(x) !== POST_WORDS.has(y)) return POST_WORDS.has(x) ? 1 : -1;
  return x < y ? -1 : 1;
}
