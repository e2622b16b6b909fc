import { resolve } from 'node:path';
import { type LoadedAttestation, MAX_BUNDLE_BYTES, ProvenantError } from '@provenant/core';
import type { ArtifactDigests } from '../checks/subject.ts';
import type { AdvisoryIndex } from '../dependencies/advisory-index.ts';
import type { Finding } from '../finding.ts';
import { parseAttestationText } from '../load-attestations.ts';
import type { Policy } from '../policy.ts';
import type { TrustMaterial } from '../trust.ts';
import type { VerifyResult } from '../verify-attestation.ts';
import { verify } from '../verify.ts';
import { download } from './download.ts';
import { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_ARTIFACT_BYTES, DEFAULT_MAX_REDIRECTS } from './fetch-limits.ts';
import { StagedFile } from './staged-file.ts';
import { displayUrl, sidecarUrls, urlProblem } from './url-policy.ts';

/** The finding codes fetchVerified adds to verify's (to be merged into FINDING_CODES). */
export const FETCH_FINDING_CODES = ['ATTESTATION_NOT_FOUND'] as const;

/** A reason a fetch was refused after the transfer worked: verify's findings, or no attestation at all. */
export type FetchFinding = Omit<Finding, 'code'> & { code: Finding['code'] | (typeof FETCH_FINDING_CODES)[number] };

/** Input of fetchVerified. */
export interface FetchVerifiedOptions {
  /** The artifact's URL: https, or plain http to a loopback host (or with allowInsecure). */
  url: string;
  /** Where the verified artifact is written. An existing file is replaced only once verification passes. */
  out: string;
  /** The attestation's URL. Default: the sidecars `URL.sigstore.json`, then `URL.intoto.jsonl`. */
  bundleUrl?: string;
  trust: TrustMaterial;
  policy: Policy;
  /** Longest wait for a response or the next chunk of one, in ms (an idle timer). Default 60 s. */
  timeoutMs?: number;
  /** Largest accepted artifact, in bytes. Default 4 GiB. Attestations are capped at 64 MiB. */
  maxBytes?: number;
  /** Redirects followed per download. Default 5. */
  maxRedirects?: number;
  /** Allow plain http to hosts that are not loopback. Default false. */
  allowInsecure?: boolean;
  /** The verification time; defaults to the current time. */
  now?: Date;
  /** The fetch implementation; default globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** Stops the fetch (SIGINT): the temporary file is removed and DOWNLOAD_FAILED thrown. */
  signal?: AbortSignal;
  /** OSV advisories to check the dependencies against, as for verify. */
  advisories?: AdvisoryIndex;
  /** Mode of the written file. Default 0o644 (the temporary file is 0o600 until verified). */
  mode?: number;
}

/** What fetchVerified did. */
export interface FetchResult {
  /** True when the artifact verified and now sits at `path`. */
  ok: boolean;
  /** The written file (absolute); set only when ok. */
  path?: string;
  /** The artifact URL as given. */
  url: string;
  /** The attestation URL that answered (display form: no credentials, no query). */
  attestationUrl?: string;
  /** Bytes downloaded and their digests; set once the artifact was downloaded. */
  size?: number;
  digests?: ArtifactDigests;
  /** Why it was refused; empty when ok. */
  findings: FetchFinding[];
  /** The verification, when one ran (its findings are `findings`). */
  verification?: VerifyResult;
}

/**
 * Downloads an artifact and its attestation, verifies the artifact (as its computed digests)
 * with verify, and only then moves it to `out`. Nothing is left at `out` or beside it on any
 * failure: the artifact is written to a temporary file next to `out`, removed unless verified.
 *
 * A verification that fails, or an attestation that is not there (404/410 at every candidate
 * URL), is a result with findings (`ok: false`); the artifact is then not downloaded at all when
 * the attestation is missing. Everything else throws ProvenantError: USAGE (a URL that may not be
 * fetched), DOWNLOAD_FAILED, DOWNLOAD_STALLED, TOO_MANY_REDIRECTS, FILE_TOO_LARGE,
 * BUNDLE_MALFORMED (an attestation that does not parse), OUTPUT_UNWRITABLE.
 */
export async function fetchVerified(options: FetchVerifiedOptions): Promise<FetchResult> {
  const allowInsecure = options.allowInsecure === true;
  const artifactUrl = fetchableUrl(options.url, 'URL', allowInsecure);
  const candidates = options.bundleUrl === undefined ? sidecarUrls(artifactUrl) : [fetchableUrl(options.bundleUrl, '--bundle-url', allowInsecure)];
  const transfer = {
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: positive(options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS, 'timeout'),
    maxRedirects: nonNegative(options.maxRedirects ?? DEFAULT_MAX_REDIRECTS, 'maxRedirects'),
    allowInsecure,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const maxBytes = positive(options.maxBytes ?? DEFAULT_MAX_ARTIFACT_BYTES, 'maxBytes');

  const found = await fetchAttestations(candidates, transfer);
  if (found === undefined) {
    const tried = candidates.map(displayUrl).join(', ');
    return { ok: false, url: options.url, findings: [{ code: 'ATTESTATION_NOT_FOUND', message: `no attestation at ${tried}`, expected: tried }] };
  }

  const out = resolve(options.out);
  const staged = await StagedFile.create(out);
  try {
    const outcome = await download(artifactUrl, { ...transfer, maxBytes, what: 'artifact' }, (chunk) => staged.write(chunk));
    // Without missingIsResult a 404 throws: only a finished download gets here.
    const bytes = outcome.kind === 'done' ? outcome.bytes : 0;
    const digests = await staged.finish();
    const verification = await verify({
      artifact: { digest: digests },
      bundle: found.attestations,
      trust: options.trust,
      policy: options.policy,
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.advisories === undefined ? {} : { advisories: options.advisories }),
    });
    const result: FetchResult = { ok: verification.ok, url: options.url, attestationUrl: found.url, size: bytes, digests, findings: verification.findings, verification };
    if (!verification.ok) return result;
    // A Ctrl-C during verification still leaves nothing behind.
    if (options.signal?.aborted) throw new ProvenantError('DOWNLOAD_FAILED', `artifact ${displayUrl(artifactUrl)}: interrupted`);
    await staged.commit(options.mode ?? 0o644);
    return { ...result, path: out };
  } finally {
    await staged.discard();
  }
}

/** The first candidate that exists, parsed; undefined when every one is 404 or 410. */
async function fetchAttestations(candidates: readonly URL[], transfer: Omit<Parameters<typeof download>[1], 'maxBytes' | 'what'>): Promise<{ url: string; attestations: LoadedAttestation[] } | undefined> {
  for (const url of candidates) {
    const chunks: Uint8Array[] = [];
    const outcome = await download(url, { ...transfer, maxBytes: MAX_BUNDLE_BYTES, what: 'attestation', missingIsResult: true }, (chunk) => {
      chunks.push(chunk);
    });
    if (outcome.kind === 'missing') continue;
    const shown = displayUrl(outcome.url);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
    } catch {
      throw new ProvenantError('BUNDLE_MALFORMED', `${shown}: not UTF-8 text`);
    }
    return { url: shown, attestations: parseAttestationText(text, shown) };
  }
  return undefined;
}

function fetchableUrl(text: string, what: string, allowInsecure: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProvenantError('USAGE', `${what} is not a URL: ${text.slice(0, 100)}`);
  }
  const problem = urlProblem(url, allowInsecure);
  if (problem !== undefined) throw new ProvenantError('USAGE', `${what} ${displayUrl(url)}: ${problem}`);
  return url;
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new ProvenantError('USAGE', `${name} must be a positive whole number, not ${value}`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new ProvenantError('USAGE', `${name} must be a whole number of at least 0, not ${value}`);
  return value;
}
