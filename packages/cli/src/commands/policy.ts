import { stat } from 'node:fs/promises';
import { ProvenantError, readAttestationFile, writeFileAtomic } from '@provenant/core';
import { type PolicyLintProblem, durationToMs, initPolicy, inspectAttestation, lintPolicy } from '@provenant/verifier';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { readText } from '../verify-options.ts';

/** Policy files larger than this are not policies (as `verify` reads them). */
const MAX_POLICY_BYTES = 1024 * 1024;

/** `provenant policy init --from BUNDLE [--out FILE]`: a starting policy from an attestation trusted today. */
export async function runInit(flags: { from: string; out?: string; force?: boolean; maxAge: string }, _cmd: unknown, io: Io): Promise<number> {
  if (durationToMs(flags.maxAge) === undefined) throw new ProvenantError('USAGE', `--max-age: not a duration like 30d, 12h, 90m or 3600s: ${flags.maxAge.slice(0, 40)}`);
  if (flags.out !== undefined && !flags.force && (await stat(flags.out).catch(() => undefined)) !== undefined) {
    throw new ProvenantError('USAGE', `${flags.out} exists: give --force to overwrite it`);
  }
  const [first] = await readAttestationFile(flags.from);
  const text = initPolicy(inspectAttestation(first!), { from: flags.from, now: new Date(), maxAge: flags.maxAge });
  if (flags.out === undefined) io.stdout(text);
  else {
    await writeFileAtomic(flags.out, text);
    io.stderr(`wrote ${flags.out}: review it, then check it with \`provenant policy lint ${flags.out}\`\n`);
  }
  return EXIT.OK;
}

/**
 * `provenant policy lint FILE`: parses and validates the policy without verifying anything. Prints
 * `OK`, or each problem as `file:line:col: error|warning: …`. Exit 2 on errors (the file would be
 * refused by `verify`), 0 with warnings only, unless `--strict`.
 */
export async function runLint(file: string, flags: { strict?: boolean; json?: boolean }, _cmd: unknown, io: Io): Promise<number> {
  const problems = lintPolicy(await readText(file, 'policy', MAX_POLICY_BYTES), file);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const failed = errors > 0 || (flags.strict === true && problems.length > 0);
  if (flags.json) io.stdout(`${JSON.stringify({ ok: !failed, file, problems }, null, 2)}\n`);
  else io.stdout(render(file, problems, errors));
  // The report is on stdout; the verdict is the usual one coded line on stderr.
  if (failed) io.stderr(`provenant: POLICY_INVALID: ${file}: ${errors} error(s), ${problems.length - errors} warning(s)${errors === 0 ? ' (--strict)' : ''}\n`);
  return failed ? EXIT.BAD_INPUT : EXIT.OK;
}

function render(file: string, problems: readonly PolicyLintProblem[], errors: number): string {
  const lines = problems.map((p) => `${file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`);
  const warnings = problems.length - errors;
  if (errors === 0) lines.push(warnings === 0 ? 'OK' : `OK (${warnings} warning${warnings === 1 ? '' : 's'})`);
  return `${lines.join('\n')}\n`;
}
