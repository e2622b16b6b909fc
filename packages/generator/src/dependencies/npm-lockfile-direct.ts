import type { LockTree } from './npm-lockfile-model.ts';
import { type InstallLayout, resolveRequests } from './npm-lockfile-tree.ts';

/** What every install location's requires resolve to. */
export interface ResolvedLockTree {
  /** The locations the local projects' declared dependencies resolve to: the direct dependencies. */
  direct: Set<string>;
  /** For every installed package (not a link, not a local project), the packages it requires, as locations. */
  edges: Map<string, string[]>;
}

/**
 * Resolves the local projects' declared dependencies and every install's requires the way Node
 * resolves a require from that folder: its own node_modules first, then each ancestor's (never
 * inside a `node_modules/node_modules`), as Arborist builds its edges. A name that resolves to a
 * link (a workspace member, a `file:` directory) reaches a local project, not a package, so it
 * is neither direct nor an edge; a name that resolves nowhere (an optional dependency left out,
 * an unmet peer) is not an edge either.
 */
export function resolveLockTree(tree: LockTree): ResolvedLockTree {
  const requests = new Map<string, Iterable<string>>(tree.projects);
  for (const [location, node] of tree.nodes) {
    if (!node.link && !tree.projects.has(location) && node.requires.length > 0) requests.set(location, node.requires);
  }
  const isPackage = (location: string) => {
    const node = tree.nodes.get(location);
    return node !== undefined && !node.link && !tree.projects.has(location);
  };

  const direct = new Set<string>();
  const edges = new Map<string, string[]>();
  for (const [location, targets] of resolveRequests(installLayout(tree), requests)) {
    if (tree.projects.has(location)) {
      for (const target of targets.values()) if (!tree.nodes.get(target)?.link) direct.add(target);
    } else {
      edges.set(location, [...targets.values()].filter(isPackage));
    }
  }
  return { direct, edges };
}

/**
 * The folders of a flattened lockfile: every location, every folder that holds a node_modules,
 * and the root. Each is searched after itself in its nearest such ancestor that is not a
 * node_modules folder; a trie of the folders finds that ancestor in one walk down each path,
 * so building the layout stays linear in the lockfile's size.
 */
function installLayout(tree: LockTree): InstallLayout {
  const installed = new Map<string, Map<string, string>>();
  const folders = new Set<string>(['']);
  for (const location of tree.nodes.keys()) {
    folders.add(location);
    const nested = location.lastIndexOf('/node_modules/');
    let holder: string;
    let name: string;
    if (nested >= 0) {
      holder = location.slice(0, nested);
      name = location.slice(nested + '/node_modules/'.length);
    } else if (location.startsWith('node_modules/')) {
      holder = '';
      name = location.slice('node_modules/'.length);
    } else {
      continue;
    }
    folders.add(holder);
    const here = installed.get(holder);
    if (here === undefined) installed.set(holder, new Map([[name, location]]));
    else here.set(name, location);
  }

  const trie = new FolderTrie();
  for (const folder of folders) trie.mark(folder);
  const searchParent = new Map<string, string | undefined>();
  for (const folder of folders) searchParent.set(folder, folder === '' ? undefined : trie.nearestMarkedAncestor(folder));
  return { searchParent, installed };
}

interface TrieNode {
  marked: boolean;
  children: Map<string, TrieNode>;
}

/** A set of posix folder paths ('' is the lockfile's folder) that can name a path's nearest member ancestor. */
class FolderTrie {
  readonly #root: TrieNode = { marked: false, children: new Map() };

  mark(path: string): void {
    let node = this.#root;
    if (path !== '') {
      for (const segment of path.split('/')) {
        let next = node.children.get(segment);
        if (next === undefined) {
          next = { marked: false, children: new Map() };
          node.children.set(segment, next);
        }
        node = next;
      }
    }
    node.marked = true;
  }

  /** The nearest marked proper ancestor of a non-empty `path`, skipping node_modules folders; '' at worst. */
  nearestMarkedAncestor(path: string): string {
    // Remember where the nearest ends and slice once: slicing at every marked level would copy
    // the path once per level.
    let nearest = 0;
    let node: TrieNode | undefined = this.#root;
    let end = -1;
    const segments = path.split('/');
    for (let i = 0; i < segments.length - 1; i++) {
      const segment = segments[i]!;
      node = node.children.get(segment);
      if (node === undefined) break;
      end += segment.length + 1;
      if (node.marked && segment !== 'node_modules') nearest = end;
    }
    return path.slice(0, nearest);
  }
}
