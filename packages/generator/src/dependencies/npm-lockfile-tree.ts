/**
 * Node's module resolution over a whole lockfile at once. A require of `name` from a folder looks
 * in that folder's node_modules, then in each ancestor's; the lockfiles that record an install
 * layout (npm's `packages` keys, bun's package keys) describe exactly those folders.
 *
 * Resolving each request by walking up its ancestors costs its depth, so a lockfile of deep
 * installs with many dependencies each would cost depth × edges. Instead the folders are walked
 * once, depth first, keeping for every name a stack of the installs visible from the current
 * folder: entering a folder pushes its node_modules, leaving it pops them, and each request is
 * answered by the top of its name's stack. Linear in folders plus requests.
 */

/** The folders of an install layout. */
export interface InstallLayout {
  /** Every folder, mapped to the folder Node searches after it (undefined for the top). */
  searchParent: ReadonlyMap<string, string | undefined>;
  /** For each folder, what its node_modules holds: installed name -> the folder of that install. */
  installed: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * Resolves every requested name from its folder: the result maps each folder to name -> the
 * folder it resolves to. Names that resolve nowhere (an optional dependency left out, a peer no
 * one provides) are absent.
 */
export function resolveRequests(
  layout: InstallLayout,
  requests: ReadonlyMap<string, Iterable<string>>,
): Map<string, Map<string, string>> {
  const below = new Map<string, string[]>();
  const tops: string[] = [];
  for (const [folder, parent] of layout.searchParent) {
    if (parent === undefined) {
      tops.push(folder);
      continue;
    }
    const list = below.get(parent);
    if (list === undefined) below.set(parent, [folder]);
    else list.push(folder);
  }

  const visible = new Map<string, string[]>();
  const resolved = new Map<string, Map<string, string>>();
  // Explicit stack (a hostile file may nest deeper than the call stack): `true` enters a folder,
  // `false` leaves it.
  const stack: Array<[string, boolean]> = tops.reverse().map((t) => [t, true]);
  while (stack.length > 0) {
    const [folder, entering] = stack.pop()!;
    const here = layout.installed.get(folder);
    if (!entering) {
      if (here !== undefined) for (const name of here.keys()) visible.get(name)!.pop();
      continue;
    }
    stack.push([folder, false]);
    if (here !== undefined) {
      for (const [name, target] of here) {
        const seen = visible.get(name);
        if (seen === undefined) visible.set(name, [target]);
        else seen.push(target);
      }
    }
    const names = requests.get(folder);
    if (names !== undefined) {
      const out = new Map<string, string>();
      for (const name of names) {
        const candidates = visible.get(name);
        const target = candidates?.[candidates.length - 1];
        if (target !== undefined) out.set(name, target);
      }
      resolved.set(folder, out);
    }
    const children = below.get(folder);
    if (children !== undefined) for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, true]);
  }
  return resolved;
}
