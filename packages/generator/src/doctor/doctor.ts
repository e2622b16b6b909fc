import type { CollectorContext } from '../context.ts';
import type { DoctorCheck } from './doctor-check.ts';
import { checkIdToken } from './id-token-check.ts';
import { checkLockfile } from './lockfile-check.ts';
import { readPackageManifest } from './package-manifest.ts';
import { checkRepositoryUrl } from './repository-url-check.ts';
import { checkRunner } from './runner-check.ts';
import type { SigningIntent } from './signing-intent.ts';
import { type SubjectArgs, checkSubjects } from './subjects-check.ts';
import { checkTransparencyLog } from './transparency-log-check.ts';

/** What `provenant attest` is about to be asked to do: the same flags, as data. */
export interface DoctorOptions {
  subjects?: SubjectArgs;
  /** `--lockfile` files; default: discovery below cwd. */
  lockfiles?: readonly string[];
  signing?: SigningIntent;
  /** WARN past this many subjects; default MAX_SUBJECTS (1,000). */
  maxSubjects?: number;
}

/**
 * Pre-flight checks before attesting and publishing, each one result in a fixed order: id-token,
 * runner, repository-url, transparency-log, subjects, lockfile. Reads only the injected context
 * (environment, files, `git`): no token is requested and nothing is sent anywhere. Never throws
 * for what it finds: a problem is a WARN or FAIL result.
 */
export async function runDoctor(ctx: CollectorContext, options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const signing = options.signing ?? {};
  const manifest = await readPackageManifest(ctx);
  return Promise.all([
    checkIdToken(ctx, signing),
    checkRunner(ctx, manifest),
    checkRepositoryUrl(ctx, manifest),
    checkTransparencyLog(ctx, signing),
    checkSubjects(ctx, options.subjects ?? {}, options.maxSubjects),
    checkLockfile(ctx, options.lockfiles),
  ]);
}

/** True when no check FAILed: `provenant doctor` exits 0, else 1. */
export function doctorPassed(checks: readonly DoctorCheck[]): boolean {
  return !checks.some((c) => c.level === 'FAIL');
}
