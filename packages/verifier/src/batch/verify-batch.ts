import { availableParallelism } from 'node:os';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ProvenantError, type SubjectAlgorithm } from '@provenant/core/verification';
import type { VerifiedSigner } from '../checks/signature.ts';
import type { ArtifactDigests } from '../checks/subject.ts';
import type { AdvisoryIndex } from '../dependencies/advisory-index.ts';
import type { Finding } from '../finding.ts';
import type { BuildLevel } from '../level/build-level.ts';
import { describeSigner } from '../level/signer-constraint.ts';
import type { Policy } from '../policy.ts';
import { type TrustRecord, checkDowngrade, recordAccepted } from '../trust-record/trust-record.ts';
import type { TrustOptions } from '../trust.ts';
import type { SourceRef } from '../view/provenance-view.ts';
import { type AttestationOutcome, type BatchJob, type UnreadableBundle, createBatchEngine } from './batch-engine.ts';
import type { BatchArtifact } from './batch-targets.ts';
import { type BatchWorkers, WorkerSet } from './batch-workers.ts';
import { ExecutorPool } from './executor-pool.ts';

/** Input of verifyBatch. */
export interface VerifyBatchInput {
  artifacts: readonly BatchArtifact[];
  /** The directory of attestations (`*.json`, `*.jsonl`, below it), indexed once by the digests their subjects name. */
  attestations: string;
  /** Trust as createTrust options, rebuilt once per thread (PEM text or KeyObjects, parsed trusted roots). */
  trust: TrustOptions;
  policy: Policy;
  /** The verification time for every artifact; default: now. */
  now?: Date;
  advisories?: AdvisoryIndex;
  /**
   * Threads to use, the main thread included, exactly. Default: one per core (os.availableParallelism())
   * as far as the estimated work repays starting workers; a small batch runs on the main thread alone.
   */
  threads?: number;
  /** What was accepted last time, per artifact name: weaker provenance now is PROVENANCE_DOWNGRADE. */
  trustRecord?: TrustRecord;
  /** Worker threads enable the V8 compile cache before loading the verifier (the CLI does; a library caller opts in). */
  compileCache?: boolean;
  /**
   * Workers from startBatchWorkers to run on instead of starting new ones (and stopping them after):
   * started ahead of the batch, or kept from one batch to the next. `threads` and the work estimate
   * still decide how many of them take part.
   */
  workers?: BatchWorkers;
}

/** The verdict on one artifact. */
export interface BatchItem {
  name: string;
  path?: string;
  digest?: ArtifactDigests;
  /** True when an attestation naming it passed (and nothing weakened since the trust record). */
  ok: boolean;
  /** SLSA Build level of the passing attestation (the highest, when several pass); 0 otherwise. */
  level: BuildLevel;
  /** PROVENANCE_MISSING when no attestation names it; otherwise every attempt's findings, or PROVENANCE_DOWNGRADE. */
  findings: Finding[];
  /** The attestations that name it (`file` or `file#n` for the n-th of a JSON Lines file), relative to the attestation directory. */
  attestations: string[];
  /** The one that passed. */
  passedBy?: string;
  signer?: VerifiedSigner;
  builderId?: string;
  source?: SourceRef;
  /** The artifact could not be read. */
  error?: { code: string; message: string };
}

/** The report of a batch: one item per artifact, in the input's order. */
export interface BatchReport {
  ok: boolean;
  passed: number;
  failed: number;
  items: BatchItem[];
  /** Attestation files read, and the attestations they held. */
  attestationFiles: number;
  attestationCount: number;
  /** Attestation files that could not be read at all. */
  unreadable: UnreadableBundle[];
  /** Threads used. */
  threads: number;
  /** With `trustRecord`: the record with this batch's accepted provenance, set only when every artifact passed. */
  trustRecord?: TrustRecord;
}

/** What starting a worker thread costs (loading the verifier in it), in ms; measured 100–300 ms. */
const WORKER_START_MS = 200;
/** Estimated verification cost: per attestation file, and per MiB of attestations (parsing, schema checks). */
const MS_PER_FILE = 0.15;
const MS_PER_MIB = 10;
/** Attestation files whose size is sampled for the estimate. */
const SIZE_SAMPLE = 16;
/** Artifact files are hashed with both, so that subjects in either match. */
const HASH_ALGORITHMS: SubjectAlgorithm[] = ['sha256', 'sha512'];

/**
 * Verifies many artifacts against a directory of attestations, spread over the machine's cores.
 * Phase 1 hashes the artifact files (sha256 and sha512); phase 2 reads each attestation file once,
 * finds the artifacts its (unverified) subjects name, and verifies it against each with
 * verifyAttestation. The main thread works alongside `threads - 1` workers (its own, or `workers`), each
 * rebuilding the trust once per batch. An artifact passes when
 * one attestation naming it passes; one that none names fails with PROVENANCE_MISSING.
 * Throws ProvenantError only for unusable input (an unreadable attestation directory).
 */
export async function verifyBatch(input: VerifyBatchInput): Promise<BatchReport> {
  const bundles = await listAttestationFiles(input.attestations);
  const now = input.now ?? new Date();
  const toHash = input.artifacts.flatMap((a, artifact) => (a.digest === undefined && a.path !== undefined ? [{ artifact, path: a.path }] : []));
  const given = input.workers === undefined ? undefined : WorkerSet.of(input.workers);
  let threads = input.threads !== undefined ? Math.max(1, Math.floor(input.threads)) : await threadsFor(bundles, toHash.length);
  if (given !== undefined) threads = Math.min(threads, 1 + given.size);
  // Workers first: their start is the long pole, and building the main thread's trust (parsing
  // keys, trusted roots) can happen meanwhile.
  const own = given === undefined && threads > 1 ? new WorkerSet(threads - 1, input.compileCache === true) : undefined;
  const workers = given ?? own;
  try {
    const release = workers === undefined ? () => {} : await workers.acquire();
    try {
      const setup = { trust: input.trust, policy: input.policy, now: now.getTime(), ...(input.advisories === undefined ? {} : { advisories: input.advisories }) };
      const engine = createBatchEngine(setup);
      const pool = new ExecutorPool(engine, (workers?.alive() ?? []).slice(0, threads - 1), setup);
      try {
        return await runBatch(pool, input, bundles, toHash, now);
      } finally {
        pool.end();
      }
    } finally {
      release();
    }
  } finally {
    await own?.close();
  }
}

async function runBatch(pool: ExecutorPool, input: VerifyBatchInput, bundles: string[], toHash: { artifact: number; path: string }[], now: Date): Promise<BatchReport> {
  const threads = pool.size;
  const digests: (ArtifactDigests | undefined)[] = input.artifacts.map((a) => a.digest);
  const errors = new Map<number, { code: string; message: string }>();
  for (const result of await pool.run(toHash, (items): BatchJob => ({ kind: 'hash', items, algorithms: HASH_ALGORITHMS }))) {
    if (result.kind !== 'hash') continue;
    for (const h of result.hashed) {
      if (h.digest !== undefined) digests[h.artifact] = h.digest;
      if (h.error !== undefined) errors.set(h.artifact, h.error);
    }
  }
  const outcomes: AttestationOutcome[] = [];
  const unreadable: UnreadableBundle[] = [];
  let attestationCount = 0;
  for (const result of await pool.run(bundles, (paths): BatchJob => ({ kind: 'verify', bundles: paths }), { kind: 'artifacts', digests })) {
    if (result.kind !== 'verify') continue;
    outcomes.push(...result.outcomes);
    unreadable.push(...result.unreadable);
    attestationCount += result.attestations;
  }
  return report(input, outcomes, errors, now, { attestationFiles: bundles.length, attestationCount, unreadable: unreadable.sort((a, b) => a.path.localeCompare(b.path)), threads });
}

function report(
  input: VerifyBatchInput,
  outcomes: readonly AttestationOutcome[],
  errors: ReadonlyMap<number, { code: string; message: string }>,
  now: Date,
  meta: { attestationFiles: number; attestationCount: number; unreadable: UnreadableBundle[]; threads: number },
): BatchReport {
  // Paths below the directory as listAttestationFiles joined them: relative by slicing off the
  // directory (path.relative resolves both paths on every call), by path.relative otherwise.
  const base = join(input.attestations, sep);
  const relativeName = (path: string) => (path.startsWith(base) ? path.slice(base.length) : relative(input.attestations, path)).split('\\').join('/');
  const labels = new Map<AttestationOutcome, string>();
  const label = (o: AttestationOutcome): string => {
    let text = labels.get(o);
    if (text === undefined) {
      const rel = relativeName(o.bundle);
      text = o.position === 0 ? rel : `${rel}#${o.position}`;
      labels.set(o, text);
    }
    return text;
  };
  const byArtifact = new Map<number, AttestationOutcome[]>();
  for (const o of outcomes) {
    const list = byArtifact.get(o.artifact);
    if (list === undefined) byArtifact.set(o.artifact, [o]);
    else list.push(o);
  }
  let record = input.trustRecord;
  const items = input.artifacts.map((artifact, i): BatchItem => {
    const item: BatchItem = { name: artifact.name, ok: false, level: 0, findings: [], attestations: [] };
    if (artifact.path !== undefined) item.path = artifact.path;
    const error = errors.get(i);
    if (error !== undefined) return { ...item, error, findings: [] };
    const own = (byArtifact.get(i) ?? []).sort((a, b) => (label(a) < label(b) ? -1 : 1));
    item.attestations = own.map(label);
    const passing = own.filter((o) => o.ok).sort((a, b) => b.level - a.level)[0];
    if (passing === undefined) {
      if (own.length === 0) {
        item.findings.push({ code: 'PROVENANCE_MISSING', message: `no attestation in ${input.attestations} names this artifact's digest`, expected: 'an attestation whose subject is this artifact' });
        const downgrade = input.trustRecord && checkDowngrade(input.trustRecord, artifact.name, undefined);
        if (downgrade) item.findings.push(downgrade);
      } else {
        for (const o of own) item.findings.push(...o.findings.map((f) => (own.length === 1 ? f : { ...f, path: f.path === undefined ? label(o) : `${label(o)}: ${f.path}` })));
      }
      return item;
    }
    item.ok = true;
    item.level = passing.level;
    item.passedBy = label(passing);
    if (passing.signer !== undefined) item.signer = passing.signer;
    if (passing.builderId !== undefined) item.builderId = passing.builderId;
    if (passing.source !== undefined) item.source = passing.source;
    if (input.trustRecord === undefined) return item;
    const observed = { level: passing.level, signer: describeSigner(passing.signer), ...(passing.builderId === undefined ? {} : { builderId: passing.builderId }), ...(passing.source === undefined ? {} : { sourceUri: passing.source.uri }) };
    const downgrade = checkDowngrade(input.trustRecord, artifact.name, observed);
    if (downgrade) {
      item.ok = false;
      item.findings.push(downgrade);
    } else if (record !== undefined) record = recordAccepted(record, artifact.name, observed, now);
    return item;
  });
  const passed = items.filter((i) => i.ok).length;
  const ok = passed === items.length;
  const out: BatchReport = { ok, passed, failed: items.length - passed, items, ...meta };
  if (ok && record !== undefined) out.trustRecord = record;
  return out;
}

/**
 * Threads for a batch when the caller does not say: one per core, but only as many as the work
 * repays. With the main thread working from the start, each extra thread shortens the batch as long
 * as the work exceeds a worker's start-up; it is estimated from the number and (sampled) size of the
 * attestation files, so that a small batch never waits for workers it does not need.
 */
async function threadsFor(bundles: readonly string[], artifacts: number): Promise<number> {
  const sample = bundles.filter((_, i) => i % Math.max(1, Math.floor(bundles.length / SIZE_SAMPLE)) === 0).slice(0, SIZE_SAMPLE);
  const sizes = await Promise.all(sample.map((b) => stat(b).then((s) => s.size, () => 0)));
  const meanMiB = sizes.length === 0 ? 0 : sizes.reduce((a, b) => a + b, 0) / sizes.length / (1024 * 1024);
  const estimateMs = (bundles.length + artifacts) * MS_PER_FILE + bundles.length * meanMiB * MS_PER_MIB;
  return Math.max(1, Math.min(availableParallelism(), Math.floor(estimateMs / WORKER_START_MS)));
}

/** The attestation files below a directory: `*.json` and `*.jsonl` (Sigstore bundles, DSSE envelopes, JSON Lines), sorted. */
export async function listAttestationFiles(dir: string): Promise<string[]> {
  const info = await stat(dir).catch((err: NodeJS.ErrnoException) => {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read attestation directory ${dir}: ${err.code ?? 'error'}`);
  });
  if (!info.isDirectory()) throw new ProvenantError('FILE_UNREADABLE', `attestation directory ${dir} is not a directory`);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.jsonl?$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
