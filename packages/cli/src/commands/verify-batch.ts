import { ProvenantError } from '@provenant/core/verification';
import {
  type AdvisoryIndex,
  type BatchItem,
  type BatchReport,
  type BatchWorkers,
  type Policy,
  type TrustOptions,
  readTrustRecordFile,
  resolveBatchTargets,
  verifyBatch,
  writeTrustRecordFile,
} from '@provenant/verifier/verify';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';

/** The `verify` flags `--batch` reads (see main.ts). */
export interface BatchFlags {
  bundle?: string;
  attestations?: string;
  trustRecord?: string;
  vsa?: boolean;
  vsaOut?: string;
  json?: boolean;
}

/** Trust as options (each worker thread rebuilds it), the policy and advisories, as `verify` built them from the flags. */
export interface BatchContext {
  trust: TrustOptions;
  policy: Policy;
  advisories?: AdvisoryIndex;
  /** Worker threads started ahead (verify.ts); the caller closes them. */
  workers?: BatchWorkers;
  /** --jobs, read with parseJobs. */
  threads?: number;
}

/** `--jobs N`: threads for the batch, a whole number from 1 to 256 (USAGE otherwise); undefined without it. */
export function parseJobs(jobs: string | undefined): number | undefined {
  if (jobs === undefined) return undefined;
  const threads = Number(jobs);
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 256)) throw new ProvenantError('USAGE', `--jobs: expected a whole number from 1 to 256, got ${jobs}`);
  return threads;
}

/**
 * `provenant verify --batch DIR|GLOB|MANIFEST --attestations DIR`: every artifact against the
 * attestations that name it, over the machine's cores; one report (a table, or `--json`); exit 1
 * when any artifact fails. With `--trust-record FILE`, weakened provenance fails and the record is
 * updated (atomically) only when every artifact passed.
 */
export async function runBatch(spec: string, flags: BatchFlags, context: BatchContext, io: Io): Promise<number> {
  if (flags.bundle !== undefined) throw new ProvenantError('USAGE', '--batch finds each artifact\'s attestations in --attestations DIR: --bundle is for one artifact');
  if (flags.attestations === undefined) throw new ProvenantError('USAGE', '--batch needs --attestations DIR: the attestations to find by digest');
  if (flags.vsa === true || flags.vsaOut !== undefined) throw new ProvenantError('USAGE', '--vsa and --vsa-out verify or write one artifact\'s VSA: not with --batch');
  const threads = context.threads;
  const artifacts = await resolveBatchTargets(spec, { cwd: process.cwd(), exclude: [flags.attestations] });
  const trustRecord = flags.trustRecord === undefined ? undefined : await readTrustRecordFile(flags.trustRecord);
  const report = await verifyBatch({
    artifacts,
    attestations: flags.attestations,
    trust: context.trust,
    policy: context.policy,
    compileCache: true,
    ...(context.workers === undefined ? {} : { workers: context.workers }),
    ...(context.advisories === undefined ? {} : { advisories: context.advisories }),
    ...(threads === undefined ? {} : { threads }),
    ...(trustRecord === undefined ? {} : { trustRecord }),
  });
  if (flags.trustRecord !== undefined && report.trustRecord !== undefined) await writeTrustRecordFile(flags.trustRecord, report.trustRecord);
  io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderTable(report));
  return report.ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

/** One line per artifact (`PASSED L2 name  detail`), a finding per line under a failed one, then a summary. */
export function renderTable(report: BatchReport): string {
  const width = Math.min(60, Math.max(8, ...report.items.map((i) => i.name.length)));
  const lines: string[] = [];
  for (const item of report.items) {
    lines.push(`${item.ok ? 'PASSED' : 'FAILED'}  L${item.level}  ${item.name.padEnd(width)}  ${detail(item)}`);
    if (!item.ok) for (const f of item.findings) lines.push(`        ${f.code}: ${f.message}${f.path ? ` (at ${f.path})` : ''}`);
  }
  for (const u of report.unreadable) lines.push(`skipped ${u.path}: ${u.code}: ${u.message.split('\n')[0]}`);
  lines.push(
    `${report.items.length} artifact${report.items.length === 1 ? '' : 's'}: ${report.passed} passed, ${report.failed} failed ` +
      `(${report.attestationCount} attestation${report.attestationCount === 1 ? '' : 's'} in ${report.attestationFiles} file${report.attestationFiles === 1 ? '' : 's'}, ${report.threads} thread${report.threads === 1 ? '' : 's'})`,
  );
  return `${lines.join('\n')}\n`;
}

function detail(item: BatchItem): string {
  if (item.error !== undefined) return `${item.error.code}: ${item.error.message}`;
  if (!item.ok) return item.attestations.length === 0 ? 'no attestation' : `${item.attestations.length} attestation${item.attestations.length === 1 ? '' : 's'}, none passed`;
  const signer = item.signer?.kind === 'key' ? `key ${item.signer.keyId.slice(0, 16)}` : item.signer?.kind === 'certificate' ? (item.signer.identity.subjectAlternativeName ?? '(no SAN)') : '';
  return [item.passedBy, signer, item.builderId].filter(Boolean).join('  ');
}
