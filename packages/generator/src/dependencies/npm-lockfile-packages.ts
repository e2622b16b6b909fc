import { posix } from 'node:path';
import { DEPENDENCY_FIELDS, INSTALLED_DEPENDENCY_FIELDS, type LockNode, type LockTree, MAX_LOCATION_LENGTH, readFlag, readNameMap, readString, scopeFromFlags } from './npm-lockfile-model.ts';
import { isJsonObject, jsonType, lockfileInvalid } from './lockfile-json.ts';

/**
 * Reads the flat `packages` section of a lockfileVersion 2 or 3 file (v2 also carries the v1
 * `dependencies` tree for old npm; `packages` is the complete one, so it is the one read).
 * One pass over the entries, then one lookup per local project: linear in the file.
 */
export function readPackagesSection(data: Record<string, unknown>, source: string): LockTree {
  const packages = data['packages'];
  if (!isJsonObject(packages)) throw lockfileInvalid(source, `"packages" must be an object, got ${jsonType(packages)}`);

  const nodes = new Map<string, LockNode>();
  for (const location of Object.keys(packages)) {
    if (location.length > MAX_LOCATION_LENGTH) {
      throw lockfileInvalid(source, `a "packages" key is ${location.length} characters long (at most ${MAX_LOCATION_LENGTH})`);
    }
    nodes.set(location, readEntry(packages[location], location, source));
  }

  // Local projects: the root, every link target (workspace members, `file:` directories) and any
  // entry outside a node_modules folder (npm only installs dependencies into node_modules).
  const projects = new Map<string, string[]>();
  const addProject = (location: string) => {
    if (projects.has(location)) return;
    const entry = packages[location];
    projects.set(location, isJsonObject(entry) ? declaredNames(entry, location, source) : []);
  };
  addProject('');
  for (const [location, node] of nodes) {
    if (node.link) {
      const target = linkTarget(node.resolved ?? '');
      if (nodes.has(target)) addProject(target);
    } else if (!isInNodeModules(location)) {
      addProject(location);
    }
  }
  return { nodes, projects };
}

function readEntry(entry: unknown, location: string, source: string): LockNode {
  const where = () => `packages[${JSON.stringify(location)}]`;
  if (!isJsonObject(entry)) throw lockfileInvalid(source, `${where()} must be an object, got ${jsonType(entry)}`);
  const link = readFlag(entry, 'link', source, where);
  const resolved = readString(entry, 'resolved', source, where);
  if (link && resolved === undefined) throw lockfileInvalid(source, `${where()} is a link without "resolved"`);
  // `name` is only written when it differs from the folder: aliases (`node_modules/my-ms` holding
  // `ms`) and workspace members. Otherwise the folder name is the package name.
  const name = readString(entry, 'name', source, where) ?? nameFromLocation(location);
  if (location !== '' && name === '') throw lockfileInvalid(source, `${where()} has no package name`);
  const requires = link ? [] : INSTALLED_DEPENDENCY_FIELDS.flatMap((field) => readNameMap(entry, field, source, where));
  return {
    name,
    version: readString(entry, 'version', source, where) ?? '',
    resolved,
    integrity: readString(entry, 'integrity', source, where),
    link,
    scope: scopeFromFlags({
      dev: readFlag(entry, 'dev', source, where),
      optional: readFlag(entry, 'optional', source, where),
      devOptional: readFlag(entry, 'devOptional', source, where),
      peer: readFlag(entry, 'peer', source, where),
    }),
    requires,
  };
}

function declaredNames(entry: Record<string, unknown>, location: string, source: string): string[] {
  const where = () => `packages[${JSON.stringify(location)}]`;
  return DEPENDENCY_FIELDS.flatMap((field) => readNameMap(entry, field, source, where));
}

/** The folder name after the last `node_modules/` (`@scope/name` keeps its scope). */
export function nameFromLocation(location: string): string {
  const nested = location.lastIndexOf('/node_modules/');
  if (nested >= 0) return location.slice(nested + '/node_modules/'.length);
  if (location.startsWith('node_modules/')) return location.slice('node_modules/'.length);
  return posix.basename(location);
}

/** True when the location is inside some node_modules folder, i.e. was installed by npm. */
export function isInNodeModules(location: string): boolean {
  return location.startsWith('node_modules/') || location.includes('/node_modules/');
}

/** A link's `resolved` as a location key: normalised posix path, '' for the root itself. */
export function linkTarget(resolved: string): string {
  const normal = posix.normalize(resolved.replaceAll('\\', '/')).replace(/\/+$/, '');
  return normal === '.' ? '' : normal;
}
