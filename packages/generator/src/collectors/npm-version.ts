import { dirname, join } from 'node:path';
import type { CollectorContext } from '../context.ts';

/**
 * The version of the `npm` on PATH, read from its package.json instead of running `npm --version`:
 * npm is itself a Node program whose start-up costs ~150 ms, the slowest of all the probes.
 * Returns undefined when npm is not found this way (the caller then falls back to running it).
 */
export async function npmVersionFromInstall(ctx: CollectorContext): Promise<string | undefined> {
  const path = ctx.env.PATH ?? '';
  for (const dir of path.split(':')) {
    if (dir === '') continue;
    const bin = join(dir, 'npm');
    let real: string;
    try {
      if (!(await ctx.fs.stat(bin)).isFile()) continue;
      real = await ctx.fs.realpath(bin);
    } catch {
      continue;
    }
    // npm's bin is <install>/bin/npm-cli.js (or <install>/bin/npm): its package.json is a level up.
    for (let d = dirname(real), i = 0; i < 3; d = dirname(d), i++) {
      try {
        const pkg = JSON.parse((await ctx.fs.readFile(join(d, 'package.json'))).toString('utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'npm' && typeof pkg.version === 'string' && /^\d+\.\d+\.\d+/.test(pkg.version)) return pkg.version;
      } catch {
        // not here; look one level up
      }
    }
    return undefined;
  }
  return undefined;
}
