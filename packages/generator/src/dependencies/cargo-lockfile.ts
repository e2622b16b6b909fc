import { PackageURL } from 'packageurl-js';
import { parse as parseToml } from 'smol-toml';
import type { DependencyScope, ResolvedPackage, SourceKind } from './model.ts';
import { isJsonObject, jsonType, lockfileInvalid } from './lockfile-json.ts';

/** The index URLs cargo writes for crates.io (git index before 1.70, sparse index after). */
const CRATES_IO_SOURCES = new Set(['registry+https://github.com/rust-lang/crates.io-index', 'sparse+https://index.crates.io/']);
const SHA256_HEX = /^[0-9a-f]{64}$/;
const GIT_COMMIT = /^[0-9a-f]{40}$/;

/** One `[[package]]` entry as Cargo.lock writes it. */
interface CargoEntry {
  name: string;
  version: string;
  /** Absent for workspace members and path crates: those are the project, not dependencies. */
  source: string | undefined;
  checksum: string | undefined;
  /** `name`, `name version` or `name version (source)`, as cargo shortens them. */
  dependencies: string[];
}

/** What Cargo.toml beside the lockfile says about the root package (see cargoManifestHints). */
export interface CargoManifestHints {
  /** The root package's name; undefined for a virtual (workspace-only) manifest. */
  packageName: string | undefined;
  /** Crate names the root package lists only under dev-dependencies (renames resolved). */
  devOnly: ReadonlySet<string>;
}

/**
 * Parses a Cargo.lock (v1–v4). Every `[[package]]` with a `source` is a dependency; entries
 * without one are workspace members or path crates (the lockfile cannot tell them apart) and are
 * not. Their dependencies are the direct ones and the graph roots.
 *
 * Cargo.lock does not record dependency kinds. With `hints` from the root Cargo.toml, a crate is
 * `dev` when it is reached only through the root package's dev-dependencies; everything else is
 * `prod` (other members' dev-dependencies are not told apart: their manifests are not read).
 */
export function parseCargoLockfile(
  text: string,
  source: string,
  hints?: CargoManifestHints,
): { lockfileVersion: number | undefined; packages: ResolvedPackage[]; roots: string[] } {
  const data = readToml(text, source);
  const version = data['version'];
  if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version))) {
    throw lockfileInvalid(source, `version must be an integer, got ${jsonType(version)}`);
  }
  const entries = readEntries(data, source);
  const v1Checksums = readV1Checksums(data, source);
  const resolve = resolver(entries, source);

  const purls = new Map<CargoEntry, string>();
  for (const entry of entries) if (entry.source !== undefined) purls.set(entry, cargoPurl(entry, source));

  // Edges, as entries; members' edges decide `direct` and the roots.
  const edges = new Map<CargoEntry, CargoEntry[]>();
  for (const entry of entries) edges.set(entry, entry.dependencies.map((spec) => resolve(spec, entry)));
  const members = entries.filter((e) => e.source === undefined);
  const prodStarts: CargoEntry[] = [];
  const devStarts: CargoEntry[] = [];
  for (const member of members) {
    const isRoot = hints?.packageName !== undefined && member.name === hints.packageName;
    for (const dep of edges.get(member) ?? []) {
      (isRoot && hints.devOnly.has(dep.name) ? devStarts : prodStarts).push(dep);
    }
  }
  const prod = reachable(prodStarts, edges);
  const direct = new Set([...prodStarts, ...devStarts]);

  const packages: ResolvedPackage[] = [];
  for (const entry of entries) {
    const purl = purls.get(entry);
    if (purl === undefined) continue;
    const deps = (edges.get(entry) ?? []).flatMap((dep) => purls.get(dep) ?? []);
    const checksum = entry.checksum ?? v1Checksums.get(`${entry.name} ${entry.version} (${entry.source})`);
    packages.push({
      ecosystem: 'cargo',
      name: entry.name,
      version: entry.version,
      purl,
      ...sourceFacts(entry, checksum, source),
      scope: (hints === undefined || prod.has(entry) ? 'prod' : 'dev') satisfies DependencyScope,
      direct: direct.has(entry),
      dependencies: [...new Set(deps)].sort(),
    });
  }
  packages.sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  const roots = [...new Set([...direct].flatMap((e) => purls.get(e) ?? []))].sort();
  return { lockfileVersion: version, packages, roots };
}

function readToml(text: string, source: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw lockfileInvalid(source, `not valid TOML (${(error as Error).message.split('\n')[0]})`);
  }
}

function readEntries(data: Record<string, unknown>, source: string): CargoEntry[] {
  const list = data['package'] ?? [];
  if (!Array.isArray(list)) throw lockfileInvalid(source, `package must be an array of tables, got ${jsonType(list)}`);
  // Cargo before 1.0 wrote the root package apart, as `[root]`.
  const all: unknown[] = data['root'] === undefined ? list : [data['root'], ...list];
  return all.map((raw, i) => {
    const where = data['root'] === undefined ? `package[${i}]` : i === 0 ? 'root' : `package[${i - 1}]`;
    if (!isJsonObject(raw)) throw lockfileInvalid(source, `${where} must be a table, got ${jsonType(raw)}`);
    const name = requiredString(raw, 'name', source, where);
    const version = requiredString(raw, 'version', source, where);
    const deps = raw['dependencies'] ?? [];
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) {
      throw lockfileInvalid(source, `${where}.dependencies must be an array of strings`);
    }
    return {
      name,
      version,
      source: optionalString(raw, 'source', source, where),
      checksum: optionalString(raw, 'checksum', source, where),
      dependencies: deps as string[],
    };
  });
}

/** Lockfile v1 kept checksums apart, in `[metadata]` as `"checksum <name> <version> (<source>)" = "<hex>"`. */
function readV1Checksums(data: Record<string, unknown>, source: string): Map<string, string> {
  const out = new Map<string, string>();
  const metadata = data['metadata'];
  if (metadata === undefined) return out;
  if (!isJsonObject(metadata)) throw lockfileInvalid(source, `metadata must be a table, got ${jsonType(metadata)}`);
  for (const [key, value] of Object.entries(metadata)) {
    if (key.startsWith('checksum ') && typeof value === 'string') out.set(key.slice('checksum '.length), value);
  }
  return out;
}

/**
 * Resolves a dependency string the way cargo shortens it: the bare name when only one package has
 * that name, `name version` when several do, `name version (source)` when that is still ambiguous.
 */
function resolver(entries: CargoEntry[], source: string): (spec: string, from: CargoEntry) => CargoEntry {
  // Keyed by every form cargo writes, so that resolving stays linear however hostile the file.
  const index = new Map<string, CargoEntry[]>();
  const add = (key: string, entry: CargoEntry) => {
    const list = index.get(key);
    if (list) list.push(entry);
    else index.set(key, [entry]);
  };
  for (const entry of entries) {
    add(entry.name, entry);
    add(`${entry.name} ${entry.version}`, entry);
    add(`${entry.name} ${entry.version} (${entry.source ?? ''})`, entry);
  }
  return (spec, from) => {
    const found = index.get(spec) ?? [];
    if (found.length !== 1) {
      const what = found.length === 0 ? 'is not in the lockfile' : 'is ambiguous';
      throw lockfileInvalid(source, `dependency ${JSON.stringify(spec.slice(0, 200))} of ${from.name} ${from.version} ${what}`);
    }
    return found[0]!;
  };
}

function reachable(starts: CargoEntry[], edges: Map<CargoEntry, CargoEntry[]>): Set<CargoEntry> {
  const seen = new Set<CargoEntry>(starts);
  const queue = [...starts];
  for (let i = 0; i < queue.length; i++) {
    for (const next of edges.get(queue[i]!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** Digest, download location and source kind from an entry's `source` and checksum. */
function sourceFacts(
  entry: CargoEntry,
  checksum: string | undefined,
  source: string,
): { digest: Record<string, string>; downloadLocation?: string; sourceKind: SourceKind } {
  const src = entry.source ?? '';
  if (src.startsWith('git+')) {
    // `git+<url>?<branch|tag|rev>=…#<commit>`: the fragment is the commit cargo checked out.
    const commit = src.slice(src.lastIndexOf('#') + 1);
    return { digest: GIT_COMMIT.test(commit) ? { gitCommit: commit } : {}, downloadLocation: src, sourceKind: 'git' };
  }
  if (src.startsWith('registry+') || src.startsWith('sparse+')) {
    // Debian's vendored crates carry a placeholder ("Could not get crate checksum") that cargo
    // copies into the lockfile; anything that is not a SHA-256 is not recorded as one.
    const digest: Record<string, string> = checksum !== undefined && SHA256_HEX.test(checksum) ? { sha256: checksum } : {};
    if (!CRATES_IO_SOURCES.has(src)) return { digest, sourceKind: 'registry' };
    return {
      digest,
      downloadLocation: `https://crates.io/api/v1/crates/${encodeURIComponent(entry.name)}/${encodeURIComponent(entry.version)}/download`,
      sourceKind: 'registry',
    };
  }
  throw lockfileInvalid(source, `${entry.name} ${entry.version}: unknown source ${JSON.stringify(src)}`);
}

/**
 * `pkg:cargo/name@version`; crates from another registry carry `repository_url`, git crates
 * `vcs_url`, so that they never share a purl with the crates.io crate of the same name@version.
 */
function cargoPurl(entry: CargoEntry, source: string): string {
  const src = entry.source ?? '';
  let qualifiers: Record<string, string> | undefined;
  if (src.startsWith('git+')) qualifiers = { vcs_url: src };
  else if (!CRATES_IO_SOURCES.has(src)) qualifiers = { repository_url: src.replace(/^(registry|sparse)\+/, '') };
  try {
    return new PackageURL('cargo', undefined, entry.name, entry.version, qualifiers).toString();
  } catch (error) {
    throw lockfileInvalid(source, `cannot make a package URL for ${entry.name} ${entry.version}: ${(error as Error).message}`);
  }
}

function requiredString(raw: Record<string, unknown>, key: string, source: string, where: string): string {
  const value = raw[key];
  if (typeof value !== 'string' || value === '') throw lockfileInvalid(source, `${where}.${key} must be a non-empty string, got ${jsonType(value)}`);
  return value;
}

function optionalString(raw: Record<string, unknown>, key: string, source: string, where: string): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw lockfileInvalid(source, `${where}.${key} must be a string, got ${jsonType(value)}`);
  return value;
}
