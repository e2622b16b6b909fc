import { preloadSigning, writeFileAtomic } from '@provenant/core';
import { generateProvenance } from '@provenant/generator';
import { type CollectFlags, toGenerateOptions } from '../collect-options.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { type SignFlags, prepareSigning, signAndWrite } from '../signing.ts';

export async function run(flags: CollectFlags & SignFlags & { statementOut?: string }, _cmd: unknown, io: Io): Promise<number> {
  // Before hashing: a bad key, a missing id-token permission or a bad signing config fails at once.
  const signing = await prepareSigning(flags);
  const { statement, payload } = await generateProvenance({
    ...toGenerateOptions(flags, io),
    whileHashing: flags.format === 'sigstore' ? preloadSigning : undefined,
  });
  const { signedBy } = await signAndWrite(payload, signing, flags);
  if (flags.statementOut) await writeFileAtomic(flags.statementOut, payload);
  io.stderr(`wrote ${flags.out}: ${statement.subject.length} subject(s), signed ${signedBy}\n`);
  return EXIT.OK;
}
