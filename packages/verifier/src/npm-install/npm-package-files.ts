import { join } from 'node:path';

/** npm package names as the registry accepts them (scoped or not, legacy capitals included): safe as path segments. */
const NPM_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;
/** A semver version, or anything else without path syntax (npm versions are semver, but lockfiles are input). */
const SAFE_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]*$/;

/** True when name and version can name files: no `..`, no separators beyond a scope's one `/`. */
export function isSafePackageRef(name: string, version: string): boolean {
  return NPM_NAME.test(name) && SAFE_VERSION.test(version) && !name.split('/').some((part) => part === '.' || part === '..');
}

/**
 * Where a package's attestations are looked for: `<dir>/<name>@<version>.sigstore.json`, a scoped
 * package in its scope's folder (`<dir>/@acme/app@1.2.0.sigstore.json`), as node_modules lays them
 * out; then the same with `.intoto.jsonl`. None for a name or version unsafe as a path.
 */
export function attestationPaths(dir: string, name: string, version: string): string[] {
  if (!isSafePackageRef(name, version)) return [];
  return [join(dir, `${name}@${version}.sigstore.json`), join(dir, `${name}@${version}.intoto.jsonl`)];
}

/**
 * Where a package's tarball is looked for: `<dir>/<name>-<version>.tgz`, a scoped package in its
 * scope's folder (`<dir>/@acme/app-1.2.0.tgz`); then `npm pack`'s flat name (`acme-app-1.2.0.tgz`).
 * A file found under the flat name that belongs to another package fails its integrity check: it
 * cannot pass for this one.
 */
export function tarballPaths(dir: string, name: string, version: string): string[] {
  if (!isSafePackageRef(name, version)) return [];
  const paths = [join(dir, `${name}-${version}.tgz`)];
  if (name.startsWith('@')) paths.push(join(dir, `${name.slice(1).replace('/', '-')}-${version}.tgz`));
  return paths;
}
