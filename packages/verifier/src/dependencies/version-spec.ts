import { semver } from '../lazy-modules.ts';
import { parsePep440, parsePep440Specifier } from './pep440.ts';
import { SEMVER_TYPES, compareGeneric, compareVersions, toSemver } from './version-order.ts';

/**
 * Which versions a deny rule covers. `matches` answers undefined when the version cannot be read
 * in the ecosystem's syntax: the caller then fails closed.
 */
export interface VersionSpec {
  matches(version: string): boolean | undefined;
}

/**
 * Reads the `versions` of a deny rule for a purl type:
 * - a list: those exact versions (compared in the ecosystem's order, so PyPI `1.0` equals `1.0.0`);
 * - a string, for npm, cargo, golang, composer and gem: a node-semver range (`<4.17.21`,
 *   `>=1.0.0 <1.2.3 || 2.x`, `^3`), pre-releases included; the version is read as SemVer
 *   (Go's `v` dropped, RubyGems `1.0.0.rc1` → `1.0.0-rc1`, `1.2` → `1.2.0`), and one that has no
 *   SemVer form (`1.2.3.4`) cannot be compared;
 * - a string, for pypi: a PEP 440 specifier set (`>=1.0,<2`, `==1.4.*`, `~=1.4.2`);
 * - a string, for any other type: comma-separated comparisons (`>=1.0, <2.0`, `!=1.5`) in the
 *   generic order (see compareGeneric).
 */
export function parseVersionSpec(type: string, versions: string | readonly string[]): VersionSpec | { error: string } {
  if (typeof versions !== 'string') {
    const list = [...versions];
    return {
      matches: (version) => list.some((v) => v === version || compareVersions(type, v, version) === 0),
    };
  }
  if (SEMVER_TYPES.has(type)) {
    // Not loose: loose mode reads "below 2" as the range 2.x.
    const range = semver().validRange(versions);
    if (range === null) return { error: `"${versions}" is not a semver range such as <4.17.21, >=1.0.0 <1.2.3, ^2` };
    return {
      matches: (version) => {
        const v = toSemver(type, version);
        return v === undefined ? undefined : semver().satisfies(v, range, { includePrerelease: true });
      },
    };
  }
  if (type === 'pypi') {
    const spec = parsePep440Specifier(versions);
    if ('error' in spec) return spec;
    return {
      matches: (version) => {
        const v = parsePep440(version);
        return v === undefined ? undefined : spec.matches(v, version);
      },
    };
  }
  return genericSpec(versions);
}

const COMPARISON = /^\s*(<=|>=|==|!=|<|>|=)?\s*(\S+)\s*$/;

function genericSpec(text: string): VersionSpec | { error: string } {
  const clauses: { op: string; version: string }[] = [];
  for (const part of text.split(',')) {
    const m = COMPARISON.exec(part);
    if (!m || compareGeneric(m[2]!, m[2]!) === undefined) return { error: `"${part.trim()}" is not a comparison such as >=1.0, <2.0, !=1.5` };
    clauses.push({ op: m[1] ?? '==', version: m[2]! });
  }
  return {
    matches(version) {
      let all = true;
      for (const c of clauses) {
        const cmp = compareGeneric(version, c.version);
        if (cmp === undefined) return undefined;
        const ok = c.op === '<' ? cmp < 0 : c.op === '<=' ? cmp <= 0 : c.op === '>' ? cmp > 0 : c.op === '>=' ? cmp >= 0 : c.op === '!=' ? cmp !== 0 : cmp === 0;
        all &&= ok;
      }
      return all;
    },
  };
}
