import { readFile } from 'node:fs/promises';
import { ProvenantError, stableStringify, writeFileAtomic } from '@provenant/core/verification';
import { type TrustRecord, emptyTrustRecord, parseTrustRecord } from './trust-record.ts';

/** Trust records hold one small entry per package; anything this large is not one. */
const MAX_TRUST_RECORD_BYTES = 64 * 1024 * 1024;

/** Reads a trust record file; a file that does not exist yet is an empty record (first use). */
export async function readTrustRecordFile(path: string): Promise<TrustRecord> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return emptyTrustRecord();
    throw new ProvenantError('FILE_UNREADABLE', `cannot read trust record ${path}: ${code ?? 'error'}`);
  }
  if (data.length > MAX_TRUST_RECORD_BYTES) throw new ProvenantError('FILE_TOO_LARGE', `trust record ${path} is over ${MAX_TRUST_RECORD_BYTES} bytes`);
  return parseTrustRecord(data.toString('utf8'), path);
}

/** Writes the record atomically (readers see the old or the new file, never a partial one), keys sorted. */
export async function writeTrustRecordFile(path: string, record: TrustRecord): Promise<void> {
  await writeFileAtomic(path, `${stableStringify(record, 2)}\n`);
}
