import { parseBuilderId } from '../builder-id.ts';
import type { Finding } from '../finding.ts';
import type { Policy } from '../policy.ts';
import { normaliseSourceUri } from '../source-uri.ts';
import { parseVersionedTag } from '../versioned-tag.ts';

const GITHUB_REPOSITORY = /^https:\/\/github\.com\/[^/?#@]+\/[^/?#@]+$/;

/**
 * The policy fields slsa-verifier's flags set (`source.branch`, `source.tag`,
 * `source.versionedTag`, `workflowInputs`, `githubBuilder`), checked as verifyPolicyUsable checks
 * the others: a policy built in code must fail rather than admit more than it says. `githubBuilder`
 * needs `source.uris`, each a github.com repository, or it would trust any repository's builds.
 */
export function verifySlsaVerifierPolicyUsable(policy: Policy): Finding[] {
  const problems: [path: string, message: string, actual: unknown][] = [];
  const source: Record<string, unknown> = policy.source !== null && typeof policy.source === 'object' ? policy.source : {};
  for (const key of ['branch', 'tag', 'versionedTag'] as const) {
    const value = source[key];
    if (value !== undefined && (typeof value !== 'string' || value === '')) problems.push([`source.${key}`, 'must be a non-empty string', value]);
  }
  if (typeof source['versionedTag'] === 'string' && source['versionedTag'] !== '' && parseVersionedTag(source['versionedTag']) === undefined) {
    problems.push(['source.versionedTag', 'is not a version such as v1, v1.2 or v1.2.3 (a leading v; a prerelease or build only after a patch version)', source['versionedTag']]);
  }
  if (source['branch'] !== undefined && (source['tag'] !== undefined || source['versionedTag'] !== undefined)) {
    problems.push(['source.branch', 'cannot be combined with a tag: provenance records the one ref the build ran from', source['branch']]);
  }
  const inputs: unknown = policy.workflowInputs;
  if (inputs !== undefined && (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs) || Object.entries(inputs).some(([k, v]) => k === '' || typeof v !== 'string'))) {
    problems.push(['workflowInputs', 'must map non-empty input names to strings', inputs]);
  }
  const github: unknown = policy.githubBuilder;
  if (github !== undefined) {
    const ids = github !== null && typeof github === 'object' ? (github as { ids?: unknown }).ids : undefined;
    if (github === null || typeof github !== 'object' || Array.isArray(github)) problems.push(['githubBuilder', 'must be an object', github]);
    else if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || parseBuilderId(id) === undefined))) {
      problems.push(['githubBuilder.ids', 'must be a list of builder ids, name or name@ref', ids]);
    }
    const uris: unknown = source['uris'];
    if (!Array.isArray(uris) || uris.length === 0) problems.push(['source.uris', 'must name the source repository when githubBuilder is set', uris]);
    else if (uris.some((u) => typeof u !== 'string' || !GITHUB_REPOSITORY.test(normaliseSourceUri(u)))) {
      problems.push(['source.uris', 'must be github.com repositories (https://github.com/<owner>/<repo>) when githubBuilder is set', uris]);
    }
  }
  return problems.map(([path, message, actual]) => ({ code: 'POLICY_INVALID', message: `policy ${path} ${message}`, path: `policy.${path}`, actual }));
}
