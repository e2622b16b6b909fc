import { ProvenantError } from '@provenant/core';
import { type ImageVerifyResult, loadAttestationFile, verifyImage } from '@provenant/verifier';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { type RegistryFlags, registryOptionsFromFlags } from '../registry-options.ts';
import { type TrustPolicyFlags, trustPolicyFromFlags } from '../verify-options.ts';
import { render } from './verify.ts';

export interface VerifyImageFlags extends TrustPolicyFlags, RegistryFlags {
  bundle: string[];
  json?: boolean;
  vsa?: boolean;
  vsaOut?: string;
}

/** `provenant verify-image REF` and `provenant verify oci://REF`. */
export async function run(reference: string, flags: VerifyImageFlags, _cmd: unknown, io: Io): Promise<number> {
  if (flags.vsa === true || flags.vsaOut !== undefined) throw new ProvenantError('USAGE', '--vsa and --vsa-out take a file or digest artifact, not an image');
  const { trust, policy, advisories } = await trustPolicyFromFlags(flags);
  const given = flags.bundle.length === 0 ? undefined : (await Promise.all(flags.bundle.map((path) => loadAttestationFile(path)))).flat();
  const result = await verifyImage({
    reference,
    trust,
    policy,
    registry: await registryOptionsFromFlags(flags),
    ...(advisories === undefined ? {} : { advisories }),
    ...(given === undefined ? {} : { attestations: given }),
  });
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
