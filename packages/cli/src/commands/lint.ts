import { readFile, stat } from 'node:fs/promises';
import { MAX_BUNDLE_BYTES, ProvenantError } from '@provenant/core';
import { type LintIssue, lintText } from '@provenant/verifier';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';

/** `provenant lint FILE`: exit 0 without errors (warnings allowed), 1 with any error, 2 when the file cannot be read as an attestation. */
export async function run(file: string, flags: { json?: boolean }, _cmd: unknown, io: Io): Promise<number> {
  const issues = lintText(await readCapped(file), file);
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  if (flags.json) io.stdout(`${JSON.stringify({ ok: errors === 0, errors, warnings, issues }, null, 2)}\n`);
  else io.stdout(render(file, issues, errors, warnings));
  return errors === 0 ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

function render(file: string, issues: readonly LintIssue[], errors: number, warnings: number): string {
  if (issues.length === 0) return `no problems in ${file}\n`;
  const lines = issues.map((i) => `${i.severity.padEnd(8)} ${i.code}: ${i.message}${i.path ? ` (at ${i.path})` : ''}`);
  lines.push(`${issues.length} problem${issues.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}) in ${file}`);
  return `${lines.join('\n')}\n`;
}

/** The file's bytes (not text: lint reports a file that is not UTF-8), refused over the bundle size limit before reading. */
async function readCapped(path: string): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ProvenantError('FILE_UNREADABLE', `not a regular file: ${path}`);
    if (info.size > MAX_BUNDLE_BYTES) throw new ProvenantError('FILE_TOO_LARGE', `${path} is ${info.size} bytes; attestations over ${MAX_BUNDLE_BYTES} bytes are refused`);
    return await readFile(path);
  } catch (err) {
    if (err instanceof ProvenantError) throw err;
    throw new ProvenantError('FILE_UNREADABLE', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
  }
}
