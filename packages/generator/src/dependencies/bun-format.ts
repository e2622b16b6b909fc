import { BUN_LOCKFILE_NAMES, parseBunLockfile } from './bun-lockfile.ts';
import type { LockfileFormat } from './lockfile-format.ts';

/** bun's text lockfile bun.lock (workspaces included): self-contained, no manifest needed. */
export const bunFormat: LockfileFormat = {
  manager: 'bun',
  ecosystem: 'npm',
  fileNames: BUN_LOCKFILE_NAMES,
  async parse({ text, path }) {
    const { lockfileVersion, packages, roots } = parseBunLockfile(text, path);
    return { ecosystem: 'npm', manager: 'bun', lockfileVersion, packages, roots };
  },
};
