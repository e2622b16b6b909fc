/**
 * Python versions (PEP 440) as far as dependency policy needs them: parsing the forms PyPI
 * accepts (`1.0`, `v1.0.post2`, `2!1.0rc1.dev3+local.7`), the standard ordering, and version
 * specifiers (`>=1.0,<2`, `==1.4.*`, `~=1.4.2`, `!=1.5`, `===weird`).
 */

/** A parsed PEP 440 version: the parts the ordering compares. */
export interface Pep440Version {
  epoch: number;
  /** Release segment with trailing zeros removed (1.0.0 and 1 compare equal). */
  release: number[];
  /** Release segment as written (for `==1.4.*` prefix matching). */
  releaseWritten: number[];
  pre?: [rank: number, n: number];
  post?: number;
  dev?: number;
  local?: (number | string)[];
}

// The regular expression of PEP 440 appendix B (as `packaging` uses), case-insensitive.
const PATTERN =
  /^\s*v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?(?:\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

/** Parses a PEP 440 version; undefined when it is not one. */
export function parsePep440(text: string): Pep440Version | undefined {
  const m = PATTERN.exec(text);
  if (!m?.groups) return undefined;
  const g = m.groups;
  const releaseWritten = g.release!.split('.').map(Number);
  const release = [...releaseWritten];
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const version: Pep440Version = { epoch: g.epoch ? Number(g.epoch) : 0, release, releaseWritten };
  if (g.pre) version.pre = [PRE_RANK[g.preL!.toLowerCase()]!, Number(g.preN ?? 0)];
  if (g.post) version.post = Number(g.postN1 ?? g.postN2 ?? 0);
  if (g.dev) version.dev = Number(g.devN ?? 0);
  if (g.local) version.local = g.local.toLowerCase().split(/[-_.]/).map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s));
  return version;
}

/** PEP 440 ordering: negative, zero or positive, as for Array.prototype.sort. */
export function comparePep440(a: Pep440Version, b: Pep440Version, options: { ignoreLocal?: boolean } = {}): number {
  return (
    a.epoch - b.epoch ||
    compareNumberLists(a.release, b.release) ||
    compareKeys(preKey(a), preKey(b)) ||
    (a.post ?? -1) - (b.post ?? -1) ||
    (a.dev ?? Number.POSITIVE_INFINITY) - (b.dev ?? Number.POSITIVE_INFINITY) ||
    (options.ignoreLocal ? 0 : compareLocal(a.local, b.local))
  );
}

// A dev release with neither pre nor post (1.0.dev1) sorts before every pre-release of 1.0; a
// final release (no pre) after all of them.
function preKey(v: Pep440Version): number[] {
  if (v.pre) return [v.pre[0], v.pre[1]];
  if (v.post === undefined && v.dev !== undefined) return [-1];
  return [3];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function compareNumberLists(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// No local version sorts first; numbers sort above strings; then segment by segment.
function compareLocal(a: (number | string)[] | undefined, b: (number | string)[] | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x !== typeof y) return typeof x === 'number' ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** One clause of a specifier set. */
interface Clause {
  op: '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '===';
  text: string;
  version?: Pep440Version;
  /** `==1.4.*` / `!=1.4.*`: the release prefix to match. */
  prefix?: Pep440Version;
}

const CLAUSE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*(\S+?)\s*$/;

/**
 * Parses a PEP 440 specifier set (`>=1.0,<2`, `==1.4.*`, `~=1.4.2`). Returns a predicate, or a
 * message saying what is wrong. Ordered comparisons are plain comparisons: unlike pip, `<2.0` also
 * admits 2.0's pre-releases, which for a deny rule errs on the side of denying.
 */
export function parsePep440Specifier(spec: string): { matches: (version: Pep440Version, text: string) => boolean } | { error: string } {
  const clauses: Clause[] = [];
  for (const part of spec.split(',')) {
    const m = CLAUSE.exec(part);
    if (!m) return { error: `"${part.trim()}" is not a PEP 440 specifier such as >=1.0, <2, ==1.4.*, ~=1.4.2` };
    const op = m[1] as Clause['op'];
    const text = m[2]!;
    if (op === '===') {
      clauses.push({ op, text });
      continue;
    }
    if ((op === '==' || op === '!=') && text.endsWith('.*')) {
      const prefix = parsePep440(text.slice(0, -2));
      if (!prefix || prefix.local) return { error: `"${text}" is not a version prefix such as 1.4.*` };
      clauses.push({ op, text, prefix });
      continue;
    }
    const version = parsePep440(text);
    if (!version) return { error: `"${text}" is not a PEP 440 version` };
    if (op === '~=' && version.releaseWritten.length < 2) return { error: `~=${text} needs at least two release numbers (~=1.4)` };
    clauses.push({ op, text, version });
  }
  return { matches: (v, text) => clauses.every((c) => clauseMatches(c, v, text)) };
}

function clauseMatches(c: Clause, v: Pep440Version, text: string): boolean {
  if (c.op === '===') return text.trim().toLowerCase() === c.text.toLowerCase();
  if (c.prefix) return (c.op === '==') === hasPrefix(v, c.prefix);
  const target = c.version!;
  // A specifier without a local part ignores the candidate's local part (PEP 440, "version matching").
  const cmp = comparePep440(v, target, { ignoreLocal: target.local === undefined });
  switch (c.op) {
    case '==':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '~=': {
      const prefix: Pep440Version = { epoch: target.epoch, release: [], releaseWritten: target.releaseWritten.slice(0, -1) };
      return cmp >= 0 && hasPrefix(v, prefix);
    }
  }
}

/** `==1.4.*`: same epoch and the release starts with 1.4 (zero-padded), pre/post/dev of it included. */
function hasPrefix(v: Pep440Version, prefix: Pep440Version): boolean {
  if (v.epoch !== prefix.epoch) return false;
  const own = prefix.releaseWritten;
  for (let i = 0; i < own.length; i++) if ((v.releaseWritten[i] ?? 0) !== own[i]) return false;
  // 1.4rc1.* style prefixes (a pre-release in the prefix) must match that too.
  if (prefix.pre && (v.pre?.[0] !== prefix.pre[0] || v.pre?.[1] !== prefix.pre[1])) return false;
  return true;
}
