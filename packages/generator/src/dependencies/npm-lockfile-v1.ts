import { DEPENDENCY_FIELDS, type LockNode, type LockTree, MAX_LOCATION_LENGTH, readFlag, readNameMap, readString, type Where, scopeFromFlags } from './npm-lockfile-model.ts';
import { isJsonObject, jsonType, lockfileInvalid } from './lockfile-json.ts';
import { linkTarget } from './npm-lockfile-packages.ts';
import { isGitSpec, parseSemver, versionFromTarball } from './npm-lockfile-source.ts';

// npa's test for a `file:` spec naming a tarball rather than a directory.
const TARBALL_FILE = /\.(?:tgz|tar\.gz|tar)$/i;

/**
 * Flattens the nested `dependencies` tree of a lockfileVersion 1 file (npm 5 and 6) into
 * locations, the way Arborist migrates it: children of an entry live in its node_modules, and
 * children of a `file:` directory link live under the link's target.
 *
 * v1 does not record the root's own dependency lists, so `rootManifest` (the package.json beside
 * the lockfile) supplies them; without it no package can be marked direct.
 *
 * The walk is iterative (a hostile file may nest far deeper than the call stack), breadth-first
 * so that shallower installs of a package come first, and bounded by MAX_LOCATION_LENGTH.
 */
export function readDependenciesTree(data: Record<string, unknown>, source: string, rootManifest?: unknown): LockTree {
  const nodes = new Map<string, LockNode>();
  const projects = new Map<string, string[]>([['', manifestNames(rootManifest)]]);
  nodes.set('', {
    name: typeof data['name'] === 'string' ? data['name'] : '',
    version: typeof data['version'] === 'string' ? data['version'] : '',
    resolved: undefined,
    integrity: undefined,
    link: false,
    scope: 'prod',
    requires: [],
  });

  const top = data['dependencies'];
  if (top === undefined) return { nodes, projects };
  if (!isJsonObject(top)) throw lockfileInvalid(source, `"dependencies" must be an object, got ${jsonType(top)}`);

  const queue: Array<{ parent: string; deps: Record<string, unknown> }> = [{ parent: '', deps: top }];
  for (let head = 0; head < queue.length; head++) {
    const { parent, deps } = queue[head]!;
    for (const key of Object.keys(deps)) {
      const location = parent === '' ? `node_modules/${key}` : `${parent}/node_modules/${key}`;
      if (location.length > MAX_LOCATION_LENGTH) {
        throw lockfileInvalid(source, `"dependencies" nest too deep (a location exceeds ${MAX_LOCATION_LENGTH} characters)`);
      }
      const where = () => `dependencies entry ${JSON.stringify(location)}`;
      if (key === '') throw lockfileInvalid(source, `${where()} has an empty package name`);
      const entry = deps[key];
      if (!isJsonObject(entry)) throw lockfileInvalid(source, `${where()} must be an object, got ${jsonType(entry)}`);

      const node = readEntry(key, entry, source, where);
      nodes.set(location, node);
      let childParent = location;
      if (node.link) {
        // The link's children and its own dependency list belong to the target directory.
        childParent = node.resolved ?? '';
        if (childParent !== '' && !nodes.has(childParent)) {
          nodes.set(childParent, { ...node, link: false, resolved: undefined, requires: [] });
          projects.set(childParent, readNameMap(entry, 'requires', source, where));
        }
      }
      const children = entry['dependencies'];
      if (children === undefined) continue;
      if (!isJsonObject(children)) throw lockfileInvalid(source, `${where()}.dependencies must be an object, got ${jsonType(children)}`);
      queue.push({ parent: childParent, deps: children });
    }
  }
  return { nodes, projects };
}

/**
 * One v1 entry. v1 overloads `version`: a semver for registry packages, `npm:real@1.2.3` for
 * aliases, `file:…` for local tarballs and directory links, a git spec, or a tarball URL. The
 * name and version are derived as Arborist's shrinkwrap migration derives them.
 */
function readEntry(key: string, entry: Record<string, unknown>, source: string, where: Where): LockNode {
  const version = readString(entry, 'version', source, where);
  const resolved = readString(entry, 'resolved', source, where);
  const integrity = readString(entry, 'integrity', source, where);
  const scope = scopeFromFlags({
    dev: readFlag(entry, 'dev', source, where),
    optional: readFlag(entry, 'optional', source, where),
    devOptional: false,
    peer: false,
  });
  // v1 `requires` lists every dependency an entry needs (npm 6 recorded no peer dependencies).
  const requires = readNameMap(entry, 'requires', source, where);
  const node: LockNode = { name: key, version: '', resolved, integrity, link: false, scope, requires };
  const spec = version ?? resolved ?? '';

  if (spec.startsWith('file:')) {
    const path = spec.slice('file:'.length);
    if (!TARBALL_FILE.test(path)) return { ...node, link: true, resolved: linkTarget(path), requires: [] };
    Object.assign(node, { resolved: spec }, versionFromTarball(key, path) ?? fromResolved(key, resolved));
  } else if (spec.startsWith('npm:')) {
    // `npm:@scope/real@1.2.3`: the last `@` that is not the scope's separates the version.
    const target = spec.slice('npm:'.length);
    const at = target.lastIndexOf('@');
    Object.assign(node, at > 0 ? { name: target.slice(0, at), version: target.slice(at + 1) } : { name: target });
  } else if (/^https?:\/\//i.test(spec)) {
    Object.assign(node, { resolved: resolved ?? spec }, versionFromTarball(key, spec) ?? fromResolved(key, resolved));
  } else if (isGitSpec(spec)) {
    // The commit is in the spec; v1 records no package version for git dependencies.
    node.resolved = resolved ?? spec;
  } else if (parseSemver(spec) !== undefined) {
    node.version = spec;
  }
  return node;
}

function fromResolved(key: string, resolved: string | undefined): { name: string; version: string } | undefined {
  return resolved === undefined ? undefined : versionFromTarball(key, resolved);
}

/** The dependency names a package.json declares; anything malformed declares nothing. */
function manifestNames(manifest: unknown): string[] {
  if (!isJsonObject(manifest)) return [];
  return DEPENDENCY_FIELDS.flatMap((field) => {
    const deps = manifest[field];
    return isJsonObject(deps) ? Object.keys(deps) : [];
  });
}
