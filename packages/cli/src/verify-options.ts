import { dirname, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { ProvenantError } from '@provenant/core/verification';
import { createReadStream } from 'node:fs';
import type { AdvisoryIndex, Policy, TrustMaterial, TrustOptions, TrustedRootOptions } from '@provenant/verifier';
import { addIdentityOptions } from './commands/sigstore-identity-flags.ts';
import { type IdentityFlags, identityFromFlags } from './commands/sigstore-identity.ts';
import type { SlsaVerifierFlags } from './commands/slsa-verifier-flags.ts';

// Loaded by main.ts at start-up to declare the flags: the verifier itself is imported only when
// a command builds its trust and policy. `verify`, `fetch` and `verify-npm` all take these flags,
// so a flag added here means the same in each.

/** What addTrustPolicyOptions adds to a command's options. */
export interface TrustPolicyFlags extends IdentityFlags, SlsaVerifierFlags {
  key: string[];
  policy?: string;
  sourceRef: string[];
  buildType: string[];
  predicateType: string[];
  minBundleVersion?: string;
  maxAge?: string;
  advisories?: string;
}

/** The trust and policy flags of `provenant verify`: trusted keys or keyless identities, a policy file, and flags over it. */
export function addTrustPolicyOptions(cmd: Command): Command {
  return addIdentityOptions(
    cmd
      .option('--key <file>', 'trusted PEM public key; repeatable', collect, [])
      .option('--policy <file>', 'policy file (YAML or JSON)')
      .option('--builder-id <id>', 'required builder, name[@ref] as in slsa-verifier: without @ref any ref, @v1.9.0 also admits @refs/tags/v1.9.0; repeatable', collect, [])
      .option('--builder-id-prefix <prefix>', 'allowed builder id prefix; repeatable', collect, [])
      .option('--source-uri <uri>', 'required source repository (https://github.com/o/r, or github.com/o/r); with no key or identity, the trust: GitHub-built provenance from it by a trusted builder; repeatable', collect, [])
      .option('--source-ref <ref>', 'required source ref, exact or glob (refs/tags/v*); repeatable', collect, [])
      .option('--source-branch <branch>', 'the build ran from refs/heads/<branch>')
      .option('--source-tag <tag>', 'the build ran from refs/tags/<tag>')
      .option('--source-versioned-tag <version>', 'the build ran from a version tag within this one: v1 admits v1.x.y, v1.2 admits v1.2.x')
      .option('--build-workflow-input <name=value>', 'an input the workflow run was given (workflow_dispatch); repeatable', collect, [])
      .option('--build-type <uri>', 'required buildType; repeatable', collect, [])
      .option('--predicate-type <uri>', 'accepted predicate type (default: SLSA provenance v1 and v0.2); repeatable', collect, [])
      .addOption(new Option('--min-bundle-version <version>', 'oldest accepted Sigstore bundle version').choices(['0.1', '0.2', '0.3']))
      .option('--max-age <duration>', 'maximum attestation age, e.g. 30d, 12h, 90m')
      .option('--advisories <dir>', 'directory of OSV advisories (JSON): a dependency one affects fails with DEPENDENCY_VULNERABLE'),
  );
}

/** Trust material, policy and advisories as `provenant verify` builds them from the same flags. */
export interface TrustPolicy {
  trust: TrustMaterial;
  /** What `trust` was built from: serialisable, for worker threads that rebuild it. */
  trustOptions: TrustOptions;
  policy: Policy;
  advisories?: AdvisoryIndex;
}

/**
 * Builds what the flags describe as `provenant verify` does: the policy file with each flag
 * replacing the same field (slsa-verifier's flags through applySlsaVerifierFlags, so they mean
 * the same here), the trusted keys and roots (the public-good root only when someone is trusted
 * keyless: a root alone trusts no one), and the advisories of `--advisories` or of the policy file.
 */
export async function trustPolicyFromFlags(flags: TrustPolicyFlags, extraRoots: readonly TrustedRootOptions[] = []): Promise<TrustPolicy> {
  // The verify entry only: the policy-file reader (yaml, zod) and the OSV reader load when asked for.
  const { createTrust, durationToMs } = await import('@provenant/verifier/verify');
  const { applySlsaVerifierFlags } = await import('./commands/slsa-verifier-flags.ts');
  const policy: Policy = flags.policy ? (await import('@provenant/verifier')).parsePolicy(await readText(flags.policy, 'policy', MAX_POLICY_BYTES), flags.policy) : {};
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
  const policyKeys = await policyPublicKeys(policy, flags.policy);
  applySlsaVerifierFlags(policy, flags, flags.key.length > 0 || policyKeys.length > 0 || (policy.identities?.length ?? 0) > 0);
  const keys = [...(await Promise.all(flags.key.map((path) => readText(path, 'key')))), ...policyKeys];
  const trustedRoots = [...(await readTrustedRoots(flags.trustedRoot)), ...extraRoots];
  // The public-good root is the default only when someone is trusted keyless: a root alone trusts no one.
  const keyless = (policy.identities?.length ?? 0) > 0 || policy.githubBuilder !== undefined;
  const trustOptions: TrustOptions = { publicKeys: keys, trustedRoots: trustedRoots.length > 0 ? trustedRoots : keyless ? ['public-good'] : [] };
  const trust = createTrust(trustOptions);
  const advisoryDir = flags.advisories ?? policyAdvisoryDir(policy, flags.policy);
  if (advisoryDir === undefined) return { trust, trustOptions, policy };
  return { trust, trustOptions, policy, advisories: await (await import('@provenant/verifier')).loadAdvisories(advisoryDir) };
}

/** Trusted roots are a few kB; GitHub's, with years of CAs, under 100 kB. */
const MAX_TRUSTED_ROOT_BYTES = 4 * 1024 * 1024;

/** Reads `--trusted-root` files; each is validated once by createTrust (TRUSTED_ROOT_INVALID). */
export async function readTrustedRoots(paths: readonly string[]): Promise<TrustedRootOptions[]> {
  if (paths.length === 0) return [];
  const { parseTrustedRootText } = await import('@provenant/verifier/verify');
  return Promise.all(paths.map(async (path) => ({ root: parseTrustedRootText(await readText(path, 'trusted root', MAX_TRUSTED_ROOT_BYTES), path), source: path })));
}

/** Reads a small input file (key, policy, root) whole, refusing one over `maxBytes`. */
export async function readText(path: string, what: string, maxBytes = 1024 * 1024): Promise<string> {
  return (await readBytes(path, what, maxBytes)).toString('utf8');
}

/**
 * Reads an input file whole, refusing one over `maxBytes`: never more than one byte beyond the
 * limit is read, so that /dev/zero or an endless pipe fails at once. Pipes stay readable
 * (`--key <(…)`), as with a plain read.
 */
export async function readBytes(path: string, what: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of createReadStream(path, { end: maxBytes }) as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
    }
  } catch (err) {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (total > maxBytes) throw new ProvenantError('FILE_TOO_LARGE', `${what} ${path} is over ${maxBytes} bytes`);
  return Buffer.concat(chunks, total);
}

/** The policy file's `publicKeys`: inline PEM as it is, anything else a path relative to the policy file. */
async function policyPublicKeys(policy: Policy, policyPath: string | undefined): Promise<string[]> {
  return Promise.all(
    (policy.publicKeys ?? []).map((entry) =>
      entry.includes('-----BEGIN') ? entry : readText(policyPath === undefined ? entry : resolve(dirname(policyPath), entry), 'policy key'),
    ),
  );
}

/** Policy files larger than this are not policies. */
const MAX_POLICY_BYTES = 1024 * 1024;

/** The policy file's `dependencies.advisories.directory`, relative to the policy file. */
function policyAdvisoryDir(policy: Policy, policyPath: string | undefined): string | undefined {
  const dir = policy.dependencies?.advisories?.directory;
  return dir === undefined || policyPath === undefined ? dir : resolve(dirname(policyPath), dir);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
