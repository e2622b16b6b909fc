import type { LockTree } from './npm-lockfile-model.ts';

/**
 * The locations that the local projects' declared dependencies resolve to, the way Node resolves
 * a require from the project's folder: its own node_modules first, then each ancestor's (never
 * inside a `node_modules/node_modules`). A dependency that resolves to a link (a workspace member,
 * a `file:` directory) is not a package, so it marks nothing.
 *
 * Walking up from a project by slicing and hashing ever-shorter paths would cost the square of
 * its depth; instead the folders that hold a node_modules are put in a trie once, and each project
 * path is walked down that trie a single time. Everything stays linear in the lockfile's size.
 */
export function directLocations(tree: LockTree): Set<string> {
  const folders = new Set<string>();
  for (const location of tree.nodes.keys()) {
    const nested = location.lastIndexOf('/node_modules/');
    if (nested >= 0) folders.add(location.slice(0, nested));
    else if (location.startsWith('node_modules/')) folders.add('');
  }
  const trie = new FolderTrie();
  for (const folder of folders) trie.mark(folder);

  const direct = new Set<string>();
  for (const [project, names] of tree.projects) {
    const candidates = trie.markedAncestors(project);
    for (const name of new Set(names)) {
      for (const folder of candidates) {
        const location = folder === '' ? `node_modules/${name}` : `${folder}/node_modules/${name}`;
        const node = tree.nodes.get(location);
        if (node === undefined) continue;
        if (!node.link) direct.add(location);
        break;
      }
    }
  }
  return direct;
}

interface TrieNode {
  marked: boolean;
  children: Map<string, TrieNode>;
}

/** A set of posix folder paths ('' is the lockfile's folder) that can list a path's members among its ancestors. */
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

  /** The marked folders among `path` and its ancestors, nearest first, skipping node_modules folders. */
  markedAncestors(path: string): string[] {
    const found = this.#root.marked ? [''] : [];
    if (path === '') return found;
    let node: TrieNode | undefined = this.#root;
    let end = -1;
    for (const segment of path.split('/')) {
      node = node.children.get(segment);
      if (node === undefined) break;
      end += segment.length + 1;
      if (node.marked && segment !== 'node_modules') found.push(path.slice(0, end));
    }
    return found.reverse();
  }
}
