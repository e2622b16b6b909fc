import { preloadSigning, writeFileAtomic } from '@provenant/core';
import { generateProvenance } from '@provenant/generator';
import { type CollectFlags, toGenerateOptions } from '../collect-options.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { type SignFlags, loadSigningKey, signAndWrite } from '../signing.ts';

export async function run(flags: CollectFlags & SignFlags & { statementOut?: string }, _cmd: unknown, io: Io): Promise<number> {
  const key = await loadSigningKey(flags);
  const { statement, payload } = await generateProvenance({
    ...toGenerateOptions(flags, io),
    whileHashing: flags.format === 'sigstore' ? preloadSigning : undefined,
  });
  const { keyId } = await signAndWrite(payload, key, flags);
  if (flags.statementOut) await writeFileAtomic(flags.statementOut, payload);
  io.stderr(`wrote ${flags.out}: ${statement.subject.length} subject(s), signed with key ${keyId.slice(0, 16)}\n`);
  return EXIT.OK;
}
