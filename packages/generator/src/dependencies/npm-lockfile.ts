import type { LockTree, ResolvedPackage } from './npm-lockfile-model.ts';
import { jsonType, lockfileInvalid, parseJsonLockfile } from './lockfile-json.ts';
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
 * Each package's `dependencies` are the purls its requires resolve to from where it is installed
 * (Node's resolution, as Arborist's edges); `roots` are the purls of the direct dependencies.
 *
 * @throws ProvenantError LOCKFILE_INVALID, with `<source>: <what is wrong>`, for anything that
 * is not a well-formed lockfile.
 */
export function parseNpmLockfile(
  text: string,
  source = 'package-lock.json',
  options: { rootManifest?: unknown } = {},
): { lockfileVersion: number; packages: ResolvedPackage[]; roots: string[] } {
  const data = parseJsonLockfile(text, source);
  const lockfileVersion = data['lockfileVersion'];
  let tree: LockTree;
  if (lockfileVersion === 1) tree = readDependenciesTree(data, source, options.rootManifest);
  else if (lockfileVersion === 2 || lockfileVersion === 3) tree = readPackagesSection(data, source);
  else {
    const shown = typeof lockfileVersion === 'number' ? String(lockfileVersion) : jsonType(lockfileVersion);
    throw lockfileInvalid(source, `unsupported lockfileVersion ${shown} (expected 1, 2 or 3)`);
  }
  return { lockfileVersion, ...resolvePackages(tree, source) };
}

export { toResourceDescriptor } from './resource-descriptor.ts';

