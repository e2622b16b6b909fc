import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { ProvenantError, parseDigestRef } from '@provenant/core';
import {
  type Policy,
  type TrustOptions,
  type TrustedRootOptions,
  type VerifyResult,
  createTrust,
  defaultTufCachePath,
  durationToMs,
  loadAdvisories,
  loadAttestationFile,
  parsePolicy,
  parseTrustedRootText,
  refreshTrustedRoot,
  verify,
} from '@provenant/verifier';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { type IdentityFlags, identityFromFlags } from './sigstore-identity.ts';
import { type SlsaVerifierFlags, applySlsaVerifierFlags } from './slsa-verifier-flags.ts';

interface VerifyFlags extends IdentityFlags, SlsaVerifierFlags {
  /** Required unless --batch (checked in run: commander cannot express it); repeatable. */
  bundle: string[];
  /** --batch, --vsa, --vsa-out and their flags: handled by verify-batch.ts and verify-vsa.ts. */
  batch?: boolean;
  vsa?: boolean;
  vsaOut?: string;
  key: string[];
  policy?: string;
  sourceRef: string[];
  buildType: string[];
  predicateType: string[];
  minBundleVersion?: string;
  maxAge?: string;
  advisories?: string;
  json?: boolean;
  tufRefresh?: boolean;
  tufMirror?: string;
  tufRoot?: string;
  tufCache?: string;
}

/** Policy files larger than this are not policies. */
const MAX_POLICY_BYTES = 1024 * 1024;
/** Trusted roots are a few kB; GitHub's, with years of CAs, under 100 kB. */
const MAX_TRUSTED_ROOT_BYTES = 4 * 1024 * 1024;

export async function run(artifactArg: string, flags: VerifyFlags, _cmd: unknown, io: Io): Promise<number> {
  if (flags.batch !== true && flags.bundle.length === 0) throw new ProvenantError('USAGE', "required option '--bundle <file>' not specified");
  const policy = await buildPolicy(flags);
  const keys = await Promise.all(flags.key.map((path) => readText(path, 'key')));
  const trustedRoots = [...(await readTrustedRoots(flags.trustedRoot)), ...(await refreshedRoots(flags))];
  // The public-good root is the default only when someone is trusted keyless: a root alone trusts no one.
  const keyless = (policy.identities?.length ?? 0) > 0 || policy.githubBuilder !== undefined;
  const trustOptions: TrustOptions = { publicKeys: keys, trustedRoots: trustedRoots.length > 0 ? trustedRoots : keyless ? ['public-good'] : [] };
  const trust = createTrust(trustOptions);
  const digest = parseDigestRef(artifactArg);
  if (!digest && /^(sha\d+|md5):/i.test(artifactArg)) {
    throw new ProvenantError('DIGEST_INVALID', `ARTIFACT ${artifactArg.slice(0, 80)} looks like a digest but is not sha256/sha384/sha512 with the right length`);
  }
  const advisoryDir = flags.advisories ?? policyAdvisoryDir(policy, flags.policy);
  const advisories = advisoryDir === undefined ? undefined : await loadAdvisories(advisoryDir);
  const [firstBundle, ...moreBundles] = flags.bundle;
  if (flags.batch === true) return (await import('./verify-batch.ts')).runBatch(artifactArg, { ...flags, bundle: firstBundle }, { trust: trustOptions, policy, ...(advisories === undefined ? {} : { advisories }) }, io);
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

/** The policy file, with each command-line flag replacing the same field of the file. */
async function buildPolicy(flags: VerifyFlags): Promise<Policy> {
  const policy: Policy = flags.policy ? parsePolicy(await readText(flags.policy, 'policy', MAX_POLICY_BYTES), flags.policy) : {};
  if (flags.sourceRef.length > 0) policy.source = { ...policy.source, refs: flags.sourceRef };
  if (flags.buildType.length > 0) policy.buildTypes = flags.buildType;
  if (flags.predicateType.length > 0) policy.predicateTypes = flags.predicateType;
  if (flags.minBundleVersion !== undefined) policy.minBundleVersion = flags.minBundleVersion;
  if (flags.maxAge !== undefined) {
    // A policy built in code reports a bad duration as a finding; on the command line it is a usage error.
    if (durationToMs(flags.maxAge) === undefined) throw new ProvenantError('POLICY_INVALID', `--max-age: not a duration like 30d, 12h, 90m or 3600s: ${flags.maxAge.slice(0, 40)}`);
    policy.maxAge = flags.maxAge;
  }
  const identity = identityFromFlags(flags);
  if (identity !== undefined) policy.identities = [identity];
  applySlsaVerifierFlags(policy, flags, flags.key.length > 0 || (policy.identities?.length ?? 0) > 0);
  return policy;
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
  if (flags.tufRoot !== undefined) await readText(flags.tufRoot, 'TUF root', MAX_TRUSTED_ROOT_BYTES);
  const root = await refreshTrustedRoot({
    cachePath: flags.tufCache ?? defaultTufCachePath(process.env, process.platform, homedir()),
    ...(flags.tufMirror !== undefined ? { mirrorURL: flags.tufMirror } : {}),
    ...(flags.tufRoot !== undefined ? { rootPath: flags.tufRoot } : {}),
  });
  return [root];
}

/** The policy file's `dependencies.advisories.directory`, relative to the policy file. */
function policyAdvisoryDir(policy: Policy, policyPath: string | undefined): string | undefined {
  const dir = policy.dependencies?.advisories?.directory;
  return dir === undefined || policyPath === undefined ? dir : resolve(dirname(policyPath), dir);
}

/** Reads `--trusted-root` files; each is validated once by createTrust (TRUSTED_ROOT_INVALID). */
export async function readTrustedRoots(paths: readonly string[]): Promise<TrustedRootOptions[]> {
  return Promise.all(paths.map(async (path) => ({ root: parseTrustedRootText(await readText(path, 'trusted root', MAX_TRUSTED_ROOT_BYTES), path), source: path })));
}

function render(result: VerifyResult, digestArg: string | undefined): string {
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
export async function readText(path: string, what: string, maxBytes = 1024 * 1024): Promise<string> {
  const data = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read ${what} ${path}: ${err.code ?? 'error'}`);
  });
  if (data.length > maxBytes) throw new ProvenantError('FILE_TOO_LARGE', `${what} ${path} is over ${maxBytes} bytes`);
  return data.toString('utf8');
}
