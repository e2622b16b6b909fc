import { integrityToDigestSet } from '@provenant/core';
import { jsoncToJson } from './bun-jsonc.ts';
import type { DependencyScope, ResolvedPackage, SourceKind } from './model.ts';
import { type GraphEdge, type GraphNode, packagesOfGraph } from './npm-lockfile-graph.ts';
import { MAX_LOCATION_LENGTH } from './npm-lockfile-model.ts';
import { isJsonObject, jsonType, lockfileInvalid } from './lockfile-json.ts';
import { npmPurl } from './npm-lockfile-resolve.ts';
import { classifySource, isGitUrl, parseSemver, registryTarballUrl } from './npm-lockfile-source.ts';
import { resolveRequests } from './npm-lockfile-tree.ts';

/** The text lockfile bun writes (bun 1.2+; the binary bun.lockb is not read). */
export const BUN_LOCKFILE_NAMES = ['bun.lock'] as const;

/** The bun.lock formats this reader knows. */
const SUPPORTED_VERSIONS = new Set([0, 1, 2]);

// What each field gives the package it names.
const FIELDS: ReadonlyArray<[string, DependencyScope]> = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
  ['devDependencies', 'dev'],
];

interface BunEntry {
  key: string;
  name: string;
  /** What bun resolved the package to: a version, `workspace:<folder>`, `file:<folder>`, a URL, a path. */
  resolution: string;
  info: Record<string, unknown>;
  /** The SRI integrity, for registry packages and tarballs. */
  integrity: string | undefined;
  /** A registry package's second element: '' for the default registry, else where it came from. */
  registry: string | undefined;
  /** The local project this entry is: a workspace member or the root. */
  project: boolean;
}

/**
 * Parses a bun.lock. Pure: no I/O.
 *
 * `workspaces` lists every local project (`""` the root, then each member's folder) with its
 * declared dependencies: the roots. `packages` is keyed by install path, the node_modules layout
 * with the `node_modules/` left out: `debug` is hoisted, `finalhandler/debug` is nested in
 * finalhandler's, `@mono/b/ms` in workspace member @mono/b's. So every dependency a package or a
 * project names resolves the way Node resolves it from that install path, and those are the
 * graph's edges (peers included: bun installs them). Scopes follow from the graph.
 *
 * Aliases (`"my-ms": ["ms@2.1.3", …]`) are recorded as the real package. `file:` folders and
 * tarballs are packages without a version (bun records none); `link:` packages have sourceKind `link`.
 *
 * @throws ProvenantError LOCKFILE_INVALID for anything that is not a well-formed bun.lock, a key
 * nested in a package that has no entry, or a dependency that resolves to nothing.
 */
export function parseBunLockfile(text: string, source = 'bun.lock'): { lockfileVersion: number; packages: ResolvedPackage[]; roots: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(jsoncToJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text));
  } catch (error) {
    throw lockfileInvalid(source, `not valid JSON with trailing commas (${(error as Error).message})`);
  }
  if (!isJsonObject(data)) throw lockfileInvalid(source, `expected a JSON object, got ${jsonType(data)}`);
  const lockfileVersion = data['lockfileVersion'];
  if (typeof lockfileVersion !== 'number' || !SUPPORTED_VERSIONS.has(lockfileVersion)) {
    throw lockfileInvalid(source, `unsupported lockfileVersion ${typeof lockfileVersion === 'number' ? lockfileVersion : jsonType(lockfileVersion)} (expected 0, 1 or 2)`);
  }
  const workspaces = objectField(data, 'workspaces', source, '');
  const packages = objectField(data, 'packages', source, '');

  // Entries and the install layout: where each key is installed, and under which name.
  const entries = new Map<string, BunEntry>();
  const installed = new Map<string, Map<string, string>>();
  const searchParent = new Map<string, string | undefined>([['', undefined]]);
  const memberKey = new Map<string, string>([['', '']]);
  for (const [key, value] of Object.entries(packages)) {
    const entry = readEntry(key, value, source);
    entries.set(key, entry);
    if (entry.project && entry.resolution.startsWith('workspace:')) memberKey.set(entry.resolution.slice('workspace:'.length), key);
    const { holder, name } = splitKey(key, source);
    searchParent.set(key, holder);
    const here = installed.get(holder);
    if (here === undefined) installed.set(holder, new Map([[name, key]]));
    else here.set(name, key);
  }
  for (const [key, holder] of searchParent) {
    if (holder !== undefined && !searchParent.has(holder)) throw lockfileInvalid(source, `packages[${JSON.stringify(key)}] is nested in ${JSON.stringify(holder)}, which has no entry`);
  }

  // What every package and project asks for, by field.
  const asks = new Map<string, Array<[string, DependencyScope]>>();
  const ask = (from: string, deps: Record<string, unknown>, where: string) => {
    const list = asks.get(from) ?? [];
    asks.set(from, list);
    for (const [field, kind] of FIELDS) for (const name of Object.keys(objectField(deps, field, source, where))) list.push([name, kind]);
  };
  for (const entry of entries.values()) {
    if (!entry.project) ask(entry.key, { ...entry.info, devDependencies: undefined }, `packages[${JSON.stringify(entry.key)}]`);
  }
  for (const [folder, member] of Object.entries(workspaces)) {
    const where = `workspaces[${JSON.stringify(folder)}]`;
    if (!isJsonObject(member)) throw lockfileInvalid(source, `${where} must be an object, got ${jsonType(member)}`);
    const from = memberKey.get(folder);
    if (from === undefined) throw lockfileInvalid(source, `${where} has no "packages" entry`);
    ask(from, member, where);
  }
  const requests = new Map<string, string[]>();
  for (const [from, list] of asks) requests.set(from, list.map(([name]) => name));
  const resolved = resolveRequests({ searchParent, installed }, requests);

  const nodes = new Map<string, GraphNode>();
  for (const entry of entries.values()) if (!entry.project) nodes.set(entry.key, toNode(entry, source));
  const roots: GraphEdge[] = [];
  for (const [from, list] of asks) {
    const targets = resolved.get(from);
    const isProject = from === '' || entries.get(from)!.project;
    const edges: GraphEdge[] = [];
    for (const [name, kind] of list) {
      const to = targets?.get(name);
      if (to === undefined) {
        // Optional dependencies for other platforms and unmet peers are legitimately absent.
        if (kind === 'prod' || kind === 'dev') throw lockfileInvalid(source, `${from === '' ? 'the root' : JSON.stringify(from)} depends on ${JSON.stringify(name)}, which resolves to no entry`);
        continue;
      }
      if (!entries.get(to)!.project) edges.push({ to, kind });
    }
    if (isProject) roots.push(...edges);
    else nodes.get(from)!.edges = edges;
  }
  return { lockfileVersion, ...packagesOfGraph({ nodes, roots }) };
}

/**
 * One `packages` entry, a tuple whose shape depends on the kind of package:
 * `[id, registry, info, integrity]` for the registry, `[id, info, integrity]` for tarballs,
 * `[id, info, commit]` for git, `[id, info]` for folders and links, `[id]` for workspaces.
 * The id is `name@resolution`; info holds the package's dependency fields.
 */
function readEntry(key: string, value: unknown, source: string): BunEntry {
  const where = `packages[${JSON.stringify(key.slice(0, 200))}]`;
  if (key === '' || key.length > MAX_LOCATION_LENGTH) throw lockfileInvalid(source, `${where}: a key must have 1 to ${MAX_LOCATION_LENGTH} characters`);
  if (!Array.isArray(value) || typeof value[0] !== 'string') throw lockfileInvalid(source, `${where} must be an array starting with "name@resolution"`);
  const id = value[0];
  const at = id.indexOf('@', 1);
  if (at <= 0 || at === id.length - 1) throw lockfileInvalid(source, `${where}: ${JSON.stringify(id.slice(0, 200))} is not name@resolution`);
  const rest = value.slice(1);
  const info = rest.find(isJsonObject) ?? {};
  const integrity = rest.findLast((v): v is string => typeof v === 'string' && /^sha(?:1|256|384|512)-/.test(v));
  const registry = typeof value[1] === 'string' && value.length >= 4 ? value[1] : undefined;
  const resolution = id.slice(at + 1);
  return { key, name: id.slice(0, at), resolution, info, integrity, registry, project: resolution.startsWith('workspace:') || resolution.startsWith('root:') };
}

function toNode(entry: BunEntry, source: string): GraphNode {
  const { name, resolution } = entry;
  const semver = parseSemver(resolution) === undefined ? undefined : resolution;
  const version = semver ?? '';
  let sourceKind: SourceKind;
  let downloadLocation: string | undefined;
  if (semver !== undefined) {
    // '' means the default registry; bun writes a tarball URL for packages from any other.
    sourceKind = 'registry';
    downloadLocation = entry.registry ? entry.registry : registryTarballUrl(name, version);
  } else if (resolution.startsWith('link:')) {
    sourceKind = 'link';
  } else if (resolution.startsWith('file:')) {
    sourceKind = 'file';
    downloadLocation = resolution;
  } else if (isGitUrl(resolution)) {
    sourceKind = 'git';
    downloadLocation = resolution;
  } else if (/^https?:\/\//i.test(resolution)) {
    sourceKind = classifySource(resolution);
    downloadLocation = resolution;
  } else {
    // A path: a tarball (`./vendor/x-1.0.0.tgz`) or folder bun read from disk.
    sourceKind = 'file';
    downloadLocation = `file:${resolution}`;
  }
  const digest = entry.integrity === undefined ? {} : integrityToDigestSet(entry.integrity);
  const node: GraphNode = { name, version, purl: npmPurl(name, version, entry.key, source), digest, sourceKind, edges: [] };
  if (downloadLocation !== undefined) node.downloadLocation = downloadLocation;
  return node;
}

/** `finalhandler/debug` -> installed as `debug` in `finalhandler`; `@mono/b` -> as `@mono/b` at the top. */
function splitKey(key: string, source: string): { holder: string; name: string } {
  const last = key.lastIndexOf('/');
  if (last < 0) return { holder: '', name: key };
  const previous = key.lastIndexOf('/', last - 1);
  const cut = key.charCodeAt(previous + 1) === 0x40 /* @ */ ? previous : last;
  const name = key.slice(cut + 1);
  if (name === '' || cut === 0) throw lockfileInvalid(source, `packages[${JSON.stringify(key.slice(0, 200))}] is not an install path`);
  return { holder: cut < 0 ? '' : key.slice(0, cut), name };
}

function objectField(parent: Record<string, unknown>, key: string, source: string, where: string): Record<string, unknown> {
  const value = parent[key];
  if (value === undefined) return {};
  if (!isJsonObject(value)) throw lockfileInvalid(source, `${where === '' ? '' : `${where}.`}${key} must be an object, got ${jsonType(value)}`);
  return value;
}
