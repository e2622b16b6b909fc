import { preloadSigning, writeFileAtomic } from '@provenant/core';
import { buildCycloneDxSbom, generateProvenance, statementForSbom } from '@provenant/generator';
import { type CollectFlags, toGenerateOptions } from '../collect-options.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { type SbomFlags, writeSbomAttestation } from '../sbom-output.ts';
import { type SignFlags, prepareSigning, signAndWrite } from '../signing.ts';

export async function run(flags: CollectFlags & SignFlags & SbomFlags & { statementOut?: string }, _cmd: unknown, io: Io): Promise<number> {
  // Before hashing: a bad key, a missing id-token permission or a bad signing config fails at once.
  const signing = await prepareSigning(flags);
  const { statement, payload, dependencies } = await generateProvenance({
    ...toGenerateOptions(flags, io),
    whileHashing: flags.format === 'sigstore' ? preloadSigning : undefined,
  });
  const { signedBy } = await signAndWrite(payload, signing, flags);
  if (flags.statementOut) await writeFileAtomic(flags.statementOut, payload);
  io.stderr(`wrote ${flags.out}: ${statement.subject.length} subject(s), signed ${signedBy}\n`);
  if (flags.sbom || flags.sbomOut !== undefined) {
    const sbom = await writeSbomAttestation({ statement, dependencies }, flags, { buildCycloneDxSbom, statementForSbom }, (bytes, out) => signAndWrite(bytes, signing, { ...flags, out }));
    io.stderr(`wrote ${sbom.path}: CycloneDX SBOM of ${sbom.components} component(s), signed the same way\n`);
  }
  return EXIT.OK;
}
