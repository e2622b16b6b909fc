import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ProvenantError } from '@provenant/core';
import { formatPath } from '../issue-path.ts';
import { type AdvisoryIndex, buildAdvisoryIndex } from './advisory-index.ts';
import { type OsvRecord, OsvRecordSchema } from './osv-record.ts';

/** One OSV record is a few kB; the largest real ones (long `versions` lists) stay far below this. */
export const MAX_ADVISORY_FILE_BYTES = 8 * 1024 * 1024;
/** Enough for a full per-ecosystem OSV export (npm's, malicious-package records included). */
export const MAX_ADVISORY_FILES = 500_000;
export const MAX_ADVISORY_TOTAL_BYTES = 2 * 1024 * 1024 * 1024;
/** github/advisory-database nests records 4 deep (advisories/github-reviewed/2021/05/GHSA-…/). */
const MAX_DEPTH = 8;
const READ_CONCURRENCY = 32;

/**
 * Reads a directory of OSV records (one JSON record per `*.json` file, in subdirectories too, as
 * the osv.dev exports and github/advisory-database lay them out) and indexes them. Symlinks are
 * not followed; other files are ignored. The I/O edge of advisory matching: everything after it
 * (matchAdvisories, checkDependencies) is pure.
 *
 * @throws ProvenantError FILE_UNREADABLE (the directory or a file cannot be read), FILE_TOO_LARGE
 * (a file over MAX_ADVISORY_FILE_BYTES, or the directory over MAX_ADVISORY_FILES files or
 * MAX_ADVISORY_TOTAL_BYTES), POLICY_INVALID (`<file>: <what is wrong>` for a file that is not JSON
 * or not an OSV record: advisories are policy input, and a silently skipped one would hide a
 * vulnerability).
 */
export async function loadAdvisories(dir: string): Promise<AdvisoryIndex> {
  const files: { path: string; size: number }[] = [];
  await walk(dir, dir, 0, files);
  let total = 0;
  for (const f of files) {
    total += f.size;
    if (total > MAX_ADVISORY_TOTAL_BYTES) throw new ProvenantError('FILE_TOO_LARGE', `advisories ${dir}: more than ${MAX_ADVISORY_TOTAL_BYTES} bytes of records`);
  }
  const records: OsvRecord[] = new Array(files.length);
  for (let start = 0; start < files.length; start += READ_CONCURRENCY) {
    await Promise.all(
      files.slice(start, start + READ_CONCURRENCY).map(async (f, i) => {
        records[start + i] = await readRecord(f.path, relative(dir, f.path) || f.path);
      }),
    );
  }
  return buildAdvisoryIndex(records);
}

async function walk(root: string, dir: string, depth: number, out: { path: string; size: number }[]): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read advisory directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
  }
  // Sorted, so records are indexed (and duplicates reported) in the same order on every machine.
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const st = await lstat(path).catch((err: NodeJS.ErrnoException) => {
      throw new ProvenantError('FILE_UNREADABLE', `cannot read advisory ${relative(root, path)}: ${err.code ?? 'error'}`, { cause: err });
    });
    if (st.isDirectory()) {
      if (depth < MAX_DEPTH) await walk(root, path, depth + 1, out);
    } else if (st.isFile() && name.endsWith('.json')) {
      if (st.size > MAX_ADVISORY_FILE_BYTES) throw new ProvenantError('FILE_TOO_LARGE', `advisory ${relative(root, path)} is ${st.size} bytes, over the ${MAX_ADVISORY_FILE_BYTES}-byte limit`);
      out.push({ path, size: st.size });
      if (out.length > MAX_ADVISORY_FILES) throw new ProvenantError('FILE_TOO_LARGE', `advisories ${root}: more than ${MAX_ADVISORY_FILES} records`);
    }
  }
}

async function readRecord(path: string, shown: string): Promise<OsvRecord> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read advisory ${shown}: ${err.code ?? 'error'}`, { cause: err });
  });
  return parseOsvRecord(text, shown);
}

/**
 * Parses and validates the text of one OSV record. Pure.
 * @throws ProvenantError POLICY_INVALID with `<source>: <what is wrong>`.
 */
export function parseOsvRecord(text: string, source: string): OsvRecord {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new ProvenantError('POLICY_INVALID', `advisory ${source}: not JSON (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = OsvRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = formatPath(issue.path);
    throw new ProvenantError('POLICY_INVALID', `advisory ${source}: not an OSV record: ${where ? `${where}: ` : ''}${issue.message}`);
  }
  return parsed.data;
}
