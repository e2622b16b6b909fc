import { PackageURL } from 'packageurl-js';
import { compareVersions } from '../dependencies/version-order.ts';

/** A package at one version, as a diff lists it. */
export interface DiffPackage {
  /** The package without its version: a purl without `@version`, or the uri of a non-purl dependency. */
  package: string;
  /** '' when the dependency records none. */
  version: string;
  /** The dependency's uri as written. */
  uri: string;
}

/** One package whose version moved. */
export interface VersionChange {
  package: string;
  from: string;
  to: string;
  fromUri: string;
  toUri: string;
}

/**
 * The same package at the same version with a different digest. `mismatch`: an algorithm both
 * record has different values — the bytes differ, which a version bump cannot explain (a
 * republished or tampered package, or a different registry). `dropped`: the new one has no digest
 * where the old had one (it is no longer pinned).
 */
export interface DigestChange {
  package: string;
  version: string;
  uri: string;
  kind: 'mismatch' | 'dropped';
  /** The algorithms whose values differ (mismatch), or those the old one had (dropped). */
  algorithms: string[];
  old: Record<string, string>;
  new: Record<string, string>;
}

/** How the resolved dependencies changed. Each list is sorted by package, then version. */
export interface DependencyDiff {
  added: DiffPackage[];
  removed: DiffPackage[];
  versionChanged: VersionChange[];
  digestChanged: DigestChange[];
}

/** A resolved dependency as the diff reads it (the view's DependencyRef). */
export interface DiffDependency {
  uri?: string;
  digest?: Record<string, string>;
}

interface Entry {
  version: string;
  uri: string;
  digest: Record<string, string>;
  type: string;
}

/**
 * Compares two lists of resolved dependencies. Packages are matched by purl without version
 * (qualifiers kept, so two builds of one version for different platforms stay apart); other
 * entries by their uri. Within a package, versions present on both sides are compared by digest;
 * the remaining old and new versions are paired in version order as version changes (lodash
 * 4.17.20 → 4.17.21), and what is left over is removed or added. Entries without a uri, and those
 * `skip` says are not dependencies (the build's own source), take no part.
 */
export function diffDependencies(oldDeps: readonly DiffDependency[], newDeps: readonly DiffDependency[], skip: (uri: string) => boolean = () => false): DependencyDiff {
  const before = group(oldDeps, skip);
  const after = group(newDeps, skip);
  const diff: DependencyDiff = { added: [], removed: [], versionChanged: [], digestChanged: [] };
  for (const pkg of [...new Set([...before.keys(), ...after.keys()])].sort(compareStrings)) {
    const olds = before.get(pkg) ?? new Map<string, Entry>();
    const news = after.get(pkg) ?? new Map<string, Entry>();
    for (const [version, o] of olds) {
      const n = news.get(version);
      if (n === undefined) continue;
      const change = digestChange(o.digest, n.digest);
      if (change) diff.digestChanged.push({ package: pkg, version, uri: n.uri, ...change, old: o.digest, new: n.digest });
    }
    const gone = [...olds.values()].filter((e) => !news.has(e.version)).sort(byVersion);
    const came = [...news.values()].filter((e) => !olds.has(e.version)).sort(byVersion);
    const paired = Math.min(gone.length, came.length);
    for (let i = 0; i < paired; i++) diff.versionChanged.push({ package: pkg, from: gone[i]!.version, to: came[i]!.version, fromUri: gone[i]!.uri, toUri: came[i]!.uri });
    for (const e of gone.slice(paired)) diff.removed.push({ package: pkg, version: e.version, uri: e.uri });
    for (const e of came.slice(paired)) diff.added.push({ package: pkg, version: e.version, uri: e.uri });
  }
  return diff;
}

function group(deps: readonly DiffDependency[], skip: (uri: string) => boolean): Map<string, Map<string, Entry>> {
  const out = new Map<string, Map<string, Entry>>();
  for (const dep of deps) {
    if (dep.uri === undefined || dep.uri === '' || skip(dep.uri)) continue;
    const { pkg, version, type } = identify(dep.uri);
    const versions = out.get(pkg) ?? new Map<string, Entry>();
    const seen = versions.get(version);
    // The same package and version twice (two lockfiles): one entry, digests united.
    versions.set(version, { version, uri: dep.uri, type, digest: { ...(dep.digest ?? {}), ...(seen?.digest ?? {}) } });
    out.set(pkg, versions);
  }
  return out;
}

function identify(uri: string): { pkg: string; version: string; type: string } {
  if (uri.startsWith('pkg:')) {
    try {
      const p = PackageURL.fromString(uri);
      return { pkg: new PackageURL(p.type, p.namespace, p.name, undefined, p.qualifiers, p.subpath).toString(), version: p.version ?? '', type: p.type };
    } catch {
      // not a valid purl: compared as an opaque uri below
    }
  }
  return { pkg: uri, version: '', type: '' };
}

function digestChange(o: Record<string, string>, n: Record<string, string>): { kind: 'mismatch' | 'dropped'; algorithms: string[] } | undefined {
  const shared = Object.keys(o).filter((alg) => n[alg] !== undefined && o[alg] !== '' && n[alg] !== '');
  const differing = shared.filter((alg) => o[alg]!.toLowerCase() !== n[alg]!.toLowerCase()).sort();
  if (differing.length > 0) return { kind: 'mismatch', algorithms: differing };
  const had = Object.keys(o).filter((alg) => o[alg] !== '').sort();
  const has = Object.keys(n).filter((alg) => n[alg] !== '');
  if (had.length > 0 && has.length === 0) return { kind: 'dropped', algorithms: had };
  // Different algorithms only (sha1 then, sha512 now: a lockfile format upgrade) cannot be compared.
  return undefined;
}

function byVersion(a: Entry, b: Entry): number {
  return compareVersions(a.type, a.version, b.version) ?? compareStrings(a.version, b.version);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
