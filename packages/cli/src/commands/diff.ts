import { readFile, stat } from 'node:fs/promises';
import { MAX_BUNDLE_BYTES, ProvenantError, SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1, parseAttestations } from '@provenant/core';
import { type ProvenanceDiff, diffProvenance, inspectAttestation } from '@provenant/verifier';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';

/** Where a statement was read from, for the header. */
interface Read {
  statement: unknown;
  /** `statement (unsigned)`, `Sigstore bundle`, `DSSE envelope 2 of 3`, ... */
  form: string;
}

const NOT_VERIFIED = 'NOT VERIFIED: compares what the two attestations claim (run `provenant verify` on each to check them)';
const SHOWN_HEX = 16;

/**
 * `provenant diff OLD NEW [--json]`: what changed between two builds' provenance. Each file is a
 * Sigstore bundle, a DSSE envelope, JSON Lines of them (the first SLSA provenance is used) or a
 * bare statement. Nothing is verified. A changed digest at an unchanged version comes first,
 * marked `!!`. Exit status 0 whatever the differences; 2 for unreadable input.
 */
export async function run(oldPath: string, newPath: string, flags: { json?: boolean }, _cmd: unknown, io: Io): Promise<number> {
  const [before, after] = await Promise.all([readStatement(oldPath), readStatement(newPath)]);
  const diff = diffProvenance(before.statement, after.statement);
  if (flags.json) {
    io.stdout(`${JSON.stringify({ verified: false, old: { path: oldPath, form: before.form }, new: { path: newPath, form: after.form }, ...diff }, null, 2)}\n`);
  } else {
    io.stdout(render(diff, `${oldPath} (${before.form})`, `${newPath} (${after.form})`));
  }
  return EXIT.OK;
}

/** Reads a statement: a bare statement JSON, or the DSSE payload of the first SLSA provenance attestation. */
async function readStatement(path: string): Promise<Read> {
  const size = await stat(path).then(
    (st) => {
      if (!st.isFile()) throw new ProvenantError('FILE_UNREADABLE', `not a regular file: ${path}`);
      return st.size;
    },
    (err: NodeJS.ErrnoException) => {
      throw new ProvenantError('FILE_UNREADABLE', `cannot read ${path}: ${err.code ?? 'error'}`);
    },
  );
  if (size > MAX_BUNDLE_BYTES) throw new ProvenantError('FILE_TOO_LARGE', `${path} is ${size} bytes; files over ${MAX_BUNDLE_BYTES} bytes are refused`);
  const text = await readFile(path, 'utf8');
  const bare = tryJson(text);
  if (bare !== null && typeof bare === 'object' && typeof (bare as { _type?: unknown })._type === 'string') return { statement: bare, form: 'statement, unsigned' };

  const attestations = parseAttestations(text, path);
  const summaries = attestations.map(inspectAttestation);
  const index = summaries.findIndex((s) => s.view?.predicateType === SLSA_PROVENANCE_V1 || s.view?.predicateType === SLSA_PROVENANCE_V02);
  if (index < 0) {
    const why = summaries[0]?.findings[0]?.message ?? `predicate type ${summaries[0]?.view?.predicateType}`;
    throw new ProvenantError('STATEMENT_INVALID', `${path}: no SLSA provenance in ${attestations.length === 1 ? 'the attestation' : `any of ${attestations.length} attestations`} (${why})`);
  }
  const att = attestations[index]!;
  const kind = att.kind === 'bundle' ? 'Sigstore bundle' : 'DSSE envelope';
  return { statement: summaries[index]!.statement, form: attestations.length > 1 ? `${kind} ${index + 1} of ${attestations.length}` : kind };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The diff for people: the alarming part first, then dependencies, then the build. */
export function render(diff: ProvenanceDiff, oldLabel: string, newLabel: string): string {
  const lines = [NOT_VERIFIED, `old  ${oldLabel}`, `new  ${newLabel}`, ''];
  for (const c of diff.dependencies.digestChanged) {
    const at = `${c.package}@${c.version}`;
    if (c.kind === 'mismatch') {
      const algs = c.algorithms.map((alg) => `${alg} ${short(c.old[alg])} -> ${short(c.new[alg])}`).join(', ');
      lines.push(`!! ${at}: same version, different digest (${algs})`);
    } else lines.push(`!! ${at}: no digest any more (had ${c.algorithms.join(', ')})`);
  }
  if (diff.dependencies.digestChanged.length > 0) lines.push('');
  if (!diff.changed) return `${[...lines, 'no differences'].join('\n')}\n`;

  const d = diff.dependencies;
  const counts = [`${d.added.length} added`, `${d.removed.length} removed`, `${d.versionChanged.length} version change(s)`, `${d.digestChanged.length} digest change(s)`];
  lines.push(`dependencies  ${counts.join(', ')}`);
  for (const a of d.added) lines.push(`  + ${a.uri}`);
  for (const r of d.removed) lines.push(`  - ${r.uri}`);
  for (const v of d.versionChanged) lines.push(`  ~ ${v.package} ${v.from || '(none)'} -> ${v.to || '(none)'}`);

  const value = (label: string, change: { old?: string; new?: string } | undefined) => {
    if (change) lines.push(`${label.padEnd(13)} ${change.old ?? '(none)'} -> ${change.new ?? '(none)'}`);
  };
  value('predicate', diff.predicateType);
  value('builder', diff.builder);
  value('build type', diff.buildType);
  value('source', diff.source.uri);
  value('source ref', diff.source.ref);
  value('source commit', diff.source.commit);
  diff.environment.forEach((e, i) => {
    lines.push(`${(i === 0 ? 'environment' : '').padEnd(13)} ${e.key} ${e.old ?? '(none)'} -> ${e.new ?? '(none)'}`);
  });
  return `${lines.join('\n')}\n`;
}

function short(hex: string | undefined): string {
  if (hex === undefined) return '(none)';
  return hex.length > SHOWN_HEX ? `${hex.slice(0, SHOWN_HEX)}…` : hex;
}
