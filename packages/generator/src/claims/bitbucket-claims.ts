import type { CiFactKey } from './ci-fact-keys.ts';
import { decodeJwt } from './jwt.ts';
import { type ClaimFact, PROVENANT_AUDIENCE, type PlatformProfile, claimString, putSources, setVariables } from './platform-profile.ts';

/** A workspace slug as it appears in bitbucket.org URLs. */
const WORKSPACE = /^[\w.-]+$/;
/** A Bitbucket UUID with its braces, as the claims carry them. */
const BRACED_UUID = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i;

/** platformIds key -> [variable, claim]: the token carries the same braced UUIDs as the variables. */
const IDS: Record<string, [string, string]> = {
  deployment_environment_uuid: ['BITBUCKET_DEPLOYMENT_ENVIRONMENT_UUID', 'deploymentEnvironmentUuid'],
  pipeline_uuid: ['BITBUCKET_PIPELINE_UUID', 'pipelineUuid'],
  repo_uuid: ['BITBUCKET_REPO_UUID', 'repositoryUuid'],
  step_uuid: ['BITBUCKET_STEP_UUID', 'stepUuid'],
};

/** The collector's other platformIds, which no claim states. */
const OTHER_ID_VARIABLES: Record<string, string> = {
  build_number: 'BITBUCKET_BUILD_NUMBER',
  pr_id: 'BITBUCKET_PR_ID',
  project_uuid: 'BITBUCKET_PROJECT_UUID',
  step_run_number: 'BITBUCKET_STEP_RUN_NUMBER',
};

/**
 * The audience to require of the step's token. A step may declare `provenant` as a custom audience;
 * else Bitbucket's default applies, `ari:cloud:bitbucket::workspace/<workspace UUID>`. No variable
 * holds the workspace UUID, so it is read from the token's `workspaceUuid` claim. That takes nothing
 * on trust: the token is then verified against the issuer of BITBUCKET_WORKSPACE, which signs only
 * its own workspace's tokens, and must name exactly that audience.
 */
function audienceOf(token: string): string | undefined {
  const claims = decodeJwt(token)?.payload;
  if (claims === undefined) return undefined;
  const aud = claims['aud'];
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (audiences.includes(PROVENANT_AUDIENCE)) return PROVENANT_AUDIENCE;
  const workspace = claims['workspaceUuid'];
  return typeof workspace === 'string' && BRACED_UUID.test(workspace) ? `ari:cloud:bitbucket::workspace/${workspace}` : undefined;
}

/**
 * Bitbucket Pipelines: variables per "Variables and secrets", claims per "Integrate Pipelines with
 * resource servers using OIDC". A step with `oidc: true` gets BITBUCKET_STEP_OIDC_TOKEN, issued by
 * its workspace's own issuer.
 */
export const bitbucketPipelinesProfile: PlatformProfile = {
  platform: 'bitbucket-pipelines',
  detectedBy: 'BITBUCKET_BUILD_NUMBER',

  environmentSources(env) {
    const out = new Map<CiFactKey, string[]>();
    putSources(out, env, 'invocationId', 'BITBUCKET_REPO_FULL_NAME', 'BITBUCKET_BUILD_NUMBER', 'BITBUCKET_STEP_UUID', 'BITBUCKET_STEP_RUN_NUMBER');
    putSources(out, env, 'repository', 'BITBUCKET_REPO_FULL_NAME');
    const ref = setVariables(env, 'BITBUCKET_TAG', 'BITBUCKET_BRANCH')[0];
    if (ref !== undefined) out.set('ref', [ref]);
    putSources(out, env, 'commit', 'BITBUCKET_COMMIT');
    for (const [id, [variable]] of Object.entries(IDS)) putSources(out, env, `platformIds.${id}`, variable);
    for (const [id, variable] of Object.entries(OTHER_ID_VARIABLES)) putSources(out, env, `platformIds.${id}`, variable);
    return out;
  },

  claims: {
    issuer: (env) => {
      const workspace = env['BITBUCKET_WORKSPACE'];
      return workspace === undefined || !WORKSPACE.test(workspace) ? undefined : `https://api.bitbucket.org/2.0/workspaces/${workspace}/pipelines-config/identity/oidc`;
    },

    async token(ctx) {
      const token = ctx.env['BITBUCKET_STEP_OIDC_TOKEN']?.trim();
      if (token === undefined || token === '') {
        return { kind: 'unavailable', reason: 'no-token', message: 'Bitbucket Pipelines gives this step no OIDC token: add `oidc: true` to the step' };
      }
      // A token whose audience cannot be told is still verified, and refused as audience-mismatch.
      return { kind: 'token', token, audience: audienceOf(token) ?? PROVENANT_AUDIENCE };
    },

    facts(claims, _issuer, env) {
      const out = new Map<CiFactKey, ClaimFact>();
      const c = (name: string) => claimString(claims, name);
      const put = (key: CiFactKey, value: string | undefined, ...names: string[]) => {
        if (value !== undefined) out.set(key, { value, claims: names });
      };
      // The token names a branch, not a tag: a tag pipeline's ref is not compared with it.
      if (setVariables(env, 'BITBUCKET_TAG').length === 0) {
        const branch = c('branchName');
        if (branch !== undefined) put('ref', `refs/heads/${branch}`, 'branchName');
      }
      for (const [id, [, claim]] of Object.entries(IDS)) put(`platformIds.${id}`, c(claim), claim);
      // Only in the token.
      put('platformIds.workspace_uuid', c('workspaceUuid'), 'workspaceUuid');
      return out;
    },
  },
};
