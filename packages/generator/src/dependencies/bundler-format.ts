import type { LockfileFormat } from './lockfile-format.ts';
import { parseGemfileLock } from './bundler-lockfile.ts';

/**
 * Bundler's Gemfile.lock (gems.locked for the gems.rb naming). Self-contained: its DEPENDENCIES
 * section lists the Gemfile's direct dependencies, so the Gemfile (Ruby code) is not read.
 */
export const bundlerFormat: LockfileFormat = {
  manager: 'bundler',
  ecosystem: 'gem',
  fileNames: ['Gemfile.lock', 'gems.locked'],
  async parse({ text, path }) {
    const { lockfileVersion, packages, roots } = parseGemfileLock(text, path);
    return { ecosystem: 'gem', manager: 'bundler', ...(lockfileVersion === undefined ? {} : { lockfileVersion }), packages, roots };
  },
};
