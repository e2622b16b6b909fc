import { readAttestationFile } from '@provenant/core';
import { type AttestationSummary, inspectAttestation } from '@provenant/verifier';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';

const MAX_SUBJECTS_SHOWN = 10;

export async function run(bundlePath: string, flags: { json?: boolean }, _cmd: unknown, io: Io): Promise<number> {
  const summaries = (await readAttestationFile(bundlePath)).map(inspectAttestation);
  if (flags.json) {
    io.stdout(`${JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2)}\n`);
  } else {
    io.stdout(summaries.map((s, i) => render(s, summaries.length > 1 ? i : undefined)).join('\n'));
  }
  return EXIT.OK;
}

function render(s: AttestationSummary, index: number | undefined): string {
  const lines: string[] = [];
  if (index !== undefined) lines.push(`attestation ${index}`);
  lines.push('NOT VERIFIED: what the attestation claims (run `provenant verify` to check it)');
  lines.push(`  signed with   ${s.signedWith}${s.keyHints.length > 0 ? ` (key ${s.keyHints.join(', ')})` : ''}, ${s.signatureCount} signature(s)`);
  if (s.payloadType) lines.push(`  payload type  ${s.payloadType}`);
  const v = s.view;
  if (v) {
    lines.push(`  predicate     ${v.predicateType}`);
    // A directory attested whole can have thousands of subjects; --json has them all.
    const shown = v.subjects.slice(0, MAX_SUBJECTS_SHOWN);
    for (const subject of shown) {
      const digest = Object.entries(subject.digest).map(([alg, hex]) => `${alg}:${hex}`).join(' ');
      lines.push(`  subject       ${subject.name ?? '(unnamed)'} ${digest}`);
    }
    if (v.subjects.length > shown.length) lines.push(`  ...           and ${v.subjects.length - shown.length} more subjects (--json lists all)`);
    if (v.builderId) lines.push(`  builder       ${v.builderId}`);
    if (v.buildType) lines.push(`  build type    ${v.buildType}`);
    if (v.source) lines.push(`  source        ${v.source.uri}${v.source.ref ? ` @ ${v.source.ref}` : ''}${v.source.commit ? ` (${v.source.commit})` : ''}`);
    if (v.invocationId) lines.push(`  invocation    ${v.invocationId}`);
    if (v.startedOn || v.finishedOn) lines.push(`  built         ${v.startedOn ?? '?'} .. ${v.finishedOn ?? '?'}`);
    lines.push(`  dependencies  ${v.dependencies.length}`);
  }
  for (const f of s.findings) lines.push(`  ${f.code}: ${f.message}`);
  return `${lines.join('\n')}\n`;
}
