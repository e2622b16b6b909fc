import { githubActionsToken, isProvenantError, requestGitHubIdToken } from '@provenant/core';
import { PLATFORM_ID_VARIABLES as ID_VARIABLES, RUNNER_BUILDER, parseWorkflowRef } from '../collectors/github-actions.ts';
import type { CiFactKey } from './ci-fact-keys.ts';
import { type ClaimFact, PROVENANT_AUDIENCE, type PlatformProfile, claimString, putSources } from './platform-profile.ts';

const GITHUB_DOTCOM = 'https://github.com';
const GITHUB_DOTCOM_ISSUER = 'https://token.actions.githubusercontent.com';

/** platformIds key -> the claim that states it (GitHub's token carries the same identifiers as the variables). */
const ID_CLAIMS: Record<string, string> = {
  actor_id: 'actor_id',
  repository_id: 'repository_id',
  repository_owner_id: 'repository_owner_id',
  run_attempt: 'run_attempt',
  run_id: 'run_id',
  run_number: 'run_number',
  workflow: 'workflow',
  // Only in the token: the reusable workflow that ran the job (the SAN of a keyless certificate).
  job_workflow_ref: 'job_workflow_ref',
};


function serverOf(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const server = env['GITHUB_SERVER_URL'];
  return server === undefined || server === '' ? undefined : server.replace(/\/+$/, '');
}

/**
 * The OIDC issuer of a GitHub server's Actions tokens: github.com's own, a data-residency tenant's
 * (`<name>.ghe.com`), or a GitHub Enterprise Server's `<server>/_services/token`. The issuer is
 * tied to the server, so URLs built from the server and verified claims are vouched for by it.
 */
export function githubIssuerFor(server: string): string {
  const trimmed = server.replace(/\/+$/, '');
  if (trimmed === GITHUB_DOTCOM) return GITHUB_DOTCOM_ISSUER;
  const tenant = /^https:\/\/([a-z0-9-]+)\.ghe\.com$/i.exec(trimmed);
  if (tenant) return `https://token.actions.${tenant[1]}.ghe.com`;
  return `${trimmed}/_services/token`;
}

/** GitHub Actions: variables per GitHub's "Variables reference", claims per its OIDC token reference. */
export const githubActionsProfile: PlatformProfile = {
  platform: 'github-actions',
  detectedBy: 'GITHUB_ACTIONS',

  environmentSources(env) {
    const out = new Map<CiFactKey, string[]>();
    putSources(out, env, 'repository', 'GITHUB_SERVER_URL', 'GITHUB_REPOSITORY');
    putSources(out, env, 'invocationId', 'GITHUB_SERVER_URL', 'GITHUB_REPOSITORY', 'GITHUB_RUN_ID', 'GITHUB_RUN_ATTEMPT');
    putSources(out, env, 'ref', 'GITHUB_REF');
    putSources(out, env, 'commit', 'GITHUB_SHA');
    putSources(out, env, 'triggerEvent', 'GITHUB_EVENT_NAME');
    putSources(out, env, 'workflow.path', 'GITHUB_WORKFLOW_REF');
    putSources(out, env, 'workflow.ref', 'GITHUB_WORKFLOW_REF');
    // Without a known RUNNER_ENVIRONMENT the collector's builder id is its default, from no variable.
    if (env['RUNNER_ENVIRONMENT'] === 'github-hosted' || env['RUNNER_ENVIRONMENT'] === 'self-hosted') {
      out.set('builderId', ['RUNNER_ENVIRONMENT']);
      out.set('runnerKind', ['RUNNER_ENVIRONMENT']);
    }
    for (const [id, variable] of Object.entries(ID_VARIABLES)) putSources(out, env, `platformIds.${id}`, variable);
    return out;
  },

  claims: {
    issuer: (env) => {
      const server = serverOf(env);
      return server === undefined ? undefined : githubIssuerFor(server);
    },

    async token(ctx) {
      const missing = githubActionsToken.missing(ctx.env);
      if (missing !== undefined) return { kind: 'unavailable', reason: 'no-token', message: missing };
      try {
        return { kind: 'token', token: await requestGitHubIdToken(ctx, PROVENANT_AUDIENCE), audience: PROVENANT_AUDIENCE };
      } catch (err) {
        // core's messages name the service and the status, never the token or the bearer.
        return { kind: 'unavailable', reason: 'token-request-failed', message: isProvenantError(err) ? err.message : 'GitHub Actions ID-token request failed' };
      }
    },

    facts(claims, _issuer, env) {
      const out = new Map<CiFactKey, ClaimFact>();
      const c = (name: string) => claimString(claims, name);
      const put = (key: CiFactKey, value: string | undefined, ...names: string[]) => {
        if (value !== undefined) out.set(key, { value, claims: names });
      };
      // The server is the one the verified issuer belongs to (githubIssuerFor): `iss` vouches for it.
      const server = serverOf(env);
      const repository = c('repository');
      if (server !== undefined && repository !== undefined) {
        put('repository', `${server}/${repository}`, 'iss', 'repository');
        const runId = c('run_id');
        const attempt = c('run_attempt');
        if (runId !== undefined && attempt !== undefined) {
          put('invocationId', `${server}/${repository}/actions/runs/${runId}/attempts/${attempt}`, 'iss', 'repository', 'run_id', 'run_attempt');
        }
      }
      put('ref', c('ref'), 'ref');
      put('commit', c('sha'), 'sha');
      put('triggerEvent', c('event_name'), 'event_name');
      const workflowRef = c('workflow_ref');
      if (workflowRef !== undefined) {
        const workflow = parseWorkflowRef(workflowRef, repository);
        put('workflow.path', workflow.path, 'workflow_ref');
        put('workflow.ref', workflow.ref, 'workflow_ref');
      }
      const runner = c('runner_environment');
      if (runner === 'github-hosted' || runner === 'self-hosted') {
        put('builderId', `${RUNNER_BUILDER}/${runner}`, 'runner_environment');
        put('runnerKind', runner === 'github-hosted' ? 'hosted' : 'self-hosted', 'runner_environment');
      }
      for (const [id, claim] of Object.entries(ID_CLAIMS)) put(`platformIds.${id}`, c(claim), claim);
      return out;
    },
  },
};
