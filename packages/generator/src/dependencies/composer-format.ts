import type { LockfileFormat } from './lockfile-format.ts';
import { parseComposerLock } from './composer-lockfile.ts';
import { isJsonObject } from './lockfile-json.ts';

/**
 * Composer's composer.lock. composer.json beside it names the direct dependencies (`require`,
 * `require-dev`); without it (or when it does not parse) none is direct.
 */
export const composerFormat: LockfileFormat = {
  manager: 'composer',
  ecosystem: 'composer',
  fileNames: ['composer.lock'],
  async parse({ text, path, readSibling }) {
    const declared = composerJsonNames(await readSibling('composer.json'));
    const { packages, roots } = parseComposerLock(text, path, declared);
    return { ecosystem: 'composer', manager: 'composer', packages, roots };
  },
};

/** Lower-cased names under composer.json's `require` and `require-dev`; undefined when absent or broken. */
export function composerJsonNames(text: string | undefined): Set<string> | undefined {
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(data)) return undefined;
  const names = new Set<string>();
  for (const key of ['require', 'require-dev']) {
    const table = data[key];
    if (isJsonObject(table)) for (const name of Object.keys(table)) names.add(name.toLowerCase());
  }
  return names;
}
