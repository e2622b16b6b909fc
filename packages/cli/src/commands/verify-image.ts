import { MAX_BUNDLE_BYTES, ProvenantError, digestBytes, parseAttestations } from '@provenant/core/verification';
import { type ImageVerifyResult, verifyImage } from '@provenant/verifier';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { type RegistryFlags, registryOptionsFromFlags } from '../registry-options.ts';
import { type TrustPolicyFlags, readBytes, trustPolicyFromFlags } from '../verify-options.ts';
import { render } from './verify.ts';
import type { VsaFlags } from './verify-vsa.ts';

export interface VerifyImageFlags extends TrustPolicyFlags, RegistryFlags, Omit<VsaFlags, 'bundle' | 'policy'> {
  bundle: string[];
  json?: boolean;
}

/** `provenant verify-image REF` and `provenant verify oci://REF`. */
export async function run(reference: string, flags: VerifyImageFlags, _cmd: unknown, io: Io): Promise<number> {
  if (flags.vsa === true) throw new ProvenantError('USAGE', '--vsa verifies a VSA file: run `provenant verify sha256:<image digest> --vsa --bundle FILE ...`');
  const { trust, policy, advisories } = await trustPolicyFromFlags(flags);
  // Settled first: a bad VSA key or a missing OIDC token fails before the registry is asked anything.
  const vsa = flags.vsaOut === undefined ? undefined : await (await import('./verify-vsa.ts')).prepareVsaOut(flags);
  // Each --bundle file read once: its attestations are verified, its bytes' SHA-256 names it in a VSA.
  const files = await Promise.all(
    flags.bundle.map(async (path) => {
      const bytes = await readBytes(path, 'bundle', MAX_BUNDLE_BYTES);
      return { uri: path, digest: { sha256: digestBytes(bytes, ['sha256']).sha256! }, attestations: parseAttestations(bytes.toString('utf8'), path) };
    }),
  );
  const given = files.length === 0 ? undefined : files.flatMap((f) => f.attestations);
  const now = new Date();
  const result = await verifyImage({
    reference,
    trust,
    policy,
    now,
    registry: await registryOptionsFromFlags(flags),
    ...(advisories === undefined ? {} : { advisories }),
    ...(given === undefined ? {} : { attestations: given }),
  });
  if (vsa !== undefined) {
    const { name, digest } = result.image;
    await vsa.write({
      result,
      policy,
      artifact: { sha256: digest.slice('sha256:'.length) },
      resourceUri: flags.vsaResourceUri ?? `oci://${name}@${digest}`,
      inputAttestations: inputAttestations(result, files),
      now,
      io,
    });
  }
  if (flags.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(renderImage(result));
  return result.ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

function renderImage(result: ImageVerifyResult): string {
  const [verdict = '', ...rest] = render(result, result.image.digest).split('\n');
  const { image } = result;
  const lines = [verdict];
  lines.push(
    image.resolvedTag !== undefined
      ? `  image    ${image.name}:${image.resolvedTag} resolved once to ${image.digest}; every check used the digest (use ${image.name}@${image.digest} in later steps)`
      : `  image    ${image.name}@${image.digest}`,
  );
  const via = result.referrersSource === undefined ? 'given with --bundle' : `found via ${result.referrersSource === 'referrers-api' ? 'the referrers API' : 'the referrers tag index'} and cosign's .att tag`;
  lines.push(`  attestations ${result.attestations.length}, ${via}:`);
  result.attestations.forEach((a, i) => {
    const otherType = !a.ok && a.findings.length > 0 && a.findings.every((f) => f.code === 'PREDICATE_TYPE_MISMATCH');
    const mark =
      result.satisfiedBy === i ? 'satisfied the policy' : a.ok ? 'verified' : otherType ? 'not provenance (counted only for requiredAttestations)' : `failed: ${a.findings.map((f) => f.code).join(', ')}`;
    lines.push(`    [${i}] ${a.source}${a.manifestDigest ? ` ${a.manifestDigest}` : ''} ${a.predicateType ?? '(predicate type unknown)'}: ${mark}`);
  });
  return `${[...lines, ...rest].join('\n')}`;
}

/**
 * The attestations a VSA names as its inputs: the ones that verified (all of them when the
 * verification failed), as `oci://NAME@<referrer manifest digest>`, or the --bundle files with the
 * SHA-256 of their bytes.
 */
function inputAttestations(result: ImageVerifyResult, files: readonly { uri: string; digest: Record<string, string> }[]): { uri: string; digest: Record<string, string> }[] {
  if (files.length > 0) return files.map(({ uri, digest }) => ({ uri, digest }));
  const used = result.ok ? result.attestations.filter((a) => a.ok) : result.attestations;
  return used.flatMap((a) => (a.manifestDigest === undefined ? [] : [{ uri: `oci://${result.image.name}@${a.manifestDigest}`, digest: { sha256: a.manifestDigest.slice('sha256:'.length) } }]));
}
