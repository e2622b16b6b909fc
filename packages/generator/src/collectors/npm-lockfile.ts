import { relative, resolve, sep } from 'node:path';
import { ProvenantError, type ResourceDescriptor } from '@provenant/core';
import type { Collector, CollectorContext } from '../context.ts';
import { type DependencyFacts, type LockTree, type ResolvedPackage, isJsonObject, jsonType, lockfileInvalid } from './npm-lockfile-model.ts';
import { readPackagesSection } from './npm-lockfile-packages.ts';
import { resolvePackages } from './npm-lockfile-resolve.ts';
import { readDependenciesTree } from './npm-lockfile-v1.ts';

export type { DependencyFacts, DependencyScope, ResolvedPackage, SourceKind } from './npm-lockfile-model.ts';

/** Lockfiles npm reads, in its order of preference: a shrinkwrap wins over package-lock.json. */
export const NPM_LOCKFILE_NAMES = ['npm-shrinkwrap.json', 'package-lock.json'] as const;

/** Lockfiles are large but not this large; the cap keeps a stray file from exhausting memory. */
export const MAX_LOCKFILE_BYTES = 256 * 1024 * 1024;

/**
 * Parses an npm lockfile (package-lock.json or npm-shrinkwrap.json, lockfileVersion 1, 2 or 3,
 * workspaces included) into its resolved packages. Pure: no I/O. `source` names the file in
 * error messages. lockfileVersion 1 does not list the root's own dependencies, so pass the
 * package.json beside it as `rootManifest` to know which packages are direct.
 *
 * Aliases (`"my-ms": "npm:ms@2.1.2"`) are recorded under the real package (`ms@2.1.2`): that is
 * what was downloaded and what the purl must name; the alias is only a folder name.
 *
 * @throws ProvenantError LOCKFILE_INVALID, with `<source>: <what is wrong>`, for anything that
 * is not a well-formed lockfile.
 */
export function parseNpmLockfile(
  text: string,
  source = 'package-lock.json',
  options: { rootManifest?: unknown } = {},
): { lockfileVersion: number; packages: ResolvedPackage[] } {
  let data: unknown;
  try {
    // npm tolerates a byte-order mark; JSON.parse does not.
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw lockfileInvalid(source, `not valid JSON (${(error as Error).message})`);
  }
  if (!isJsonObject(data)) throw lockfileInvalid(source, `expected a JSON object, got ${jsonType(data)}`);
  const lockfileVersion = data['lockfileVersion'];
  let tree: LockTree;
  if (lockfileVersion === 1) tree = readDependenciesTree(data, source, options.rootManifest);
  else if (lockfileVersion === 2 || lockfileVersion === 3) tree = readPackagesSection(data, source);
  else {
    const shown = typeof lockfileVersion === 'number' ? String(lockfileVersion) : jsonType(lockfileVersion);
    throw lockfileInvalid(source, `unsupported lockfileVersion ${shown} (expected 1, 2 or 3)`);
  }
  return { lockfileVersion, packages: resolvePackages(tree, source) };
}

/**
 * A ResolvedPackage as an in-toto ResourceDescriptor for SLSA `resolvedDependencies`. Keys come
 * in a fixed order (uri, digest, name, downloadLocation, annotations; digest algorithms sorted)
 * so that serialised provenance is byte-stable; an empty digest and a missing downloadLocation
 * are left out rather than written empty.
 */
export function toResourceDescriptor(pkg: ResolvedPackage): ResourceDescriptor {
  const descriptor: ResourceDescriptor = { uri: pkg.purl };
  const algorithms = Object.keys(pkg.digest).sort();
  if (algorithms.length > 0) descriptor.digest = Object.fromEntries(algorithms.map((alg) => [alg, pkg.digest[alg]!]));
  descriptor.name = pkg.name;
  if (pkg.downloadLocation !== undefined) descriptor.downloadLocation = pkg.downloadLocation;
  descriptor.annotations = { ecosystem: pkg.ecosystem, scope: pkg.scope, direct: pkg.direct, sourceKind: pkg.sourceKind };
  return descriptor;
}

/**
 * Collects the resolved dependencies of npm lockfiles. With `lockfiles` (paths relative to
 * ctx.cwd) it reads exactly those, and one that cannot be read is FILE_UNREADABLE rather than
 * skipped; otherwise it reads the one npm itself would use in ctx.cwd: npm-shrinkwrap.json if
 * present, else package-lock.json, and detects nothing when neither exists.
 */
export function npmLockfileCollector(options: { lockfiles?: string[] } = {}): Collector<DependencyFacts[]> {
  return {
    name: 'npm-lockfile',
    async detect(ctx) {
      return (await lockfilesToRead(ctx, options.lockfiles)).length > 0;
    },
    async collect(ctx) {
      const facts: DependencyFacts[] = [];
      for (const path of await lockfilesToRead(ctx, options.lockfiles)) facts.push(await collectOne(ctx, path));
      return facts;
    },
  };
}

async function lockfilesToRead(ctx: CollectorContext, explicit: string[] | undefined): Promise<string[]> {
  if (explicit !== undefined) return explicit.map((p) => resolve(ctx.cwd, p));
  for (const name of NPM_LOCKFILE_NAMES) {
    const path = resolve(ctx.cwd, name);
    if (await isFile(ctx, path)) return [path];
  }
  return [];
}

async function collectOne(ctx: CollectorContext, path: string): Promise<DependencyFacts> {
  const lockfile = relative(ctx.cwd, path).split(sep).join('/');
  const text = await readText(ctx, path, lockfile);
  // Only lockfileVersion 1 needs the manifest; a missing or broken one just means "direct unknown".
  const manifestPath = resolve(path, '..', 'package.json');
  let rootManifest: unknown;
  if (await isFile(ctx, manifestPath)) {
    try {
      rootManifest = JSON.parse(await readText(ctx, manifestPath, manifestPath));
    } catch {
      rootManifest = undefined;
    }
  }
  const parsed = parseNpmLockfile(text, lockfile, { rootManifest });
  return { lockfile, ecosystem: 'npm', lockfileVersion: parsed.lockfileVersion, packages: parsed.packages };
}

async function readText(ctx: CollectorContext, path: string, shown: string): Promise<string> {
  let size: number;
  try {
    size = (await ctx.fs.stat(path)).size;
  } catch (error) {
    throw new ProvenantError('FILE_UNREADABLE', `${shown}: cannot read (${(error as Error).message})`, { cause: error });
  }
  if (size > MAX_LOCKFILE_BYTES) throw new ProvenantError('FILE_TOO_LARGE', `${shown}: ${size} bytes is over the ${MAX_LOCKFILE_BYTES}-byte limit`);
  try {
    return (await ctx.fs.readFile(path)).toString('utf8');
  } catch (error) {
    throw new ProvenantError('FILE_UNREADABLE', `${shown}: cannot read (${(error as Error).message})`, { cause: error });
  }
}

async function isFile(ctx: CollectorContext, path: string): Promise<boolean> {
  try {
    return (await ctx.fs.stat(path)).isFile();
  } catch {
    return false;
  }
}
