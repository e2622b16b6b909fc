import type { LockfileFormat, LockfileInput } from './lockfile-format.ts';
import { parseYarnClassicLockfile } from './yarn-classic.ts';
import { readBerryLockfile, resolveBerryLockfile } from './yarn-berry.ts';
import { literalWorkspaceFolder, parseManifest, workspacePatterns } from './yarn-manifests.ts';

/** The lockfile yarn writes, classic and berry alike. */
export const YARN_LOCKFILE_NAMES = ['yarn.lock'] as const;

/**
 * True for a yarn berry (v2+) lockfile: berry always writes a `__metadata` entry, classic never
 * does (its header comment says `# yarn lockfile v1`).
 */
export function isBerryLockfile(text: string): boolean {
  return /^__metadata:/m.test(text);
}

/**
 * yarn.lock, classic (v1) or berry (v2+), told apart by content. Classic records neither the
 * projects' dependencies nor the workspace members, so the root package.json and the members
 * its `workspaces` names are read beside it, globs expanded through `globFolders`.
 * Berry names every workspace folder, whose package.json tells dev from prod.
 */
export const yarnFormat: LockfileFormat = {
  manager: 'yarn',
  ecosystem: 'npm',
  fileNames: YARN_LOCKFILE_NAMES,
  async parse({ text, path, readSibling, globFolders }) {
    if (isBerryLockfile(text)) {
      const lock = readBerryLockfile(text, path);
      const manifests = new Map<string, Record<string, unknown>>();
      for (const folder of lock.workspaceFolders) {
        const manifest = await readManifest(readSibling, folder);
        if (manifest !== undefined) manifests.set(folder, manifest);
      }
      const { lockfileVersion, packages, roots } = resolveBerryLockfile(lock, manifests);
      return { ecosystem: 'npm', manager: 'yarn', lockfileVersion, packages, roots };
    }
    const manifests: Array<Record<string, unknown>> = [];
    const root = await readManifest(readSibling, '.');
    if (root !== undefined) {
      manifests.push(root);
      for (const pattern of workspacePatterns(root)) {
        const literal = literalWorkspaceFolder(pattern);
        // A glob (`packages/*`) is expanded the way yarn does: every matching folder with a package.json.
        const folders = literal !== undefined ? [literal] : ((await globFolders?.(pattern)) ?? []);
        for (const folder of folders) {
          const member = await readManifest(readSibling, folder);
          if (member !== undefined) manifests.push(member);
        }
      }
    }
    const { packages, roots } = parseYarnClassicLockfile(text, path, manifests);
    return { ecosystem: 'npm', manager: 'yarn', lockfileVersion: 1, packages, roots };
  },
};

/** `folder`'s package.json ('.' is the lockfile's own folder), only below the lockfile; undefined when absent or unreadable. */
async function readManifest(readSibling: LockfileInput['readSibling'], folder: string): Promise<Record<string, unknown> | undefined> {
  const normal = folder === '.' ? '.' : literalWorkspaceFolder(folder);
  if (normal === undefined) return undefined;
  return parseManifest(await readSibling(normal === '.' ? 'package.json' : `${normal}/package.json`));
}
