import type { LockfileFormat } from './lockfile-format.ts';
import { PNPM_LOCKFILE_NAMES, parsePnpmLockfile } from './pnpm-lockfile.ts';

/** pnpm's pnpm-lock.yaml (lockfile formats 6 and 9, workspaces): self-contained, no manifest needed. */
export const pnpmFormat: LockfileFormat = {
  manager: 'pnpm',
  ecosystem: 'npm',
  fileNames: PNPM_LOCKFILE_NAMES,
  async parse({ text, path }) {
    const { lockfileVersion, packages, roots } = parsePnpmLockfile(text, path);
    return { ecosystem: 'npm', manager: 'pnpm', lockfileVersion, packages, roots };
  },
};
