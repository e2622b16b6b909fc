import type { DependencyScope, ResolvedPackage, SourceKind } from './model.ts';

/**
 * The dependency graph of a JavaScript lockfile that records resolutions but no scope flags
 * (pnpm, yarn, bun), and how it becomes ResolvedPackage[]: scopes are computed from the graph,
 * the way npm computes its dev/optional/peer flags.
 */

/** One edge: the node it reaches and the weakest scope it passes on (`prod` for a plain dependency). */
export interface GraphEdge {
  to: string;
  kind: DependencyScope;
}

/** One installed package: a lockfile entry (one of possibly several per name@version). */
export interface GraphNode {
  name: string;
  /** '' when the lockfile records none. */
  version: string;
  purl: string;
  digest: Record<string, string>;
  downloadLocation?: string;
  sourceKind: SourceKind;
  /** Edges to other nodes; every `to` must be a key of PackageGraph.nodes. */
  edges: GraphEdge[];
}

/** A lockfile as a graph. Local projects (the root, workspace members) are not nodes: their declared dependencies are the roots. */
export interface PackageGraph {
  /** Nodes by the lockfile's own key for them; iteration order decides which entry's digest wins. */
  nodes: Map<string, GraphNode>;
  /** The local projects' declared dependencies, with the scope their field gives. */
  roots: GraphEdge[];
}

// Index = weakness: a path's scope is its weakest step, a package's scope its strongest path.
const LEVELS: readonly DependencyScope[] = ['prod', 'optional', 'peer', 'dev'];
const LEVEL: Record<DependencyScope, number> = { prod: 0, optional: 1, peer: 2, dev: 3 };

/**
 * The strongest scope each node is reached with from the roots. A path is as weak as its
 * weakest step (a dependency of a dev dependency is dev; a peer of a prod package is peer), and a
 * node takes its strongest path. With four levels this is a bucketed breadth-first search:
 * nodes settle in order of strength, each once, so it is linear in nodes plus edges.
 * Nodes no root reaches are absent.
 */
export function reachedScopes(graph: PackageGraph): Map<string, DependencyScope> {
  const settled = new Map<string, DependencyScope>();
  const buckets: string[][] = [[], [], [], []];
  for (const root of graph.roots) buckets[LEVEL[root.kind]]!.push(root.to);
  for (let level = 0; level < buckets.length; level++) {
    const bucket = buckets[level]!;
    // The bucket grows while it is read: edges that keep the level append to it.
    for (let i = 0; i < bucket.length; i++) {
      const id = bucket[i]!;
      if (settled.has(id)) continue;
      const node = graph.nodes.get(id);
      if (node === undefined) continue;
      settled.set(id, LEVELS[level]!);
      for (const edge of node.edges) {
        if (!settled.has(edge.to)) buckets[Math.max(level, LEVEL[edge.kind])]!.push(edge.to);
      }
    }
  }
  return settled;
}

/**
 * One ResolvedPackage per distinct name@version, sorted by name then version, and the purls of
 * the direct dependencies. Over the nodes of one name@version: the scope is the strongest any of
 * them is reached with (`prod` when none is reached, which only happens when the lockfile does
 * not say who needs them: we never guess a package away from a production install); direct if a
 * root reaches any; dependencies the union of their edges; digest, downloadLocation and
 * sourceKind from the first with a digest, else the first.
 */
export function packagesOfGraph(graph: PackageGraph): { packages: ResolvedPackage[]; roots: string[] } {
  const scopes = reachedScopes(graph);
  const directIds = new Set(graph.roots.map((r) => r.to));
  const byKey = new Map<string, { pkg: ResolvedPackage; reached: boolean; deps: Set<string> }>();
  for (const [id, node] of graph.nodes) {
    const key = `${node.name}@${node.version}`;
    const scope = scopes.get(id);
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = { pkg: toPackage(node, scope ?? 'prod', directIds.has(id)), reached: scope !== undefined, deps: new Set() };
      byKey.set(key, entry);
    } else {
      const { pkg } = entry;
      if (scope !== undefined) {
        pkg.scope = entry.reached && LEVEL[pkg.scope] <= LEVEL[scope] ? pkg.scope : scope;
        entry.reached = true;
      }
      if (directIds.has(id)) pkg.direct = true;
      if (Object.keys(pkg.digest).length === 0 && Object.keys(node.digest).length > 0) {
        entry.pkg = toPackage(node, pkg.scope, pkg.direct);
      }
    }
    for (const edge of node.edges) {
      const target = graph.nodes.get(edge.to);
      if (target !== undefined) entry.deps.add(target.purl);
    }
  }

  const packages: ResolvedPackage[] = [];
  for (const { pkg, deps } of byKey.values()) {
    pkg.dependencies = [...deps].sort();
    packages.push(pkg);
  }
  packages.sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  const roots = [...new Set(packages.filter((p) => p.direct).map((p) => p.purl))].sort();
  return { packages, roots };
}

function toPackage(node: GraphNode, scope: DependencyScope, direct: boolean): ResolvedPackage {
  const pkg: ResolvedPackage = {
    ecosystem: 'npm',
    name: node.name,
    version: node.version,
    purl: node.purl,
    digest: node.digest,
    scope,
    direct,
    sourceKind: node.sourceKind,
  };
  if (node.downloadLocation !== undefined) pkg.downloadLocation = node.downloadLocation;
  return pkg;
}
