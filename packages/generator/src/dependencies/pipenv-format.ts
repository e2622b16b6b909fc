import type { LockfileFormat } from './lockfile-format.ts';
import { isJsonObject } from './lockfile-json.ts';
import { parsePipfileLock } from './pipenv-lockfile.ts';
import { normalizePythonName } from './python-names.ts';
import { readTomlManifest } from './python-toml.ts';

/**
 * Pipenv's Pipfile.lock. The Pipfile beside it (TOML) names the direct dependencies in
 * `[packages]` and `[dev-packages]`; without it (or when it does not parse) none is direct.
 */
export const pipenvFormat: LockfileFormat = {
  manager: 'pipenv',
  ecosystem: 'pypi',
  fileNames: ['Pipfile.lock'],
  async parse({ text, path, readSibling }) {
    const pipfile = readTomlManifest(await readSibling('Pipfile'));
    const declared = pipfile === undefined ? undefined : pipfileNames(pipfile);
    const { lockfileVersion, packages, roots } = parsePipfileLock(text, path, declared);
    return { ecosystem: 'pypi', manager: 'pipenv', ...(lockfileVersion === undefined ? {} : { lockfileVersion }), packages, roots };
  },
};

/** Normalised names in a Pipfile's `[packages]` and `[dev-packages]`. */
export function pipfileNames(pipfile: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  for (const key of ['packages', 'dev-packages']) {
    const table = pipfile[key];
    if (isJsonObject(table)) for (const name of Object.keys(table)) names.add(normalizePythonName(name));
  }
  return names;
}
