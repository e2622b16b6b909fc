import { parseVersionedTag } from './versioned-tag.ts';

/** The OIDC issuer of GitHub Actions' public (github.com) identity tokens. */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

const GENERATOR = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows';

/** Where slsa-github-generator's reusable workflows live: a BYOB builder id must be under it unless `--builder-id` names one. */
export const SLSA_GITHUB_GENERATOR_WORKFLOWS = `${GENERATOR}/`;

/**
 * Reusable workflows trusted to sign provenance for the repository that calls them, and to write
 * their own `name@ref` as its builder id: slsa-verifier's defaultArtifactTrustedReusableWorkflows
 * (generic generator, Go builder, container-based builder) and
 * defaultContainerTrustedReusableWorkflows (the container generator, whose subjects are image
 * digests, which `provenant verify sha256:<digest>` can verify).
 */
export const TRUSTED_REUSABLE_WORKFLOWS: readonly string[] = Object.freeze([
  `${GENERATOR}/generator_generic_slsa3.yml`,
  `${GENERATOR}/builder_go_slsa3.yml`,
  `${GENERATOR}/builder_container-based_slsa3.yml`,
  `${GENERATOR}/generator_container_slsa3.yml`,
]);

/**
 * slsa-github-generator's BYOB delegators (slsa-verifier's defaultBYOBReusableWorkflows): they sign
 * for a tool's reusable workflow and write that workflow's `name@ref` as the builder id, so the
 * builder is read from the provenance once the delegator's signature is trusted.
 */
export const TRUSTED_DELEGATORS: readonly string[] = Object.freeze([`${GENERATOR}/delegator_generic_slsa3.yml`, `${GENERATOR}/delegator_lowperms-generic_slsa3.yml`]);

/**
 * GitHub's runners as builders, by the runner environment (Fulcio 1.11) the certificate must carry:
 * the builder ids of GitHub artifact attestations (actions/attest-build-provenance) and npm
 * provenance, signed by a workflow of the repository itself. The bare
 * `https://github.com/actions/runner` of npm's 2023 provenance means `github-hosted`, as
 * slsa-verifier reads it. Only `github-hosted` is trusted without `--builder-id`: on a self-hosted
 * runner, whoever runs the machine could write anything.
 */
export const GITHUB_RUNNER_BUILDERS: Readonly<Record<string, string>> = Object.freeze({
  'https://github.com/actions/runner/github-hosted': 'github-hosted',
  'https://github.com/actions/runner/self-hosted': 'self-hosted',
  'https://github.com/actions/runner': 'github-hosted',
});

/** The runner builder trusted by default. */
export const GITHUB_HOSTED_RUNNER_BUILDER = 'https://github.com/actions/runner/github-hosted';

/**
 * slsa-verifier's IsValidBuilderTag: a trusted builder is referenced at a release, `refs/tags/vX.Y.Z`
 * with all three numbers and no prerelease or build metadata, never at a branch or a commit.
 */
export function isReleaseTagRef(ref: string): boolean {
  if (!ref.startsWith('refs/tags/')) return false;
  const tag = ref.slice('refs/tags/'.length);
  const version = parseVersionedTag(tag);
  return version?.patch !== undefined && version.prerelease === '' && !tag.includes('+');
}
