import { homedir } from 'node:os';
import { ProvenantError, parseDigestRef } from '@provenant/core/verification';
import { type TrustedRootOptions, type VerifyResult, defaultTufCachePath, loadAttestationFile, refreshTrustedRoot, startBatchWorkers, verify } from '@provenant/verifier/verify';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { type TrustPolicyFlags, readText, trustPolicyFromFlags } from '../verify-options.ts';

interface VerifyFlags extends TrustPolicyFlags {
  /** Required unless --batch (checked in run: commander cannot express it); repeatable. */
  bundle: string[];
  /** --batch, --vsa, --vsa-out and their flags: handled by verify-batch.ts and verify-vsa.ts. */
  batch?: boolean;
  jobs?: string;
  vsa?: boolean;
  vsaOut?: string;
  json?: boolean;
  tufRefresh?: boolean;
  tufMirror?: string;
  tufRoot?: string;
  tufCache?: string;
}

/** ARTIFACT that looks like a digest must be one. */
function refuseMalformedDigest(artifactArg: string): void {
  if (!parseDigestRef(artifactArg) && /^(sha\d+|md5):/i.test(artifactArg)) {
    throw new ProvenantError('DIGEST_INVALID', `ARTIFACT ${artifactArg.slice(0, 80)} looks like a digest but is not sha256/sha384/sha512 with the right length`);
  }
}

/** A TUF root.json is a few kB. */
const MAX_TUF_ROOT_BYTES = 4 * 1024 * 1024;

export async function run(artifactArg: string, flags: VerifyFlags, cmd: unknown, io: Io): Promise<number> {
  if (artifactArg.startsWith('oci://')) {
    if (flags.batch === true) throw new ProvenantError('USAGE', '--batch takes files, not an image');
    return (await import('./verify-image.ts')).run(artifactArg, flags, cmd, io);
  }
  if (flags.batch !== true && flags.bundle.length === 0) throw new ProvenantError('USAGE', "required option '--bundle <file>' not specified");
  if (flags.batch === true) {
    const { parseJobs, runBatch } = await import('./verify-batch.ts');
    const threads = parseJobs(flags.jobs);
    // The worker threads load the verifier (~0.1–0.2 s) while this thread reads the trust and the
    // policy and lists the artifacts; a small batch leaves them unused.
    const workers = startBatchWorkers({ compileCache: true, ...(threads === undefined ? {} : { threads }) });
    try {
      const { trustOptions, policy, advisories } = await trustPolicyFromFlags(flags, await refreshedRoots(flags));
      refuseMalformedDigest(artifactArg);
      const [firstBundle] = flags.bundle;
      return await runBatch(artifactArg, { ...flags, bundle: firstBundle }, { trust: trustOptions, policy, workers, ...(threads === undefined ? {} : { threads }), ...(advisories === undefined ? {} : { advisories }) }, io);
    } finally {
      await workers.close();
    }
  }
  const { trust, policy, advisories } = await trustPolicyFromFlags(flags, await refreshedRoots(flags));
  refuseMalformedDigest(artifactArg);
  const digest = parseDigestRef(artifactArg);
  const [firstBundle, ...moreBundles] = flags.bundle;
  const input = {
    artifact: digest ? { digest: { [digest.algorithm]: digest.hex } } : { path: artifactArg },
    // Several --bundle files are verified together, as the attestations of one JSON Lines file would be.
    bundle: moreBundles.length === 0 ? { path: firstBundle! } : (await Promise.all(flags.bundle.map((path) => loadAttestationFile(path)))).flat(),
    trust,
    policy,
    ...(advisories === undefined ? {} : { advisories }),
  };
  const vsa = flags.vsa === true || flags.vsaOut !== undefined;
  if (vsa && moreBundles.length > 0) throw new ProvenantError('USAGE', '--vsa and --vsa-out take one --bundle');
  const result = vsa ? await (await import('./verify-vsa.ts')).verifyWithVsa(input, artifactArg, { ...flags, bundle: firstBundle! }, io) : await verify(input);
  if (flags.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(render(result, digest ? artifactArg : undefined));
  return result.ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

/**
 * `--tuf-refresh`: the current public-good trusted root (or `--tuf-mirror`'s), fetched through TUF.
 * The only network access of `verify`, and only when asked; without it the TUF flags are refused
 * rather than ignored, so that nobody believes they refreshed when they did not.
 */
async function refreshedRoots(flags: VerifyFlags): Promise<TrustedRootOptions[]> {
  if (!flags.tufRefresh) {
    const stray = ([['--tuf-mirror', flags.tufMirror], ['--tuf-root', flags.tufRoot], ['--tuf-cache', flags.tufCache]] as const).find(([, v]) => v !== undefined);
    if (stray) throw new ProvenantError('USAGE', `${stray[0]} needs --tuf-refresh (verification is offline unless asked)`);
    return [];
  }
  // Checked here so that a missing file is FILE_UNREADABLE, not a TUF failure.
  if (flags.tufRoot !== undefined) await readText(flags.tufRoot, 'TUF root', MAX_TUF_ROOT_BYTES);
  const root = await refreshTrustedRoot({
    cachePath: flags.tufCache ?? defaultTufCachePath(process.env, process.platform, homedir()),
    ...(flags.tufMirror !== undefined ? { mirrorURL: flags.tufMirror } : {}),
    ...(flags.tufRoot !== undefined ? { rootPath: flags.tufRoot } : {}),
  });
  return [root];
}

export function render(result: VerifyResult, digestArg: string | undefined): string {
  if (!result.ok) {
    return `FAILED\n${result.findings.map((f) => `  ${f.code}: ${f.message}${f.path ? ` (at ${f.path})` : ''}\n`).join('')}`;
  }
  const lines = ['PASSED'];
  const subject = result.subjects[0];
  if (subject) lines.push(`  subject  ${subject.name ?? '(unnamed)'}${digestArg ? ` = ${digestArg}` : ''}`);
  const signer = result.signer;
  if (signer?.kind === 'key') lines.push(`  signer   key ${signer.keyId}`);
  if (signer?.kind === 'certificate') {
    const { subjectAlternativeName, issuer } = signer.identity;
    lines.push(`  signer   ${subjectAlternativeName ?? '(no SAN)'}${issuer ? ` (issuer ${issuer})` : ''}, trusted root ${signer.trustedRoot}`);
  }
  const view = result.view;
  if (view?.builderId) lines.push(`  builder  ${view.builderId}`);
  if (view?.source) lines.push(`  source   ${view.source.uri}${view.source.ref ? ` @ ${view.source.ref}` : ''}${view.source.commit ? ` (${view.source.commit})` : ''}`);
  if (view?.finishedOn ?? view?.startedOn) lines.push(`  built    ${view.finishedOn ?? view.startedOn}`);
  return `${lines.join('\n')}\n`;
}

/** Reads a file named on the command line, size-capped. */
