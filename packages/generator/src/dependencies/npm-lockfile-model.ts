import { isJsonObject, jsonType, lockfileInvalid } from './lockfile-json.ts';

export type { DependencyFacts, DependencyScope, ResolvedPackage, SourceKind } from './model.ts';
import type { DependencyScope } from './model.ts';

/**
 * One lockfile entry at one install location, normalised across lockfile versions. Locations are
 * the v2/v3 `packages` keys ('' for the root, `node_modules/a/node_modules/b`, `packages/x`).
 */
export interface LockNode {
  name: string;
  /** '' when the lockfile does not say. */
  version: string;
  resolved: string | undefined;
  integrity: string | undefined;
  /** A symlink; `resolved` is then the location of its target. */
  link: boolean;
  scope: DependencyScope;
  /**
   * The names this install requires (its dependencies, optional and peer dependencies), which
   * Node resolves from its location: the graph edges. Empty for links and local projects, whose
   * declared names are in LockTree.projects.
   */
  requires: string[];
}

/**
 * A lockfile flattened to locations. `projects` maps the location of each local project (the
 * root, workspace members, `file:` link targets) to the names it declares as dependencies: those
 * are not dependencies themselves, and what they declare is what makes a package `direct`.
 */
export interface LockTree {
  nodes: Map<string, LockNode>;
  projects: Map<string, string[]>;
}

/**
 * No real install location is longer than PATH_MAX (4096 on Linux). Bounding locations keeps a
 * hostile lockfile (a v1 tree nested thousands deep) from making us build quadratic strings.
 */
export const MAX_LOCATION_LENGTH = 4096;

/**
 * The scope of one install location from npm's flags. npm documents `dev` as "strictly part of
 * the devDependencies tree" (an optional dep of a dev dep has both `dev` and `optional`, and is
 * still dev-only), `optional` as strictly optional, and `devOptional` as needed by both the dev
 * tree and the optional tree of a non-dev package: `--omit=dev` keeps it, so it is `optional`.
 * `peer` marks packages reached only through peer dependencies.
 */
export function scopeFromFlags(flags: { dev: boolean; optional: boolean; devOptional: boolean; peer: boolean }): DependencyScope {
  if (flags.dev) return 'dev';
  if (flags.optional || flags.devOptional) return 'optional';
  if (flags.peer) return 'peer';
  return 'prod';
}

/**
 * Names an entry for error messages. A function, so the message is only built when something is
 * wrong: these readers run once per field of every entry of files with thousands of entries.
 */
export type Where = () => string;

/** Reads an optional boolean flag; npm only ever writes `true`, anything but a boolean is corrupt. */
export function readFlag(entry: Record<string, unknown>, key: string, source: string, where: Where): boolean {
  const value = entry[key];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw lockfileInvalid(source, `${where()}.${key} must be a boolean, got ${jsonType(value)}`);
  return value;
}

/** Reads an optional string field. */
export function readString(entry: Record<string, unknown>, key: string, source: string, where: Where): string | undefined {
  const value = entry[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw lockfileInvalid(source, `${where()}.${key} must be a string, got ${jsonType(value)}`);
  return value;
}

/** Reads an optional `{ name: spec }` map and returns its names. */
export function readNameMap(entry: Record<string, unknown>, key: string, source: string, where: Where): string[] {
  const value = entry[key];
  if (value === undefined) return [];
  if (!isJsonObject(value)) throw lockfileInvalid(source, `${where()}.${key} must be an object, got ${jsonType(value)}`);
  return Object.keys(value);
}

/** The fields of an installed package's lockfile entry whose names it requires at run time. */
export const INSTALLED_DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** The dependency fields of a package.json (and of a project entry of a lockfile). */
export const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;
