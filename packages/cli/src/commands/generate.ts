import { writeFileAtomic } from '@provenant/core';
import { generateProvenance } from '@provenant/generator';
import { type CollectFlags, toGenerateOptions } from '../collect-options.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';

export async function run(flags: CollectFlags & { out?: string }, _cmd: unknown, io: Io): Promise<number> {
  const { payload } = await generateProvenance(toGenerateOptions(flags, io));
  if (flags.out) {
    await writeFileAtomic(flags.out, payload);
    io.stderr(`wrote ${flags.out}\n`);
  } else {
    io.stdout(`${payload.toString('utf8')}\n`);
  }
  return EXIT.OK;
}
