import type { DependencyScope, ResolvedPackage, SourceKind } from './model.ts';
import { isJsonObject, jsonType, lockfileInvalid } from './lockfile-json.ts';
import { parsePythonHash } from './python-digest.ts';
import { normalizePythonName, pypiPurl, sortPythonPackages } from './python-names.ts';
import { readTomlLockfile } from './python-toml.ts';

const GIT_COMMIT = /^[0-9a-f]{40}$/;

/** A `{ name, version?, extra? }` dependency entry. */
interface UvDep {
  name: string;
  version: string | undefined;
  extras: string[];
}

interface UvEntry {
  name: string;
  version: string;
  source: Record<string, unknown>;
  /** The project or a workspace member (editable / virtual source, or listed in `[manifest] members`). */
  member: boolean;
  deps: UvDep[];
  optional: Map<string, UvDep[]>;
  dev: UvDep[];
  sdist: Record<string, unknown> | undefined;
  wheels: Record<string, unknown>[];
}

/**
 * Parses uv.lock. The project and its workspace members are not dependencies: entries with an
 * `editable` or `virtual` source, or named in `[manifest] members`. The lockfile records their
 * own dependencies, optional dependencies (extras) and dev groups, so `direct` and scope need no
 * manifest: what the members' `dependencies` reach is `prod`, what only their extras reach
 * `optional`, what only dev groups reach `dev`. A dependency entry's `extra = […]` pulls in the
 * target's optional dependencies for those extras, and those count as edges too.
 */
export function parseUvLockfile(text: string, source: string): { lockfileVersion: number | undefined; packages: ResolvedPackage[]; roots: string[] } {
  const data = readTomlLockfile(text, source);
  const version = data['version'];
  const manifest = data['manifest'];
  const memberNames = new Set<string>(
    isJsonObject(manifest) && Array.isArray(manifest['members']) ? manifest['members'].filter((m) => typeof m === 'string').map(normalizePythonName) : [],
  );
  const entries = readEntries(data, memberNames, source);
  const byName = new Map<string, UvEntry[]>();
  for (const e of entries) {
    const list = byName.get(e.name);
    if (list) list.push(e);
    else byName.set(e.name, [e]);
  }
  const resolve = (dep: UvDep, from: UvEntry): UvEntry[] => {
    const found = (byName.get(dep.name) ?? []).filter((e) => dep.version === undefined || e.version === dep.version);
    if (found.length === 0) throw lockfileInvalid(source, `${from.name}: dependency ${dep.name} is not in the lockfile`);
    return found;
  };

  // Extras any entry asks of a package: those optional dependencies are edges of the package.
  const requested = new Map<UvEntry, Set<string>>();
  const allDeps = (e: UvEntry) => [...e.deps, ...[...e.optional.values()].flat(), ...e.dev];
  for (const e of entries) {
    for (const dep of allDeps(e)) {
      for (const target of resolve(dep, e)) {
        for (const x of dep.extras) requested.set(target, (requested.get(target) ?? new Set()).add(x));
      }
    }
  }
  const edgesOf = (e: UvEntry): UvDep[] => [...e.deps, ...[...(requested.get(e) ?? [])].flatMap((x) => e.optional.get(x) ?? [])];

  const members = entries.filter((e) => e.member);
  const scope = new Map<UvEntry, DependencyScope>();
  const starts: [DependencyScope, [UvDep, UvEntry][]][] = [
    ['prod', members.flatMap((m) => m.deps.map((d): [UvDep, UvEntry] => [d, m]))],
    ['optional', members.flatMap((m) => [...m.optional.values()].flat().map((d): [UvDep, UvEntry] => [d, m]))],
    ['dev', members.flatMap((m) => m.dev.map((d): [UvDep, UvEntry] => [d, m]))],
  ];
  const direct = new Set<UvEntry>();
  for (const [label, deps] of starts) {
    const queue: UvEntry[] = [];
    for (const [dep, from] of deps) {
      for (const target of resolve(dep, from)) {
        direct.add(target);
        if (!scope.has(target)) {
          scope.set(target, label);
          queue.push(target);
        }
      }
    }
    for (let i = 0; i < queue.length; i++) {
      const at = queue[i]!;
      for (const dep of edgesOf(at)) {
        for (const next of resolve(dep, at)) {
          if (!scope.has(next)) {
            scope.set(next, label);
            queue.push(next);
          }
        }
      }
    }
  }

  const purls = new Map(entries.map((e) => [e, pypiPurl(e.name, e.version, source)]));
  const packages = entries
    .filter((e) => !e.member)
    .map(
      (e): ResolvedPackage => ({
        ecosystem: 'pypi',
        name: e.name,
        version: e.version,
        purl: purls.get(e)!,
        ...sourceFacts(e, source),
        // Nothing reaches it when the lockfile has no members (a bare `uv lock --script`-style file).
        scope: scope.get(e) ?? 'prod',
        direct: direct.has(e),
        dependencies: edgesOf(e).flatMap((d) => resolve(d, e).filter((t) => !t.member).map((t) => purls.get(t)!)),
      }),
    );
  const roots = [...new Set(packages.filter((p) => p.direct).map((p) => p.purl))].sort();
  return { lockfileVersion: typeof version === 'number' ? version : undefined, packages: sortPythonPackages(packages), roots };
}

function readEntries(data: Record<string, unknown>, memberNames: Set<string>, source: string): UvEntry[] {
  const list = data['package'] ?? [];
  if (!Array.isArray(list)) throw lockfileInvalid(source, `package must be an array of tables, got ${jsonType(list)}`);
  return list.map((raw, i): UvEntry => {
    const where = `package[${i}]`;
    if (!isJsonObject(raw)) throw lockfileInvalid(source, `${where} must be a table, got ${jsonType(raw)}`);
    const name = raw['name'];
    if (typeof name !== 'string' || name === '') throw lockfileInvalid(source, `${where}.name must be a non-empty string`);
    const version = raw['version'] ?? '';
    if (typeof version !== 'string') throw lockfileInvalid(source, `${where}.version must be a string`);
    const src = raw['source'];
    if (!isJsonObject(src)) throw lockfileInvalid(source, `${where}.source must be a table, got ${jsonType(src)}`);
    const normalized = normalizePythonName(name);
    const sdist = raw['sdist'];
    if (sdist !== undefined && !isJsonObject(sdist)) throw lockfileInvalid(source, `${where}.sdist must be a table`);
    const wheels = raw['wheels'] ?? [];
    if (!Array.isArray(wheels) || !wheels.every(isJsonObject)) throw lockfileInvalid(source, `${where}.wheels must be an array of tables`);
    return {
      name: normalized,
      version,
      source: src,
      member: 'editable' in src || 'virtual' in src || memberNames.has(normalized),
      deps: readDeps(raw['dependencies'], source, `${where}.dependencies`),
      optional: readGroups(raw['optional-dependencies'], source, `${where}.optional-dependencies`),
      dev: [...readGroups(raw['dev-dependencies'], source, `${where}.dev-dependencies`).values()].flat(),
      sdist,
      wheels,
    };
  });
}

function readDeps(value: unknown, source: string, where: string): UvDep[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw lockfileInvalid(source, `${where} must be an array`);
  return value.map((d, j) => {
    if (!isJsonObject(d) || typeof d['name'] !== 'string') throw lockfileInvalid(source, `${where}[${j}] must have a string name`);
    const extras = d['extra'] ?? [];
    if (!Array.isArray(extras) || extras.some((x) => typeof x !== 'string')) throw lockfileInvalid(source, `${where}[${j}].extra must be an array of strings`);
    return { name: normalizePythonName(d['name']), version: typeof d['version'] === 'string' ? d['version'] : undefined, extras: extras as string[] };
  });
}

function readGroups(value: unknown, source: string, where: string): Map<string, UvDep[]> {
  if (value === undefined) return new Map();
  if (!isJsonObject(value)) throw lockfileInvalid(source, `${where} must be a table`);
  return new Map(Object.entries(value).map(([group, deps]) => [group, readDeps(deps, source, `${where}.${group}`)]));
}

function sourceFacts(e: UvEntry, source: string): { digest: Record<string, string>; downloadLocation?: string; sourceKind: SourceKind } {
  const src = e.source;
  if (typeof src['git'] === 'string') {
    // `https://github.com/o/r?rev=…#<commit>`: the fragment is the commit uv resolved.
    const commit = src['git'].slice(src['git'].lastIndexOf('#') + 1);
    return { digest: GIT_COMMIT.test(commit) ? { gitCommit: commit } : {}, downloadLocation: `git+${src['git']}`, sourceKind: 'git' };
  }
  // The sdist stands for the release on every platform; a lone wheel is unambiguous too. Several
  // wheels and no sdist: which one is installed depends on the machine, so no digest.
  const sdistHash = typeof e.sdist?.['hash'] === 'string' ? parsePythonHash(e.sdist['hash']) : undefined;
  const lone = e.wheels.length === 1 ? e.wheels[0] : undefined;
  const loneHash = e.sdist === undefined && typeof lone?.['hash'] === 'string' ? parsePythonHash(lone['hash']) : undefined;
  const chosen = sdistHash ?? loneHash;
  const digest = chosen === undefined ? {} : { [chosen.algorithm]: chosen.hex };
  const fileUrl = e.sdist !== undefined ? e.sdist['url'] : lone?.['url'];
  const downloadLocation = typeof fileUrl === 'string' ? fileUrl : undefined;
  let sourceKind: SourceKind;
  if (typeof src['registry'] === 'string') sourceKind = 'registry';
  else if (typeof src['url'] === 'string') sourceKind = 'remote-tarball';
  else if (typeof src['path'] === 'string' || typeof src['directory'] === 'string') sourceKind = 'file';
  else throw lockfileInvalid(source, `${e.name} ${e.version}: unknown source ${JSON.stringify(Object.keys(src))}`);
  const location = downloadLocation ?? (sourceKind === 'remote-tarball' ? (src['url'] as string) : undefined);
  return { digest, ...(location === undefined ? {} : { downloadLocation: location }), sourceKind };
}
