import { integrityToDigestSet } from '@provenant/core';
import { parse as parseYaml } from 'yaml';
import type { DependencyScope, ResolvedPackage, SourceKind } from './model.ts';
import { type GraphEdge, type GraphNode, type PackageGraph, packagesOfGraph } from './npm-lockfile-graph.ts';
import { lockfileInvalid } from './lockfile-json.ts';
import { npmPurl } from './npm-lockfile-resolve.ts';
import { classifySource, registryTarballUrl } from './npm-lockfile-source.ts';
import { type PnpmMajor, nameVersionOfKey, refToKey, withoutPeers } from './pnpm-lockfile-path.ts';

/** The lockfile pnpm writes. */
export const PNPM_LOCKFILE_NAMES = ['pnpm-lock.yaml'] as const;

type YamlMap = Map<string, unknown>;

// What an importer's (a local project's) fields give the packages they name.
const IMPORTER_FIELDS: ReadonlyArray<[string, DependencyScope]> = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
];

/**
 * Parses a pnpm-lock.yaml, lockfile format 6 (pnpm 8) or 9 (pnpm 9 and 10), workspaces included.
 * Pure: no I/O; `source` names the file in error messages.
 *
 * Every importer (the root `.` and each workspace member) is a local project: not a package, its
 * dependencies, devDependencies and optionalDependencies are the roots; `link:` references reach
 * other local projects. Each snapshot (a package resolved with particular peers) is a node, its
 * `dependencies` and `optionalDependencies` the edges; a dependency its package lists among its
 * peerDependencies is a peer edge. pnpm 9 writes no dev/optional flags, so scopes come from the
 * graph for both formats.
 *
 * Aliases (`my-ms: npm:ms@2.1.3`) are recorded as the real package. A `file:` directory is a
 * package (pnpm copies it into its store) with the version pnpm records, usually none. A patched
 * package (`(patch_hash=…)`) is the same name@version as the original, with the original's
 * integrity: that is what was downloaded.
 *
 * @throws ProvenantError LOCKFILE_INVALID for anything that is not a well-formed lockfile,
 * including a reference to a package the lockfile has no entry for (pnpm calls that broken too).
 */
export function parsePnpmLockfile(text: string, source = 'pnpm-lock.yaml'): { lockfileVersion: string; packages: ResolvedPackage[]; roots: string[] } {
  let data: unknown;
  try {
    // The failsafe schema reads every scalar as a string: pnpm quotes nothing it need not, so the
    // core schema would turn a version such as `1.10` or a name such as `true` into a number or boolean.
    data = parseYaml(text, { schema: 'failsafe', mapAsMap: true, prettyErrors: false });
  } catch (error) {
    throw lockfileInvalid(source, `not valid YAML (${firstLine(error)})`);
  }
  if (!(data instanceof Map)) throw lockfileInvalid(source, 'expected a YAML mapping at the top');
  const lockfileVersion = data.get('lockfileVersion');
  if (typeof lockfileVersion !== 'string') throw lockfileInvalid(source, '"lockfileVersion" is missing');
  const major = Number.parseInt(lockfileVersion, 10);
  if (major !== 6 && major !== 9) throw lockfileInvalid(source, `unsupported lockfileVersion ${JSON.stringify(lockfileVersion.slice(0, 20))} (expected 6.x or 9.x)`);

  const reader = new PnpmReader(major, source);
  const graph = major === 9 ? reader.readV9(data) : reader.readV6(data);
  return { lockfileVersion, ...packagesOfGraph(graph) };
}

class PnpmReader {
  readonly #major: PnpmMajor;
  readonly #source: string;

  constructor(major: PnpmMajor, source: string) {
    this.#major = major;
    this.#source = source;
  }

  /** v9: `packages` holds what was fetched, `snapshots` how each was resolved (its dependencies). */
  readV9(data: YamlMap): PackageGraph {
    const metadata = this.#map(data, 'packages', '');
    const snapshots = this.#map(data, 'snapshots', '');
    const nodes = new Map<string, GraphNode>();
    const pending: Array<[string, YamlMap, YamlMap]> = [];
    for (const [key, value] of snapshots) {
      const snapshot = this.#asMap(value, `snapshots[${JSON.stringify(key)}]`);
      const packageKey = withoutPeers(key);
      const meta = metadata.get(packageKey);
      if (meta === undefined) throw lockfileInvalid(this.#source, `snapshot ${JSON.stringify(key)} has no "packages" entry ${JSON.stringify(packageKey)}`);
      const pkg = this.#asMap(meta, `packages[${JSON.stringify(packageKey)}]`);
      nodes.set(key, this.#node(key, pkg));
      pending.push([key, snapshot, pkg]);
    }
    for (const [key, snapshot, pkg] of pending) nodes.get(key)!.edges = this.#edges(key, snapshot, pkg, nodes);
    return { nodes, roots: this.#importerRoots(this.#map(data, 'importers', ''), nodes) };
  }

  /** v6: each `packages` entry is a snapshot and its metadata at once. A single project has no `importers`. */
  readV6(data: YamlMap): PackageGraph {
    const packages = this.#map(data, 'packages', '');
    const nodes = new Map<string, GraphNode>();
    const entries: Array<[string, YamlMap]> = [];
    for (const [key, value] of packages) {
      const entry = this.#asMap(value, `packages[${JSON.stringify(key)}]`);
      nodes.set(key, this.#node(key, entry));
      entries.push([key, entry]);
    }
    for (const [key, entry] of entries) nodes.get(key)!.edges = this.#edges(key, entry, entry, nodes);
    const importers = data.has('importers') ? this.#map(data, 'importers', '') : new Map([['.', data]]);
    return { nodes, roots: this.#importerRoots(importers, nodes) };
  }

  #node(key: string, meta: YamlMap): GraphNode {
    const where = `packages[${JSON.stringify(key)}]`;
    const parsed = nameVersionOfKey(this.#major, key);
    const name = this.#string(meta, 'name', where) ?? parsed.name;
    if (name === undefined || name === '') throw lockfileInvalid(this.#source, `${where} has no package name`);
    const version = this.#string(meta, 'version', where) ?? parsed.version ?? '';
    const resolution = meta.has('resolution') ? this.#map(meta, 'resolution', where) : new Map<string, unknown>();
    const integrity = this.#string(resolution, 'integrity', `${where}.resolution`);
    const { sourceKind, downloadLocation } = this.#origin(resolution, name, version, where);
    const node: GraphNode = {
      name,
      version,
      purl: npmPurl(name, version, key, this.#source),
      digest: integrity === undefined ? {} : integrityToDigestSet(integrity),
      sourceKind,
      edges: [],
    };
    if (downloadLocation !== undefined) node.downloadLocation = downloadLocation;
    return node;
  }

  /** Where the bytes came from, from the `resolution` pnpm recorded. */
  #origin(resolution: YamlMap, name: string, version: string, where: string): { sourceKind: SourceKind; downloadLocation?: string } {
    const at = `${where}.resolution`;
    const type = this.#string(resolution, 'type', at);
    if (type === 'git') {
      const repo = this.#string(resolution, 'repo', at);
      const commit = this.#string(resolution, 'commit', at);
      if (repo === undefined || commit === undefined) throw lockfileInvalid(this.#source, `${at} is a git resolution without repo and commit`);
      return { sourceKind: 'git', downloadLocation: `${repo.startsWith('git') ? '' : 'git+'}${repo}#${commit}` };
    }
    if (type === 'directory') {
      const directory = this.#string(resolution, 'directory', at);
      return directory === undefined ? { sourceKind: 'file' } : { sourceKind: 'file', downloadLocation: `file:${directory}` };
    }
    const tarball = this.#string(resolution, 'tarball', at);
    if (tarball !== undefined) return { sourceKind: classifySource(tarball), downloadLocation: tarball };
    // No tarball: pnpm left it out because the configured registry serves it under its usual
    // name. We can only assume the public registry, as npm's parser does without `resolved`.
    return version === '' ? { sourceKind: 'registry' } : { sourceKind: 'registry', downloadLocation: registryTarballUrl(name, version) };
  }

  #edges(key: string, snapshot: YamlMap, meta: YamlMap, nodes: Map<string, GraphNode>): GraphEdge[] {
    const where = `packages[${JSON.stringify(key)}]`;
    const peers = meta.has('peerDependencies') ? this.#map(meta, 'peerDependencies', where) : undefined;
    const edges: GraphEdge[] = [];
    for (const [field, kind] of [['dependencies', 'prod'], ['optionalDependencies', 'optional']] as const) {
      if (!snapshot.has(field)) continue;
      for (const [name, reference] of this.#map(snapshot, field, where)) {
        const to = this.#target(name, reference, nodes, `${where}.${field}`);
        if (to !== undefined) edges.push({ to, kind: kind === 'prod' && peers?.has(name) ? 'peer' : kind });
      }
    }
    return edges;
  }

  #importerRoots(importers: YamlMap, nodes: Map<string, GraphNode>): GraphEdge[] {
    const roots: GraphEdge[] = [];
    for (const [id, value] of importers) {
      const where = `importers[${JSON.stringify(id)}]`;
      const importer = this.#asMap(value, where);
      for (const [field, kind] of IMPORTER_FIELDS) {
        if (!importer.has(field)) continue;
        for (const [name, spec] of this.#map(importer, field, where)) {
          // v6 and v9 write `{ specifier, version }`; older files wrote the version alone.
          const reference = spec instanceof Map ? spec.get('version') : spec;
          const to = this.#target(name, reference, nodes, `${where}.${field}`);
          if (to !== undefined) roots.push({ to, kind });
        }
      }
    }
    return roots;
  }

  /** The node a dependency reference resolves to; undefined for a local project (`link:`). */
  #target(name: string, reference: unknown, nodes: Map<string, GraphNode>, where: string): string | undefined {
    if (typeof reference !== 'string') throw lockfileInvalid(this.#source, `${where}[${JSON.stringify(name)}] must be a version string`);
    const key = refToKey(this.#major, reference, name);
    if (key === undefined) return undefined;
    if (!nodes.has(key)) throw lockfileInvalid(this.#source, `${where}[${JSON.stringify(name)}] refers to ${JSON.stringify(key)}, which has no entry`);
    return key;
  }

  #map(parent: YamlMap, key: string, where: string): YamlMap {
    const value = parent.get(key);
    if (value === undefined || value === null || value === '') return new Map();
    return this.#asMap(value, where === '' ? key : `${where}.${key}`);
  }

  #asMap(value: unknown, where: string): YamlMap {
    if (value instanceof Map) return value as YamlMap;
    // `{}` and an empty value both mean an empty mapping.
    if (value === null || value === '') return new Map();
    throw lockfileInvalid(this.#source, `${where} must be a mapping, got ${yamlType(value)}`);
  }

  #string(parent: YamlMap, key: string, where: string): string | undefined {
    const value = parent.get(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw lockfileInvalid(this.#source, `${where}.${key} must be a string, got ${yamlType(value)}`);
    return value;
  }
}

function yamlType(value: unknown): string {
  if (value instanceof Map) return 'a mapping';
  if (Array.isArray(value)) return 'a sequence';
  return value === null ? 'null' : `a ${typeof value}`;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]!.slice(0, 200);
}
