import { ProvenantError, type SubjectAlgorithm, isSubjectAlgorithm } from '@provenant/core';
import type { GenerateOptions } from '@provenant/generator';
import type { Io } from './output.ts';
import { VERSION } from './version.ts';

/** The flags `generate` and `attest` share (see addCollectOptions in main.ts). */
export interface CollectFlags {
  subject: string[];
  subjectDigest: string[];
  subjectChecksums: string[];
  digestAlg: string;
  cwd: string;
  lockfile: string[];
  deps: boolean;
  /** false with --no-claims: the platform's OIDC token is not requested or read. */
  claims: boolean;
  envAllow: string[];
  startedOn?: string;
}

/** Turns command-line flags into the generator's options; flag errors become USAGE errors. */
export function toGenerateOptions(flags: CollectFlags, io: Io): GenerateOptions {
  const algorithms = flags.digestAlg.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const alg of algorithms) {
    if (!isSubjectAlgorithm(alg)) throw new ProvenantError('USAGE', `--digest-alg: unsupported algorithm ${alg} (use sha256, sha384, sha512)`);
  }
  let startedOn: Date | undefined;
  if (flags.startedOn !== undefined) {
    startedOn = new Date(flags.startedOn);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(flags.startedOn) || Number.isNaN(startedOn.getTime())) {
      throw new ProvenantError('USAGE', `--started-on: not an RFC 3339 time: ${flags.startedOn}`);
    }
  }
  return {
    cwd: flags.cwd,
    subjects: {
      paths: flags.subject,
      digests: flags.subjectDigest,
      checksumFiles: flags.subjectChecksums,
      algorithms: algorithms as SubjectAlgorithm[],
      onProgress: progressReporter(io),
    },
    lockfiles: flags.lockfile.length > 0 ? flags.lockfile : undefined,
    dependencies: flags.deps,
    envAllowlist: flags.envAllow.length > 0 ? flags.envAllow : undefined,
    startedOn,
    generatorVersion: VERSION,
    // Only `false` is passed: otherwise generateProvenance picks the process's OIDC context itself.
    ...(flags.claims === false ? { oidc: false as const } : {}),
  };
}

/** A progress line on stderr, only on a terminal and only once hashing has taken over a second. */
export function progressReporter(io: Io, clock: () => number = Date.now): ((done: number, total: number) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  const start = clock();
  let last = 0;
  return (done, total) => {
    const now = clock();
    if (now - start < 1000 || (now - last < 200 && done < total)) return;
    last = now;
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    io.stderr(`\rhashing ${mib(done)} / ${mib(total)} MiB (${pct}%)${done >= total ? '\n' : ''}`);
  };
}

function mib(n: number): string {
  return (n / 1048576).toFixed(0);
}
