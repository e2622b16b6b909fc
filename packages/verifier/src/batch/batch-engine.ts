import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { type LoadedAttestation, MAX_BUNDLE_BYTES, ProvenantError, type SubjectAlgorithm, digestBytes, digestFile, isProvenantError } from '@provenant/core/verification';
import type { VerifiedSigner } from '../checks/signature.ts';
import type { ArtifactDigests } from '../checks/subject.ts';
import type { AdvisoryIndex } from '../dependencies/advisory-index.ts';
import type { Finding } from '../finding.ts';
import { type BuildLevel, computeBuildLevel } from '../level/build-level.ts';
import { parseAttestationText } from '../load-attestations.ts';
import type { Policy } from '../policy.ts';
import { type TrustOptions, createTrust } from '../trust.ts';
import { verifyAttestation } from '../verify-attestation.ts';
import type { SourceRef } from '../view/provenance-view.ts';
import { candidateDigests } from './candidate-digests.ts';

/**
 * What every executor (the main thread and each worker) is built from. Plain data, so that it
 * crosses to a worker by structured clone: trust as createTrust options (PEM text or KeyObjects,
 * parsed trusted roots), rebuilt once per executor.
 */
export interface BatchSetup {
  trust: TrustOptions;
  policy: Policy;
  /** The verification time, epoch milliseconds: the same for every artifact of a batch. */
  now: number;
  advisories?: AdvisoryIndex;
}

/** The verification of one attestation against one artifact its subjects name. */
export interface AttestationOutcome {
  /** Index of the artifact in the batch. */
  artifact: number;
  /** The attestation file, and the attestation's position in it (JSON Lines hold several). */
  bundle: string;
  position: number;
  ok: boolean;
  findings: Finding[];
  signer?: VerifiedSigner;
  predicateType?: string;
  builderId?: string;
  source?: SourceRef;
  /** The name of the subject that matched the artifact. */
  subjectName?: string;
  level: BuildLevel;
}

/** An attestation file that could not be read at all (not a finding: it is about no artifact we know). */
export interface UnreadableBundle {
  path: string;
  code: string;
  message: string;
}

/** A unit of work sent to an executor. */
export type BatchJob =
  | { kind: 'hash'; items: { artifact: number; path: string }[]; algorithms: SubjectAlgorithm[] }
  | { kind: 'artifacts'; digests: (ArtifactDigests | undefined)[] }
  | { kind: 'verify'; bundles: string[] };

/** What an executor returns for a job. */
export type BatchJobResult =
  | { kind: 'hash'; hashed: { artifact: number; digest?: ArtifactDigests; error?: { code: string; message: string } }[] }
  | { kind: 'artifacts' }
  | { kind: 'verify'; outcomes: AttestationOutcome[]; unreadable: UnreadableBundle[]; attestations: number };

/** Runs batch jobs with trust built once. One per executor; the same code in every thread. */
export interface BatchEngine {
  run(job: BatchJob): Promise<BatchJobResult>;
}

/**
 * Verification is bundle by bundle: each attestation file is read and parsed once, its claimed
 * subjects are looked up among the artifacts' digests (sent once with an `artifacts` job), and it
 * is verified against each artifact it names. An artifact no attestation names gets no outcome.
 */
export function createBatchEngine(setup: BatchSetup): BatchEngine {
  const trust = createTrust(setup.trust);
  const now = new Date(setup.now);
  const options = setup.advisories === undefined ? {} : { advisories: setup.advisories };
  // Set by an `artifacts` job; until then (or after one that failed) a verify job is refused, never run against nothing.
  let artifacts: (ArtifactDigests | undefined)[] | undefined;
  let byDigest = new Map<string, number[]>();

  const verifyBundle = (path: string, digests: readonly (ArtifactDigests | undefined)[], out: Extract<BatchJobResult, { kind: 'verify' }>): void => {
    let loaded: LoadedAttestation[];
    try {
      loaded = readBundleSync(path);
    } catch (err) {
      out.unreadable.push({ path, code: isProvenantError(err) ? err.code : 'FILE_UNREADABLE', message: (err as Error).message });
      return;
    }
    out.attestations += loaded.length;
    loaded.forEach((att, position) => {
      const matched = new Set<number>();
      for (const key of candidateDigests(att)) for (const i of byDigest.get(key) ?? []) matched.add(i);
      for (const artifact of [...matched].sort((a, b) => a - b)) {
        const result = verifyAttestation(att, digests[artifact]!, trust, setup.policy, now, options);
        const outcome: AttestationOutcome = { artifact, bundle: path, position, ok: result.ok, findings: result.findings, level: computeBuildLevel(result, setup.policy).level };
        if (result.signer !== undefined) outcome.signer = result.signer;
        if (result.view !== undefined) {
          outcome.predicateType = result.view.predicateType;
          if (result.view.builderId !== undefined) outcome.builderId = result.view.builderId;
          if (result.view.source !== undefined) outcome.source = result.view.source;
        }
        const subjectName = result.subjects[0]?.name;
        if (subjectName !== undefined) outcome.subjectName = subjectName;
        out.outcomes.push(outcome);
      }
    });
  };

  return {
    async run(job: BatchJob): Promise<BatchJobResult> {
      switch (job.kind) {
        case 'artifacts': {
          artifacts = undefined;
          byDigest = indexDigests(job.digests);
          artifacts = job.digests;
          return { kind: 'artifacts' };
        }
        case 'hash': {
          const hashed: Extract<BatchJobResult, { kind: 'hash' }>['hashed'] = [];
          // One at a time: the thread has nothing else to do, and concurrent streaming hashes each allocate their own buffers.
          for (const { artifact, path } of job.items) {
            try {
              hashed.push({ artifact, digest: await hashFile(path, job.algorithms) });
            } catch (err) {
              const code = isProvenantError(err) ? err.code : 'FILE_UNREADABLE';
              hashed.push({ artifact, error: { code, message: isProvenantError(err) ? err.message : `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` } });
            }
          }
          return { kind: 'hash', hashed };
        }
        case 'verify': {
          if (artifacts === undefined) throw new ProvenantError('INTERNAL', 'a verify job before the artifacts it is verified against');
          const out: Extract<BatchJobResult, { kind: 'verify' }> = { kind: 'verify', outcomes: [], unreadable: [], attestations: 0 };
          for (const path of job.bundles) verifyBundle(path, artifacts, out);
          return out;
        }
      }
    },
  };
}

/** `alg:hex` → the artifacts with that digest (several when files are identical). */
export function indexDigests(digests: readonly (ArtifactDigests | undefined)[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  digests.forEach((digest, i) => {
    for (const [alg, hex] of Object.entries(digest ?? {})) {
      const key = `${alg}:${hex.toLowerCase()}`;
      const list = index.get(key);
      if (list === undefined) index.set(key, [i]);
      else list.push(i);
    }
  });
  return index;
}

/** Files up to this size are read whole and hashed in memory; larger ones are streamed. */
const READ_WHOLE_BYTES = 8 * 1024 * 1024;

/** A file's digests: read whole when small (most artifacts), streamed when large. */
async function hashFile(path: string, algorithms: readonly SubjectAlgorithm[]): Promise<ArtifactDigests> {
  const whole = readRegularFileSync(path, READ_WHOLE_BYTES);
  if (whole.bytes !== undefined) return digestBytes(whole.bytes, algorithms);
  return (await digestFile(path, algorithms)).digest;
}

/**
 * Reads an attestation file synchronously: an executor does nothing else meanwhile, and small
 * files read faster without the thread pool. Size-capped before reading, as readAttestationFile.
 */
function readBundleSync(path: string): LoadedAttestation[] {
  const { bytes, size } = readRegularFileSync(path, MAX_BUNDLE_BYTES);
  if (bytes === undefined) throw new ProvenantError('FILE_TOO_LARGE', `${path} is ${size} bytes; bundles over ${MAX_BUNDLE_BYTES} bytes are refused`);
  return parseAttestationText(bytes.toString('utf8'), path);
}

/**
 * A regular file's bytes when it is at most `limit` bytes long (its size either way), through one
 * descriptor: the size checked is that of the file read, and a batch of thousands of small files
 * pays one path lookup each instead of two (stat, then readFile). Opened non-blocking, so that a
 * FIFO among the files is refused instead of waiting for a writer.
 */
function readRegularFileSync(path: string, limit: number): { bytes?: Buffer; size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ProvenantError('FILE_UNREADABLE', `not a regular file: ${path}`);
    if (st.size > limit) return { size: st.size };
    const bytes = Buffer.allocUnsafe(st.size);
    let read = 0;
    while (read < st.size) {
      const n = readSync(fd, bytes, read, st.size - read, read);
      if (n === 0) break; // shrank since fstat: what is there is what there is
      read += n;
    }
    return { bytes: read === st.size ? bytes : bytes.subarray(0, read), size: st.size };
  } catch (err) {
    if (isProvenantError(err)) throw err;
    throw new ProvenantError('FILE_UNREADABLE', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  } finally {
    closeSync(fd);
  }
}
