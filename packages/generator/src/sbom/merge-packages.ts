import type { DependencyFacts, ResolvedPackage } from '../dependencies/model.ts';
import { strongerScope } from '../dependencies/model.ts';

/** The packages of every lockfile as one graph: one entry per purl, and the graph's roots. */
export interface MergedGraph {
  /** Sorted by purl (UTF-16 code units), so everything built from it comes out in one order. */
  packages: ResolvedPackage[];
  /** Purls the project depends on directly; `undefined` when no lockfile says (then the graph has no root edges). */
  roots: string[] | undefined;
}

/**
 * Merges the packages of several lockfiles by purl. A package found in two lockfiles (a monorepo
 * with a root and a nested lockfile, or npm and pnpm side by side) is one component: the strongest
 * scope, the union of its digests (the first lockfile's value wins for an algorithm both record),
 * direct if direct anywhere, and the union of its known edges. A lockfile without `roots` contributes
 * its `direct` packages as roots, so parsers that do not record edges still give the root its edges.
 */
export function mergePackages(facts: readonly DependencyFacts[]): MergedGraph {
  const byPurl = new Map<string, ResolvedPackage>();
  let roots: Set<string> | undefined;
  for (const lock of facts) {
    for (const pkg of lock.packages) {
      const seen = byPurl.get(pkg.purl);
      byPurl.set(pkg.purl, seen ? mergeOne(seen, pkg) : { ...pkg, digest: { ...pkg.digest }, ...(pkg.dependencies ? { dependencies: [...pkg.dependencies] } : {}) });
    }
    const lockRoots = lock.roots ?? lock.packages.filter((p) => p.direct).map((p) => p.purl);
    if (lock.roots !== undefined || lockRoots.length > 0) {
      roots ??= new Set();
      for (const purl of lockRoots) roots.add(purl);
    }
  }
  const packages = [...byPurl.values()].sort((a, b) => compareCodeUnits(a.purl, b.purl));
  for (const pkg of packages) if (pkg.dependencies) pkg.dependencies = [...new Set(pkg.dependencies)].sort(compareCodeUnits);
  return { packages, roots: roots ? [...roots].sort(compareCodeUnits) : undefined };
}

function mergeOne(a: ResolvedPackage, b: ResolvedPackage): ResolvedPackage {
  const merged: ResolvedPackage = { ...a, scope: strongerScope(a.scope, b.scope), direct: a.direct || b.direct, digest: { ...b.digest, ...a.digest } };
  if (merged.downloadLocation === undefined && b.downloadLocation !== undefined) merged.downloadLocation = b.downloadLocation;
  if (a.dependencies || b.dependencies) merged.dependencies = [...(a.dependencies ?? []), ...(b.dependencies ?? [])];
  return merged;
}

/** Orders strings by UTF-16 code unit, the same on every machine (localeCompare is not). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
