import { builderIdMatches, parseBuilderId } from '../builder-id.ts';
import type { CertificateIdentity } from '../certificate-identity.ts';
import type { Finding } from '../finding.ts';
import type { Policy } from '../policy.ts';
import {
  GITHUB_ACTIONS_ISSUER,
  GITHUB_HOSTED_RUNNER_BUILDER,
  GITHUB_RUNNER_BUILDERS,
  SLSA_GITHUB_GENERATOR_WORKFLOWS,
  TRUSTED_DELEGATORS,
  TRUSTED_REUSABLE_WORKFLOWS,
  isReleaseTagRef,
} from '../github-builders.ts';
import { normaliseSourceUri } from '../source-uri.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';
import { certificateSource } from './certificate-statement.ts';

const LEAF = 'verificationMaterial.certificate';
const SAN = /^(https:\/\/github\.com\/[^@?#]+)@([^@?#]+)$/;

/** slsa-verifier's trust in GitHub-built provenance, as the policy's `githubBuilder` and `source.uris` give it. */
export interface GitHubBuilderTrust {
  /** Normalised repository URIs: the certificate's source repository must be one of them. */
  sourceUris: readonly string[];
  /** `--builder-id` values (`name[@ref]`); undefined for the built-in trusted builders. */
  ids?: readonly string[];
}

/** Who signed, once the certificate is trusted, and the builder id the provenance must then name. */
type GitHubSigner =
  /** A reusable workflow that writes its own `name@ref` as the builder id. */
  | { kind: 'reusable-workflow'; builderId: string }
  /** A BYOB delegator: the builder id is the tool workflow it signed for, read from the provenance. */
  | { kind: 'delegator' }
  /** A workflow of the source repository itself: the builder is GitHub's runner, of this environment. */
  | { kind: 'runner'; runnerEnvironment: string };

/**
 * The certificate half of slsa-verifier's builder verification, checked before anything in the
 * payload is believed: GitHub Actions' issuer (ISSUER_MISMATCH); a source repository that is one
 * of the expected ones (SOURCE_MISMATCH); and a trusted signer (IDENTITY_MISMATCH): a trusted
 * reusable workflow, or one `--builder-id` names, at a `refs/tags/vX.Y.Z` release; a BYOB
 * delegator at a release; or, for GitHub's runner builder, a workflow of the source repository
 * itself on the runner environment the builder names (CERTIFICATE_EXTENSION_MISMATCH).
 */
export function verifyGitHubBuilderCertificate(cert: CertificateIdentity, trust: GitHubBuilderTrust): Finding[] {
  const findings: Finding[] = [];
  if (cert.issuer !== GITHUB_ACTIONS_ISSUER) {
    findings.push({
      code: 'ISSUER_MISMATCH',
      message: `the certificate's OIDC issuer is ${cert.issuer ?? '(none)'}, not GitHub Actions' (${GITHUB_ACTIONS_ISSUER}): --source-uri trusts only provenance built on GitHub Actions`,
      path: LEAF,
      expected: GITHUB_ACTIONS_ISSUER,
      actual: cert.issuer,
    });
  }
  const source = certificateSource(cert).uri;
  if (source === undefined || !trust.sourceUris.includes(normaliseSourceUri(source))) {
    findings.push({
      code: 'SOURCE_MISMATCH',
      message: source === undefined ? 'the certificate names no source repository' : `the certificate's source repository is ${source}, not ${trust.sourceUris.join(' or ')}`,
      path: `${LEAF}.extensions.sourceRepositoryURI`,
      expected: [...trust.sourceUris],
      actual: source,
    });
  }
  const signer = githubSignerOf(cert, trust);
  if ('finding' in signer) findings.push(signer.finding);
  return findings;
}

/**
 * The provenance half, once the certificate is trusted: the builder id must be the signing
 * reusable workflow's `name@ref` exactly; for a delegator, a tool workflow at a release that
 * `--builder-id` names (without it: one of slsa-github-generator's); for a workflow of the
 * repository, GitHub's runner builder for the certificate's runner environment
 * (BUILDER_ID_MISMATCH).
 */
export function verifyGitHubBuilderStatement(cert: CertificateIdentity, view: ProvenanceView, trust: GitHubBuilderTrust): Finding[] {
  const found = githubSignerOf(cert, trust);
  if ('finding' in found) return [found.finding];
  const signer = found.signer;
  const id = view.builderId;
  let ok: boolean;
  let expected: string;
  switch (signer.kind) {
    case 'reusable-workflow':
      ok = id === signer.builderId;
      expected = signer.builderId;
      break;
    case 'runner': {
      // The builder id must name the runner environment GitHub's certificate records.
      const runnerIds = Object.keys(GITHUB_RUNNER_BUILDERS).filter((r) => GITHUB_RUNNER_BUILDERS[r] === signer.runnerEnvironment);
      ok = id !== undefined && runnerIds.includes(id);
      expected = runnerIds.join(' or ');
      break;
    }
    case 'delegator': {
      const parts = id === undefined ? undefined : parseBuilderId(id);
      const underGenerator = parts?.name.startsWith(SLSA_GITHUB_GENERATOR_WORKFLOWS) === true;
      const named = id !== undefined && trust.ids?.some((expected) => builderIdMatches(id, expected)) === true;
      ok = id !== undefined && parts?.version !== undefined && isReleaseTagRef(parts.version) && (trust.ids === undefined ? underGenerator : named);
      expected = trust.ids === undefined ? `${SLSA_GITHUB_GENERATOR_WORKFLOWS}…@refs/tags/vX.Y.Z` : `${trust.ids.join(' or ')} at refs/tags/vX.Y.Z`;
      break;
    }
  }
  if (ok) return [];
  return [
    {
      code: 'BUILDER_ID_MISMATCH',
      message:
        id === undefined
          ? `the ${view.predicateType} predicate names no builder id`
          : `builder ${id} is not the builder the certificate vouches for (${expected}; signed by ${cert.subjectAlternativeName})`,
      path: view.locations.builderId ?? 'predicate',
      expected,
      actual: id,
    },
  ];
}

/** Classifies the certificate's signer (its SAN, `https://github.com/<workflow path>@<ref>`). */
function githubSignerOf(cert: CertificateIdentity, trust: GitHubBuilderTrust): { signer: GitHubSigner } | { finding: Finding } {
  const san = cert.subjectAlternativeName;
  const m = san === undefined ? null : SAN.exec(san);
  if (!m) return { finding: identityFinding(`the certificate identity ${san ?? '(none)'} is not a GitHub workflow (https://github.com/<path>@<ref>)`, san) };
  const [, name, ref] = m as unknown as [string, string, string];
  const ids = trust.ids;
  if (TRUSTED_DELEGATORS.includes(name)) return atRelease({ kind: 'delegator' }, ref, san!);
  if (ids === undefined ? TRUSTED_REUSABLE_WORKFLOWS.includes(name) : ids.some((id) => builderIdMatches(`${name}@${ref}`, id))) {
    return atRelease({ kind: 'reusable-workflow', builderId: `${name}@${ref}` }, ref, san!);
  }
  const source = certificateSource(cert).uri;
  // A runner builder has no ref: `--builder-id https://github.com/actions/runner/self-hosted`.
  const runners = ids === undefined ? [GITHUB_HOSTED_RUNNER_BUILDER] : ids.filter((id) => GITHUB_RUNNER_BUILDERS[id] !== undefined);
  const ownWorkflow = source !== undefined && name.startsWith(`${normaliseSourceUri(source)}/.github/workflows/`);
  if (runners.length > 0 && ownWorkflow) {
    const env = cert.extensions.runnerEnvironment;
    const wanted = [...new Set(runners.map((r) => GITHUB_RUNNER_BUILDERS[r]!))];
    if (env !== undefined && wanted.includes(env)) return { signer: { kind: 'runner', runnerEnvironment: env } };
    return {
      finding: {
        code: 'CERTIFICATE_EXTENSION_MISMATCH',
        message: `the build ran on ${env === undefined ? 'a runner the certificate does not name' : `a ${env} runner`}, and the builder must be ${runners.join(' or ')}`,
        path: `${LEAF}.extensions.runnerEnvironment`,
        expected: wanted.length === 1 ? wanted[0] : wanted,
        actual: env,
      },
    };
  }
  const builders = ids === undefined ? "one of slsa-github-generator's trusted builders" : `a builder --builder-id names (${ids.join(', ')})`;
  const runner = runners.length > 0 ? `, nor a workflow of the source repository${source ? ` ${source}` : ''} (for ${runners.join(' or ')})` : '';
  return { finding: identityFinding(`the bundle was signed by ${san}, which is not ${builders}${runner}`, san) };
}

/** slsa-verifier's verifyTrustedBuilderRef: a trusted builder counts only at a `refs/tags/vX.Y.Z` release. */
function atRelease(signer: GitHubSigner, ref: string, san: string): { signer: GitHubSigner } | { finding: Finding } {
  if (isReleaseTagRef(ref)) return { signer };
  return { finding: identityFinding(`the builder ${san} is referenced at ${ref}, not at a release tag refs/tags/vX.Y.Z`, san) };
}

function identityFinding(message: string, san: string | undefined): Finding {
  return { code: 'IDENTITY_MISMATCH', message, path: LEAF, expected: 'a trusted GitHub builder', actual: san };
}

/** The GitHub builder trust a (usable) policy gives, or undefined when it sets no `githubBuilder`. */
export function githubBuilderTrustOf(policy: Policy): GitHubBuilderTrust | undefined {
  if (policy.githubBuilder === undefined) return undefined;
  const trust: GitHubBuilderTrust = { sourceUris: (policy.source?.uris ?? []).map(normaliseSourceUri) };
  if (policy.githubBuilder.ids !== undefined) trust.ids = policy.githubBuilder.ids;
  return trust;
}
