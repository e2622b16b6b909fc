import type { LockfileFormat } from './lockfile-format.ts';
import { parsePoetryLockfile } from './poetry-lockfile.ts';
import { pyprojectDependencies } from './python-pyproject.ts';
import { readTomlManifest } from './python-toml.ts';

/**
 * Poetry's poetry.lock. pyproject.toml beside it names the direct dependencies and, for lock
 * 2.0 files (which record neither `category` nor `groups`), decides scope by reachability.
 * Without it no package is direct and unrecorded scopes are `prod`.
 */
export const poetryFormat: LockfileFormat = {
  manager: 'poetry',
  ecosystem: 'pypi',
  fileNames: ['poetry.lock'],
  async parse({ text, path, readSibling }) {
    const manifest = readTomlManifest(await readSibling('pyproject.toml'));
    const { lockfileVersion, packages, roots } = parsePoetryLockfile(text, path, manifest === undefined ? undefined : pyprojectDependencies(manifest));
    return { ecosystem: 'pypi', manager: 'poetry', ...(lockfileVersion === undefined ? {} : { lockfileVersion }), packages, roots };
  },
};
