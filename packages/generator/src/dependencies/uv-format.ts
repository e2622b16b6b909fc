import type { LockfileFormat } from './lockfile-format.ts';
import { parseUvLockfile } from './uv-lockfile.ts';

/**
 * uv's uv.lock. Self-contained: it records the project's and the workspace members' own
 * dependencies, extras and dev groups, so pyproject.toml is not read.
 */
export const uvFormat: LockfileFormat = {
  manager: 'uv',
  ecosystem: 'pypi',
  fileNames: ['uv.lock'],
  async parse({ text, path }) {
    const { lockfileVersion, packages, roots } = parseUvLockfile(text, path);
    return { ecosystem: 'pypi', manager: 'uv', ...(lockfileVersion === undefined ? {} : { lockfileVersion }), packages, roots };
  },
};
