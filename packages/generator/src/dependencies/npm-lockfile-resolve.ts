import { integrityToDigestSet } from '@provenant/core';
import { PackageURL } from 'packageurl-js';
import type { DependencyScope, LockNode, LockTree, ResolvedPackage } from './npm-lockfile-model.ts';
import { lockfileInvalid } from './lockfile-json.ts';
import { resolveLockTree } from './npm-lockfile-direct.ts';
import { classifySource, registryTarballUrl } from './npm-lockfile-source.ts';

// "Strongest" first: a package that any install path needs in production is a production
// dependency, whatever else also pulls it in.
const SCOPE_RANK: Record<DependencyScope, number> = { prod: 3, optional: 2, peer: 1, dev: 0 };

/**
 * Turns a flattened lockfile into one ResolvedPackage per distinct `name@version`, sorted by name
 * then version, and the purls of the direct dependencies (the graph's roots). Local projects and
 * links are not dependencies. When a package is installed at several locations: its scope is the
 * strongest of theirs (prod > optional > peer > dev), it is direct if any location is, its
 * dependencies are the union of what each location's requires resolve to, and
 * digest/downloadLocation/sourceKind come from the first location in lockfile order that has an
 * integrity (else the first location).
 */
export function resolvePackages(tree: LockTree, source: string): { packages: ResolvedPackage[]; roots: string[] } {
  const { direct, edges } = resolveLockTree(tree);
  const byKey = new Map<string, ResolvedPackage>();
  for (const [location, node] of tree.nodes) {
    if (node.link || tree.projects.has(location)) continue;
    const key = `${node.name}@${node.version}`;
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, toPackage(node, direct.has(location), location, source));
      continue;
    }
    if (SCOPE_RANK[node.scope] > SCOPE_RANK[seen.scope]) seen.scope = node.scope;
    if (direct.has(location)) seen.direct = true;
    if (Object.keys(seen.digest).length === 0 && node.integrity !== undefined) {
      const better = toPackage(node, seen.direct, location, source);
      if (Object.keys(better.digest).length > 0) byKey.set(key, { ...better, scope: seen.scope });
    }
  }

  // Edges are collected per location, then merged per name@version as purls.
  const purlAt = (location: string) => {
    const node = tree.nodes.get(location)!;
    return byKey.get(`${node.name}@${node.version}`)!.purl;
  };
  const dependencies = new Map<string, Set<string>>();
  for (const [location, targets] of edges) {
    const node = tree.nodes.get(location)!;
    const key = `${node.name}@${node.version}`;
    const set = dependencies.get(key) ?? new Set<string>();
    dependencies.set(key, set);
    for (const target of targets) set.add(purlAt(target));
  }
  for (const [key, pkg] of byKey) pkg.dependencies = [...(dependencies.get(key) ?? [])].sort();

  const packages = [...byKey.values()].sort(compareNameVersion);
  const roots = [...new Set(packages.filter((p) => p.direct).map((p) => p.purl))].sort();
  return { packages, roots };
}

function toPackage(node: LockNode, direct: boolean, location: string, source: string): ResolvedPackage {
  const sourceKind = classifySource(node.resolved);
  const downloadLocation =
    node.resolved || (sourceKind === 'registry' && node.version !== '' ? registryTarballUrl(node.name, node.version) : undefined);
  const pkg: ResolvedPackage = {
    ecosystem: 'npm',
    name: node.name,
    version: node.version,
    purl: npmPurl(node.name, node.version, location, source),
    digest: node.integrity === undefined ? {} : integrityToDigestSet(node.integrity),
    scope: node.scope,
    direct,
    sourceKind,
  };
  if (downloadLocation !== undefined) pkg.downloadLocation = downloadLocation;
  return pkg;
}

/** `pkg:npm/%40scope/name@1.2.3`; the version is left out when the lockfile has none. */
export function npmPurl(name: string, version: string, location: string, source: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const namespace = slash > 0 ? name.slice(0, slash) : undefined;
  try {
    return new PackageURL('npm', namespace, slash > 0 ? name.slice(slash + 1) : name, version || undefined).toString();
  } catch (error) {
    throw lockfileInvalid(source, `cannot make a package URL for ${JSON.stringify(location)}: ${(error as Error).message}`);
  }
}

function compareNameVersion(a: ResolvedPackage, b: ResolvedPackage): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  return 0;
}
