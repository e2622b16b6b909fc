import type { DependencyScope, ResolvedPackage, SourceKind } from './model.ts';
import { isJsonObject, jsonType, lockfileInvalid } from './lockfile-json.ts';
import { type PythonDistribution, pickDistributionDigest } from './python-digest.ts';
import { normalizePythonName, pypiPurl, sortPythonPackages } from './python-names.ts';
import type { PyprojectDependencies } from './python-pyproject.ts';
import { readTomlLockfile } from './python-toml.ts';

const GIT_COMMIT = /^[0-9a-f]{40}$/;

interface PoetryEntry {
  name: string;
  version: string;
  /** Scope the lockfile itself records: `groups` (lock 2.1) or `category` (lock 1.x). */
  recorded: DependencyScope | undefined;
  optional: boolean;
  dependsOn: string[];
  files: PythonDistribution[];
  source: Record<string, unknown> | undefined;
}

/**
 * Parses poetry.lock (lock-version 1.x with `[metadata.files]`, 2.x with per-package `files`).
 * Every `[[package]]` is a dependency (the project itself is never in it). Scope comes from the
 * lockfile when it records one — `groups` (2.1: dev unless `main` is among them) or `category`
 * (1.x) — and otherwise from the graph: what the pyproject's main dependencies reach is `prod`,
 * what only extras reach `optional`, the rest `dev`. `optional = true` (needed only for an extra)
 * turns `prod` into `optional`. Edges are `[package.dependencies]` names present in the lockfile;
 * a name locked at several versions (per-marker resolutions) links to each of them.
 */
export function parsePoetryLockfile(
  text: string,
  source: string,
  manifest: PyprojectDependencies | undefined,
): { lockfileVersion: string | undefined; packages: ResolvedPackage[]; roots: string[] } {
  const data = readTomlLockfile(text, source);
  const metadata = isJsonObject(data['metadata']) ? data['metadata'] : {};
  const lockVersion = typeof metadata['lock-version'] === 'string' ? metadata['lock-version'] : undefined;
  const legacyFiles = isJsonObject(metadata['files']) ? metadata['files'] : {};
  const entries = readEntries(data, legacyFiles, source);

  const byName = new Map<string, PoetryEntry[]>();
  for (const e of entries) {
    const list = byName.get(e.name);
    if (list) list.push(e);
    else byName.set(e.name, [e]);
  }
  const purls = new Map<PoetryEntry, string>(entries.map((e) => [e, pypiPurl(e.name, e.version, source)]));
  const edges = new Map<PoetryEntry, PoetryEntry[]>(entries.map((e) => [e, e.dependsOn.flatMap((n) => byName.get(n) ?? [])]));
  const walked = manifest === undefined ? undefined : scopeByReachability(manifest, byName, edges);
  const direct = new Set([...(manifest?.main ?? []), ...(manifest?.optional ?? []), ...(manifest?.dev ?? [])]);

  const packages = entries.map((e): ResolvedPackage => {
    let scope: DependencyScope = e.recorded ?? walked?.get(e) ?? (manifest === undefined ? 'prod' : 'dev');
    if (scope === 'prod' && e.optional) scope = 'optional';
    return {
      ecosystem: 'pypi',
      name: e.name,
      version: e.version,
      purl: purls.get(e)!,
      ...sourceFacts(e, source),
      scope,
      direct: direct.has(e.name),
      dependencies: (edges.get(e) ?? []).map((d) => purls.get(d)!),
    };
  });
  const roots = [...new Set(packages.filter((p) => p.direct).map((p) => p.purl))].sort();
  return { lockfileVersion: lockVersion, packages: sortPythonPackages(packages), roots };
}

function readEntries(data: Record<string, unknown>, legacyFiles: Record<string, unknown>, source: string): PoetryEntry[] {
  const list = data['package'] ?? [];
  if (!Array.isArray(list)) throw lockfileInvalid(source, `package must be an array of tables, got ${jsonType(list)}`);
  // Lock 1.x keys [metadata.files] by the name as written; match it normalised.
  const legacy = new Map(Object.entries(legacyFiles).map(([k, v]) => [normalizePythonName(k), v]));
  return list.map((raw, i): PoetryEntry => {
    const where = `package[${i}]`;
    if (!isJsonObject(raw)) throw lockfileInvalid(source, `${where} must be a table, got ${jsonType(raw)}`);
    const name = raw['name'];
    const version = raw['version'];
    if (typeof name !== 'string' || name === '') throw lockfileInvalid(source, `${where}.name must be a non-empty string`);
    if (typeof version !== 'string') throw lockfileInvalid(source, `${where}.version must be a string, got ${jsonType(version)}`);
    const normalized = normalizePythonName(name);
    const deps = raw['dependencies'] ?? {};
    if (!isJsonObject(deps)) throw lockfileInvalid(source, `${where}.dependencies must be a table`);
    const src = raw['source'];
    if (src !== undefined && !isJsonObject(src)) throw lockfileInvalid(source, `${where}.source must be a table`);
    return {
      name: normalized,
      version,
      recorded: recordedScope(raw, source, where),
      optional: raw['optional'] === true,
      dependsOn: Object.keys(deps).map(normalizePythonName),
      files: readFiles(raw['files'] ?? legacy.get(normalized) ?? [], source, where),
      source: src,
    };
  });
}

function recordedScope(raw: Record<string, unknown>, source: string, where: string): DependencyScope | undefined {
  const groups = raw['groups'];
  if (groups !== undefined) {
    if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string')) throw lockfileInvalid(source, `${where}.groups must be an array of strings`);
    return groups.includes('main') ? 'prod' : 'dev';
  }
  const category = raw['category'];
  if (category === undefined) return undefined;
  if (typeof category !== 'string') throw lockfileInvalid(source, `${where}.category must be a string`);
  return category === 'dev' ? 'dev' : 'prod';
}

function readFiles(files: unknown, source: string, where: string): PythonDistribution[] {
  if (!Array.isArray(files)) throw lockfileInvalid(source, `${where}.files must be an array`);
  return files.map((f, j) => {
    if (!isJsonObject(f) || typeof f['hash'] !== 'string') throw lockfileInvalid(source, `${where}.files[${j}] must have a string hash`);
    return { file: typeof f['file'] === 'string' ? f['file'] : undefined, hash: f['hash'] };
  });
}

/** Strongest scope by which the manifest's declarations reach each entry (prod, then optional, then dev). */
function scopeByReachability(
  manifest: PyprojectDependencies,
  byName: Map<string, PoetryEntry[]>,
  edges: Map<PoetryEntry, PoetryEntry[]>,
): Map<PoetryEntry, DependencyScope> {
  const scope = new Map<PoetryEntry, DependencyScope>();
  const passes: [DependencyScope, Set<string>][] = [['prod', manifest.main], ['optional', manifest.optional], ['dev', manifest.dev]];
  for (const [label, names] of passes) {
    const queue = [...names].flatMap((n) => byName.get(n) ?? []).filter((e) => !scope.has(e));
    for (const e of queue) scope.set(e, label);
    for (let i = 0; i < queue.length; i++) {
      for (const next of edges.get(queue[i]!) ?? []) {
        if (!scope.has(next)) {
          scope.set(next, label);
          queue.push(next);
        }
      }
    }
  }
  return scope;
}

function sourceFacts(e: PoetryEntry, source: string): { digest: Record<string, string>; downloadLocation?: string; sourceKind: SourceKind } {
  const type = e.source?.['type'];
  const url = typeof e.source?.['url'] === 'string' ? e.source['url'] : undefined;
  switch (type) {
    case undefined:
    case 'legacy': // a private package index
      return { digest: pickDistributionDigest(e.files), sourceKind: 'registry' };
    case 'git': {
      const commit = e.source?.['resolved_reference'];
      const facts: { digest: Record<string, string>; downloadLocation?: string; sourceKind: SourceKind } = {
        digest: typeof commit === 'string' && GIT_COMMIT.test(commit) ? { gitCommit: commit } : {},
        sourceKind: 'git',
      };
      if (url !== undefined) facts.downloadLocation = `git+${url}${typeof commit === 'string' ? `@${commit}` : ''}`;
      return facts;
    }
    case 'url':
      return { digest: pickDistributionDigest(e.files), sourceKind: 'remote-tarball', ...(url === undefined ? {} : { downloadLocation: url }) };
    case 'file':
    case 'directory':
      return { digest: pickDistributionDigest(e.files), sourceKind: 'file' };
    default:
      throw lockfileInvalid(source, `${e.name} ${e.version}: unknown source type ${JSON.stringify(type)}`);
  }
}
