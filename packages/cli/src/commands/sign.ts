import { readFile } from 'node:fs/promises';
import { ProvenantError, StatementV01Schema, StatementV1Schema } from '@provenant/core';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { type SignFlags, prepareSigning, signAndWrite } from '../signing.ts';

/** Statements larger than this are not provenance; refuse before reading them whole. */
const MAX_STATEMENT_BYTES = 64 * 1024 * 1024;

export async function run(statementPath: string, flags: SignFlags, _cmd: unknown, io: Io): Promise<number> {
  const signing = await prepareSigning(flags);
  const payload = await readFile(statementPath).catch((err: NodeJS.ErrnoException) => {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read ${statementPath}: ${err.code ?? 'error'}`);
  });
  if (payload.length > MAX_STATEMENT_BYTES) throw new ProvenantError('FILE_TOO_LARGE', `${statementPath} is over ${MAX_STATEMENT_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw new ProvenantError('STATEMENT_INVALID', `${statementPath} is not JSON: ${(err as Error).message}`);
  }
  const v1 = StatementV1Schema.safeParse(json);
  if (!v1.success && !StatementV01Schema.safeParse(json).success) {
    const issue = v1.error.issues[0];
    throw new ProvenantError('STATEMENT_INVALID', `${statementPath} is not an in-toto statement: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  // The file's bytes are signed as they are: re-serialising could change what the producer meant.
  const { signedBy } = await signAndWrite(payload, signing, flags);
  io.stderr(`wrote ${flags.out}, signed ${signedBy}\n`);
  return EXIT.OK;
}
