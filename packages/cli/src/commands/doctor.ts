import { type CollectorContext, type DoctorOptions, doctorPassed, formatDoctorCheck, processContext, runDoctor } from '@provenant/generator';
import type { CollectFlags } from '../collect-options.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import type { SignFlags } from '../signing.ts';

/** Doctor takes attest's flags; only these matter to it. */
export type DoctorFlags = Pick<CollectFlags, 'subject' | 'subjectDigest' | 'subjectChecksums' | 'cwd' | 'lockfile'> &
  Pick<SignFlags, 'key' | 'identityToken' | 'signingConfig' | 'rekorUrl' | 'tlog'>;

/** The checks doctor runs for these flags. Nothing is read here: a token file or key is only noted as given. */
export function doctorOptions(flags: DoctorFlags): DoctorOptions {
  return {
    subjects: { paths: flags.subject, digests: flags.subjectDigest, checksumFiles: flags.subjectChecksums },
    ...(flags.lockfile.length > 0 ? { lockfiles: flags.lockfile } : {}),
    signing: {
      key: flags.key !== undefined,
      identityToken: flags.identityToken !== undefined,
      ownSigstore: flags.signingConfig !== undefined || flags.rekorUrl !== undefined,
      noTlog: flags.tlog === false,
    },
  };
}

/** Prints one line per check on stdout; exit 0 when none FAILed, 1 when any did. */
export async function runDoctorCommand(flags: DoctorFlags, io: Io, ctx: CollectorContext): Promise<number> {
  const checks = await runDoctor(ctx, doctorOptions(flags));
  for (const check of checks) io.stdout(`${formatDoctorCheck(check)}\n`);
  return doctorPassed(checks) ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

export async function run(flags: DoctorFlags, _cmd: unknown, io: Io): Promise<number> {
  return runDoctorCommand(flags, io, processContext(flags.cwd));
}
