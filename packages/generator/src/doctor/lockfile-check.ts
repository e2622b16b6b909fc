import { join } from 'node:path';
import { lockfileCollector } from '../dependencies/collector.ts';
import type { CollectorContext } from '../context.ts';
import type { DoctorCheck } from './doctor-check.ts';

const CHECK = 'lockfile';

/**
 * Is there a lockfile to record the dependencies from? The same discovery attest uses (the
 * lockfile collector), or the files given with --lockfile.
 */
export async function checkLockfile(ctx: CollectorContext, lockfiles: readonly string[] | undefined): Promise<DoctorCheck> {
  if (lockfiles !== undefined && lockfiles.length > 0) {
    for (const file of lockfiles) {
      try {
        if (!(await ctx.fs.stat(join(ctx.cwd, file))).isFile()) throw new Error('not a file');
      } catch {
        return { level: 'FAIL', check: CHECK, what: `--lockfile ${file} cannot be read`, fix: 'correct the path (it is relative to --cwd)' };
      }
    }
  }
  let found: boolean;
  try {
    found = await lockfileCollector(lockfiles && lockfiles.length > 0 ? { lockfiles } : {}).detect(ctx);
  } catch (err) {
    return { level: 'FAIL', check: CHECK, what: (err as Error).message, fix: 'pass a lockfile provenant reads (package-lock.json, pnpm-lock.yaml, yarn.lock, ...)' };
  }
  if (found) return { level: 'OK', check: CHECK, what: lockfiles && lockfiles.length > 0 ? `${lockfiles.length} lockfile${lockfiles.length === 1 ? '' : 's'} given` : 'found below --cwd' };
  return {
    level: 'WARN',
    check: CHECK,
    what: 'no lockfile found below --cwd, so the provenance will record no dependencies',
    fix: 'commit your lockfile (npm install writes package-lock.json), or pass --lockfile FILE',
  };
}
