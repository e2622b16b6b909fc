import type { LockfileFormat } from './lockfile-format.ts';
import { NPM_LOCKFILE_NAMES, parseNpmLockfile } from './npm-lockfile.ts';

/** npm's package-lock.json and npm-shrinkwrap.json (lockfileVersion 1–3, workspaces). */
export const npmFormat: LockfileFormat = {
  manager: 'npm',
  ecosystem: 'npm',
  fileNames: NPM_LOCKFILE_NAMES,
  async parse({ text, path, readSibling }) {
    // Only lockfileVersion 1 needs the manifest; a missing or broken one just means "direct unknown".
    let rootManifest: unknown;
    const manifest = await readSibling('package.json');
    if (manifest !== undefined) {
      try {
        rootManifest = JSON.parse(manifest);
      } catch {
        rootManifest = undefined;
      }
    }
    const parsed = parseNpmLockfile(text, path, { rootManifest });
    return { ecosystem: 'npm', manager: 'npm', lockfileVersion: parsed.lockfileVersion, packages: parsed.packages, roots: parsed.roots };
  },
};
