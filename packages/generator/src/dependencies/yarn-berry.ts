import { parseSyml } from '@yarnpkg/parsers';
import type { DependencyScope, ResolvedPackage, SourceKind } from './model.ts';
import { type GraphEdge, type GraphNode, packagesOfGraph } from './npm-lockfile-graph.ts';
import { isJsonObject, jsonType, lockfileInvalid } from './lockfile-json.ts';
import { npmPurl } from './npm-lockfile-resolve.ts';
import { registryTarballUrl } from './npm-lockfile-source.ts';
import { splitDescriptor } from './yarn-classic.ts';
import { declaredDependencies } from './yarn-manifests.ts';

/**
 * The DigestSet key of a yarn berry `checksum`. That checksum is NOT a digest of the package's
 * npm tarball: it is the sha512 (hex) of the zip archive yarn rebuilds from the tarball for its
 * cache, and the zip's bytes depend on the cache key (`10c0` = cache format 10, compression level
 * 0). Recording it as `sha512` would claim a digest of the tarball that anyone comparing with the
 * registry's integrity would find wrong, and DigestSets "match if any field matches". So it goes
 * under its own algorithm name, which carries the cache key (two cache keys hash different zips
 * of the same package): `yarnZipSha512_10c0`, value lowercase hex. Consumers ignore algorithms
 * they do not know, as the in-toto DigestSet spec requires; a tool that can rebuild yarn's zip
 * with that cache key can check it.
 */
export function berryDigestKey(cacheKey: string): string {
  return `yarnZipSha512_${cacheKey}`;
}

/** One lockfile entry, by the locator it resolved to. */
export interface BerryEntry {
  key: string;
  resolution: string;
  name: string;
  /** The locator's range: `npm:1.2.3`, `workspace:packages/a`, `patch:…`, `file:…`. */
  range: string;
  entry: Record<string, unknown>;
}

/**
 * Parses a yarn berry (v2+) yarn.lock. Pure: no I/O.
 *
 * Keys are descriptors (comma-separated when several resolve alike), each entry names its
 * `resolution` (a locator) and lists its dependencies as descriptors: the graph's edges.
 * Descriptors of relative paths (`file:`, `patch:` with a local patch) are bound to the package
 * that asked for them (`::locator=…` in the key) and are looked up that way.
 *
 * `workspace:` entries (the root and the members) are local projects: their dependencies are the
 * roots. Berry merges devDependencies into a workspace's `dependencies`, so `manifests` (package.json
 * by workspace folder, '.' for the root) tell dev from prod; without one a workspace's
 * dependencies count as prod (optional when its dependenciesMeta says so).
 *
 * A `patch:` entry (yarn's built-in patches of typescript, resolve, fsevents, or a user's patch)
 * is the same name@version as the package it patches: the unpatched original comes first, so its
 * checksum is the one kept. Peer dependencies are not edges: berry records only their ranges, not
 * what provided them. `link:` and `portal:` entries are packages whose sourceKind is `link`.
 *
 * @throws ProvenantError LOCKFILE_INVALID when the file does not parse, an entry is malformed, or
 * a dependency has no entry.
 */
export function parseYarnBerryLockfile(
  text: string,
  source: string,
  manifests: ReadonlyMap<string, Record<string, unknown>>,
): { lockfileVersion: string; packages: ResolvedPackage[]; roots: string[] } {
  return resolveBerryLockfile(readBerryLockfile(text, source), manifests);
}

/** A berry lockfile read but not yet resolved: what it needs from the manifests is known by then. */
export interface BerryLockfile {
  source: string;
  lockfileVersion: string;
  cacheKey: string | undefined;
  /** Entries by resolution (locator). */
  entries: Map<string, BerryEntry>;
  /** Descriptor (or bound descriptor, see bindingKey) -> locator. */
  locatorOf: Map<string, string>;
  /** The folders of the workspaces, relative to the lockfile ('.' for the root). */
  workspaceFolders: string[];
}

/** The first half of parseYarnBerryLockfile: parse and index, so the caller can read the workspaces' manifests. */
export function readBerryLockfile(text: string, source: string): BerryLockfile {
  let data: unknown;
  try {
    data = parseSyml(text);
  } catch (error) {
    throw lockfileInvalid(source, `not a valid yarn lockfile (${firstLine(error)})`);
  }
  if (!isJsonObject(data)) throw lockfileInvalid(source, 'expected a mapping of descriptors');
  const metadata = data['__metadata'];
  if (!isJsonObject(metadata)) throw lockfileInvalid(source, '"__metadata" is missing');
  const lockfileVersion = String(metadata['version'] ?? '');
  const cacheKey = metadata['cacheKey'] === undefined ? undefined : String(metadata['cacheKey']);

  const locatorOf = new Map<string, string>();
  const entries = new Map<string, BerryEntry>();
  const workspaceFolders: string[] = [];
  for (const [key, entry] of Object.entries(data)) {
    if (key === '__metadata') continue;
    const where = `entry ${JSON.stringify(key.slice(0, 200))}`;
    if (!isJsonObject(entry)) throw lockfileInvalid(source, `${where} must be a mapping, got ${jsonType(entry)}`);
    const resolution = entry['resolution'];
    if (typeof resolution !== 'string') throw lockfileInvalid(source, `${where}.resolution must be a string, got ${jsonType(resolution)}`);
    for (const descriptor of key.split(', ')) locatorOf.set(bindingKey(descriptor), resolution);
    if (entries.has(resolution)) continue;
    const e: BerryEntry = { key, resolution, ...splitDescriptor(resolution, source, where), entry };
    entries.set(resolution, e);
    if (e.range.startsWith('workspace:')) workspaceFolders.push(e.range.slice('workspace:'.length));
  }
  return { source, lockfileVersion, cacheKey, entries, locatorOf, workspaceFolders };
}

/** The second half of parseYarnBerryLockfile: the graph, with the workspaces' manifests (by folder) telling dev from prod. */
export function resolveBerryLockfile(
  lock: BerryLockfile,
  manifests: ReadonlyMap<string, Record<string, unknown>>,
): { lockfileVersion: string; packages: ResolvedPackage[]; roots: string[] } {
  const { source, entries, locatorOf, cacheKey } = lock;
  const nodes = new Map<string, GraphNode>();
  // Originals before patches, so that a patched package keeps the checksum of what was downloaded.
  const ordered = [...entries.values()].sort((a, b) => Number(a.range.startsWith('patch:')) - Number(b.range.startsWith('patch:')));
  for (const e of ordered) if (!e.range.startsWith('workspace:')) nodes.set(e.resolution, toNode(e, cacheKey, source));

  const roots: GraphEdge[] = [];
  for (const e of entries.values()) {
    const edges = dependencyEdges(e, locatorOf, entries, source);
    if (!e.range.startsWith('workspace:')) {
      nodes.get(e.resolution)!.edges = edges.map(({ to, optional }) => ({ to, kind: optional ? 'optional' : 'prod' }));
      continue;
    }
    const scopes = manifestScopes(manifests.get(e.range.slice('workspace:'.length)));
    for (const { name, to, optional } of edges) roots.push({ to, kind: scopes?.get(name) ?? (optional ? 'optional' : 'prod') });
  }
  return { lockfileVersion: lock.lockfileVersion, ...packagesOfGraph({ nodes, roots }) };
}

/** A descriptor as looked up: a binding to the requesting locator moves into a separate part. */
function bindingKey(descriptor: string, requester?: string): string {
  if (requester !== undefined) return `${descriptor}\u0000${requester}`;
  const params = descriptor.lastIndexOf('::');
  if (params < 0) return descriptor;
  const search = new URLSearchParams(descriptor.slice(params + 2));
  const locator = search.get('locator');
  if (locator === null || [...search.keys()].length !== 1) return descriptor;
  return `${descriptor.slice(0, params)}\u0000${locator}`;
}

/** The resolved dependencies of an entry, skipping those that reach a workspace. */
function dependencyEdges(
  e: BerryEntry,
  locatorOf: Map<string, string>,
  entries: Map<string, BerryEntry>,
  source: string,
): Array<{ name: string; to: string; optional: boolean }> {
  const where = `entry ${JSON.stringify(e.key.slice(0, 200))}`;
  const deps = e.entry['dependencies'];
  if (deps === undefined) return [];
  if (!isJsonObject(deps)) throw lockfileInvalid(source, `${where}.dependencies must be a mapping, got ${jsonType(deps)}`);
  const meta = isJsonObject(e.entry['dependenciesMeta']) ? e.entry['dependenciesMeta'] : {};
  const out: Array<{ name: string; to: string; optional: boolean }> = [];
  for (const [name, range] of Object.entries(deps)) {
    if (typeof range !== 'string') throw lockfileInvalid(source, `${where}.dependencies[${JSON.stringify(name)}] must be a string`);
    const descriptor = `${name}@${range}`;
    // Yarn 2 and 3 wrote semver ranges without the default protocol their keys carry (`ms: 2.1.2`
    // for the key `ms@npm:2.1.2`); yarn 4 writes `npm:2.1.2` in both.
    const defaulted = PROTOCOL.test(range) ? undefined : `${name}@npm:${range}`;
    const to =
      locatorOf.get(descriptor) ??
      locatorOf.get(bindingKey(descriptor, e.resolution)) ??
      (defaulted === undefined ? undefined : locatorOf.get(defaulted));
    if (to === undefined) throw lockfileInvalid(source, `${where} depends on ${JSON.stringify(descriptor.slice(0, 200))}, which has no entry`);
    const target = entries.get(to);
    if (target === undefined || target.range.startsWith('workspace:')) continue;
    const flags = meta[name];
    out.push({ name, to, optional: isJsonObject(flags) && String(flags['optional']) === 'true' });
  }
  return out;
}

/** name -> scope from a workspace's manifest, strongest field winning; undefined without one. */
function manifestScopes(manifest: Record<string, unknown> | undefined): Map<string, DependencyScope> | undefined {
  if (manifest === undefined) return undefined;
  const scopes = new Map<string, DependencyScope>();
  for (const { name, scope } of declaredDependencies(manifest)) if (!scopes.has(name)) scopes.set(name, scope);
  return scopes;
}

function toNode(e: BerryEntry, cacheKey: string | undefined, source: string): GraphNode {
  const where = `entry ${JSON.stringify(e.key.slice(0, 200))}`;
  const rawVersion = e.entry['version'];
  if (rawVersion !== undefined && typeof rawVersion !== 'string') throw lockfileInvalid(source, `${where}.version must be a string`);
  // Yarn's placeholder for folders it links rather than fetches is no version at all.
  const version = rawVersion === undefined || rawVersion === '0.0.0-use.local' ? '' : rawVersion;
  const { sourceKind, downloadLocation } = origin(e.name, version, e.range);
  const node: GraphNode = {
    name: e.name,
    version,
    purl: npmPurl(e.name, version, e.resolution, source),
    digest: checksumDigest(e.entry['checksum'], cacheKey, source, where),
    sourceKind,
    edges: [],
  };
  if (downloadLocation !== undefined) node.downloadLocation = downloadLocation;
  return node;
}

/** `10c0/<128 hex>` (yarn 4) or `<128 hex>` with the cache key in `__metadata` (yarn 2 and 3). */
function checksumDigest(checksum: unknown, cacheKey: string | undefined, source: string, where: string): Record<string, string> {
  if (checksum === undefined) return {};
  const m = typeof checksum === 'string' ? /^(?:([0-9A-Za-z]+)\/)?([0-9a-fA-F]{128})$/.exec(checksum) : null;
  if (!m) throw lockfileInvalid(source, `${where}.checksum is not a yarn checksum (<cacheKey>/<sha512 hex>)`);
  const key = m[1] ?? cacheKey;
  if (key === undefined || !/^[0-9A-Za-z]+$/.test(key)) return {};
  return { [berryDigestKey(key)]: m[2]!.toLowerCase() };
}

// A range that names its protocol (`npm:`, `workspace:`, `file:`, `https:`, `patch:`…).
const PROTOCOL = /^[a-z][a-z0-9+.-]*:/i;

const GIT_RANGE = /^(?:git\+|git:|ssh:|github:|gitlab:|bitbucket:)|\.git(?:#|$)|#commit=/;

/** Where a locator's bytes came from, by its protocol. A `patch:` is where its original came from. */
function origin(name: string, version: string, range: string): { sourceKind: SourceKind; downloadLocation?: string } {
  if (range.startsWith('patch:')) {
    // `patch:<url-encoded original locator>#<patch>`: the original's protocol says where it came from.
    const hash = range.indexOf('#');
    const inner = safeDecode(range.slice('patch:'.length, hash > 0 ? hash : undefined));
    const at = inner.indexOf('@', 1);
    if (at > 0 && !inner.slice(at + 1).startsWith('patch:')) return origin(name, version, inner.slice(at + 1));
    return { sourceKind: 'registry' };
  }
  const plain = range.includes('::') ? range.slice(0, range.indexOf('::')) : range;
  if (plain.startsWith('npm:')) return version === '' ? { sourceKind: 'registry' } : { sourceKind: 'registry', downloadLocation: registryTarballUrl(name, version) };
  if (plain.startsWith('link:') || plain.startsWith('portal:')) return { sourceKind: 'link' };
  if (plain.startsWith('file:') || plain.startsWith('exec:')) {
    const hash = plain.indexOf('#');
    return { sourceKind: 'file', downloadLocation: hash > 0 ? plain.slice(0, hash) : plain };
  }
  if (GIT_RANGE.test(plain)) return { sourceKind: 'git', downloadLocation: plain };
  return { sourceKind: 'remote-tarball', downloadLocation: plain };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]!.slice(0, 200);
}
