import { ProvenantError } from '@provenant/core/verification';
import { type Policy, builderConstraintOf, normaliseSourceUri, parseBuilderId, parseVersionedTag, sourceUriFromSlsaVerifier } from '@provenant/verifier/verify';

/** The `provenant verify` flags that mean what slsa-verifier's do. */
export interface SlsaVerifierFlags {
  builderId: string[];
  builderIdPrefix: string[];
  sourceUri: string[];
  sourceBranch?: string;
  sourceTag?: string;
  sourceVersionedTag?: string;
  buildWorkflowInput: string[];
}

/**
 * Sets the policy fields slsa-verifier's flags give, each replacing the same field of a policy
 * file. `--source-uri` (`https://github.com/o/r` or slsa-verifier's `github.com/o/r`) always
 * constrains the statement's source; when nothing else is trusted (`otherTrust`: no key, no
 * certificate identity from flags or the file), it is also the trust constraint, as in
 * slsa-verifier: a GitHub-built provenance whose certificate names that repository and a trusted
 * builder (`githubBuilder`), with `--builder-id` naming the builder. Otherwise `--builder-id`
 * constrains the statement's builder id, `name[@ref]` as slsa-verifier matches it. Usage errors
 * (exit 2) for what slsa-verifier refuses to parse.
 */
export function applySlsaVerifierFlags(policy: Policy, flags: SlsaVerifierFlags, otherTrust: boolean): void {
  if (flags.sourceTag !== undefined && flags.sourceVersionedTag !== undefined) {
    throw new ProvenantError('USAGE', '--source-tag and --source-versioned-tag exclude each other (as in slsa-verifier): give one');
  }
  if (flags.sourceBranch !== undefined && (flags.sourceTag !== undefined || flags.sourceVersionedTag !== undefined)) {
    throw new ProvenantError('USAGE', '--source-branch cannot be combined with a tag: provenance records the one ref the build ran from (see docs/slsa-verifier-compatibility.md)');
  }
  if (flags.sourceVersionedTag !== undefined && parseVersionedTag(flags.sourceVersionedTag) === undefined) {
    throw new ProvenantError('USAGE', `--source-versioned-tag: not a version such as v1, v1.2 or v1.2.3 (a leading v; a prerelease or build only after a patch version): ${flags.sourceVersionedTag.slice(0, 40)}`);
  }
  for (const id of flags.builderId) {
    if (parseBuilderId(id) === undefined) throw new ProvenantError('USAGE', `--builder-id: not a builder id, name or name@ref: ${id.slice(0, 120)}`);
  }
  const uris = flags.sourceUri.map(sourceUriFromSlsaVerifier);
  if (uris.length > 0) policy.source = { ...policy.source, uris };
  if (flags.sourceBranch !== undefined) policy.source = { ...policy.source, branch: flags.sourceBranch };
  if (flags.sourceTag !== undefined) policy.source = { ...policy.source, tag: flags.sourceTag };
  if (flags.sourceVersionedTag !== undefined) policy.source = { ...policy.source, versionedTag: flags.sourceVersionedTag };
  if (flags.buildWorkflowInput.length > 0) policy.workflowInputs = workflowInputsOf(flags.buildWorkflowInput);

  const githubTrust = policy.githubBuilder !== undefined || (!otherTrust && uris.length > 0);
  if (githubTrust) {
    policy.githubBuilder = flags.builderId.length > 0 ? { ids: flags.builderId } : (policy.githubBuilder ?? {});
    for (const uri of policy.source?.uris ?? []) {
      if (!/^https:\/\/github\.com\/[^/?#@]+\/[^/?#@]+$/.test(normaliseSourceUri(uri))) {
        throw new ProvenantError('USAGE', `--source-uri ${uri.slice(0, 120)}: without a key or a certificate identity, --source-uri trusts GitHub-built provenance, so it must name a github.com repository (github.com/<owner>/<repo>)`);
      }
    }
  }
  // Under GitHub builder trust the builder is checked against what the certificate vouches for.
  const constraint = githubTrust || flags.builderId.length === 0 ? undefined : builderConstraintOf(flags.builderId);
  if (constraint !== undefined || flags.builderIdPrefix.length > 0) {
    const idPrefixes = [...(constraint?.idPrefixes ?? []), ...flags.builderIdPrefix];
    policy.builder = {};
    if (constraint?.ids !== undefined) policy.builder.ids = constraint.ids;
    if (idPrefixes.length > 0) policy.builder.idPrefixes = idPrefixes;
  }
}

/**
 * `--build-workflow-input name=value`, repeatable; a later name replaces an earlier one (as in
 * slsa-verifier). The value is everything after the first `=`, so it may itself contain `=`.
 */
function workflowInputsOf(values: readonly string[]): Record<string, string> {
  // A Map, then fromEntries: an input named `__proto__` stays an input.
  const inputs = new Map<string, string>();
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new ProvenantError('USAGE', `--build-workflow-input: expected name=value, got ${value.slice(0, 80)}`);
    inputs.set(value.slice(0, eq), value.slice(eq + 1));
  }
  return Object.fromEntries(inputs);
}
