import { SIGSTORE_AUDIENCE, gitlabCiToken } from '@provenant/core';
import type { CiFactKey } from './ci-fact-keys.ts';
import { type ClaimFact, PROVENANT_AUDIENCE, type PlatformProfile, claimString, putSources, setVariables } from './platform-profile.ts';

/** platformIds key -> [variable, claim]: GitLab's ID tokens carry the same identifiers as the predefined variables. */
const IDS: Record<string, [string, string]> = {
  job_id: ['CI_JOB_ID', 'job_id'],
  pipeline_id: ['CI_PIPELINE_ID', 'pipeline_id'],
  project_id: ['CI_PROJECT_ID', 'project_id'],
  project_path: ['CI_PROJECT_PATH', 'project_path'],
  runner_id: ['CI_RUNNER_ID', 'runner_id'],
};

/**
 * The variable a token is read from. `PROVENANT_ID_TOKEN` (declared with `aud: provenant`) is
 * preferred, since it is good for nothing else; else the `SIGSTORE_ID_TOKEN` keyless signing uses.
 */
const TOKEN_VARIABLES: readonly [string, string][] = [
  ['PROVENANT_ID_TOKEN', PROVENANT_AUDIENCE],
  ['SIGSTORE_ID_TOKEN', SIGSTORE_AUDIENCE],
];

/** GitLab CI: variables per "Predefined CI/CD variables reference", claims per "ID token authentication". */
export const gitlabCiProfile: PlatformProfile = {
  platform: 'gitlab-ci',
  detectedBy: 'GITLAB_CI',

  environmentSources(env) {
    const out = new Map<CiFactKey, string[]>();
    putSources(out, env, 'builderId', 'CI_SERVER_URL', 'CI_PROJECT_PATH', 'CI_RUNNER_ID');
    putSources(out, env, 'invocationId', 'CI_JOB_URL');
    putSources(out, env, 'repository', 'CI_PROJECT_URL');
    // As the collector's refOf: the first of these that is set.
    const ref = setVariables(env, 'CI_COMMIT_TAG', 'CI_COMMIT_BRANCH', 'CI_MERGE_REQUEST_REF_PATH')[0];
    if (ref !== undefined) out.set('ref', [ref]);
    putSources(out, env, 'commit', 'CI_COMMIT_SHA');
    putSources(out, env, 'triggerEvent', 'CI_PIPELINE_SOURCE');
    putSources(out, env, 'workflow.path', 'CI_CONFIG_PATH');
    for (const [id, [variable]] of Object.entries(IDS)) putSources(out, env, `platformIds.${id}`, variable);
    return out;
  },

  claims: {
    // GitLab's tokens name the instance itself as issuer (https://gitlab.com on GitLab.com).
    issuer: (env) => {
      const server = env['CI_SERVER_URL'];
      return server === undefined || server === '' ? undefined : server.replace(/\/+$/, '');
    },

    async token(ctx) {
      for (const [variable, audience] of TOKEN_VARIABLES) {
        const token = ctx.env[variable];
        if (token !== undefined && token.trim() !== '') return { kind: 'token', token: token.trim(), audience };
      }
      return { kind: 'unavailable', reason: 'no-token', message: gitlabCiToken.missing(ctx.env) ?? 'GitLab CI gives this job no ID token' };
    },

    facts(claims, issuer) {
      const out = new Map<CiFactKey, ClaimFact>();
      const c = (name: string) => claimString(claims, name);
      const put = (key: CiFactKey, value: string | undefined, ...names: string[]) => {
        if (value !== undefined) out.set(key, { value, claims: names });
      };
      const project = c('project_path');
      if (project !== undefined) {
        put('repository', `${issuer}/${project}`, 'iss', 'project_path');
        const job = c('job_id');
        if (job !== undefined) put('invocationId', `${issuer}/${project}/-/jobs/${job}`, 'iss', 'project_path', 'job_id');
        const runner = c('runner_id');
        if (runner !== undefined) put('builderId', `${issuer}/${project}/-/runners/${runner}`, 'iss', 'project_path', 'runner_id');
      }
      // A merge request pipeline's `ref` claim is the source branch, while the collector records the
      // merge request ref (refs/merge-requests/<iid>/head): different things, so not compared.
      if (c('pipeline_source') !== 'merge_request_event') {
        const ref = c('ref');
        const type = c('ref_type');
        if (ref !== undefined && (type === 'tag' || type === 'branch')) put('ref', `refs/${type === 'tag' ? 'tags' : 'heads'}/${ref}`, 'ref', 'ref_type');
      }
      put('commit', c('sha'), 'sha');
      put('triggerEvent', c('pipeline_source'), 'pipeline_source');
      // Only the token says whether the runner is GitLab-hosted (no predefined variable does).
      const environment = c('runner_environment');
      if (environment === 'gitlab-hosted' || environment === 'self-hosted') {
        put('runnerKind', environment === 'gitlab-hosted' ? 'hosted' : 'self-hosted', 'runner_environment');
      }
      for (const [id, [, claim]] of Object.entries(IDS)) put(`platformIds.${id}`, c(claim), claim);
      return out;
    },
  },
};
