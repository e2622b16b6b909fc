import type { CiFactKey } from './ci-fact-keys.ts';
import { type ClaimFact, PROVENANT_AUDIENCE, type PlatformProfile, claimString, putSources, setVariables } from './platform-profile.ts';

/** CircleCI cloud. A CircleCI server installation's issuer is not documented, so none is assumed there. */
const CIRCLECI_CLOUD = 'https://circleci.com';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A fork pull request's vcs-ref (`refs/heads/pull/<n>`), which names no branch of the repository. */
const PULL_REF = /^refs\/heads\/pull\/\d+(?:\/|$)/;

type Env = Readonly<Record<string, string | undefined>>;

/** platformIds key -> [variable, claim] for the ids both state. */
const IDS: Record<string, [string, string]> = {
  organization_id: ['CIRCLE_ORGANIZATION_ID', 'oidc.circleci.com/org-id'],
  project_id: ['CIRCLE_PROJECT_ID', 'oidc.circleci.com/project-id'],
};

/** The collector's other platformIds, which no claim states. */
const OTHER_ID_VARIABLES: Record<string, string> = {
  build_num: 'CIRCLE_BUILD_NUM',
  job: 'CIRCLE_JOB',
  node_index: 'CIRCLE_NODE_INDEX',
  pipeline_id: 'CIRCLE_PIPELINE_ID',
  workflow_id: 'CIRCLE_WORKFLOW_ID',
  workflow_job_id: 'CIRCLE_WORKFLOW_JOB_ID',
};

/** The organization id when this is a CircleCI cloud job: it names the issuer and the default audience. */
function organizationOf(env: Env): string | undefined {
  const org = env['CIRCLE_ORGANIZATION_ID'];
  const buildUrl = env['CIRCLE_BUILD_URL'];
  if (org === undefined || !UUID.test(org) || buildUrl === undefined) return undefined;
  try {
    return new URL(buildUrl).origin === CIRCLECI_CLOUD ? org.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CircleCI: variables per "Project values and variables", claims per "Using OpenID Connect tokens
 * in jobs" and "OIDC tokens with custom claims". Each organization has its own issuer,
 * `https://oidc.circleci.com/org/<CIRCLE_ORGANIZATION_ID>`; tokens are issued only to jobs that use
 * a context.
 */
export const circleciProfile: PlatformProfile = {
  platform: 'circleci',
  detectedBy: 'CIRCLECI',

  environmentSources(env) {
    const out = new Map<CiFactKey, string[]>();
    putSources(out, env, 'builderId', 'CIRCLE_BUILD_URL');
    putSources(out, env, 'invocationId', 'CIRCLE_BUILD_URL');
    putSources(out, env, 'repository', 'CIRCLE_REPOSITORY_URL');
    const ref = setVariables(env, 'CIRCLE_TAG', 'CIRCLE_BRANCH')[0];
    if (ref !== undefined) out.set('ref', [ref]);
    putSources(out, env, 'commit', 'CIRCLE_SHA1');
    for (const [id, [variable]] of Object.entries(IDS)) putSources(out, env, `platformIds.${id}`, variable);
    for (const [id, variable] of Object.entries(OTHER_ID_VARIABLES)) putSources(out, env, `platformIds.${id}`, variable);
    return out;
  },

  claims: {
    issuer: (env) => {
      const org = organizationOf(env);
      return org === undefined ? undefined : `https://oidc.circleci.com/org/${org}`;
    },

    async token(ctx) {
      // A token for provenant's audience is good for nothing else; the CLI mints one on request.
      const r = await ctx.exec('circleci', ['run', 'oidc', 'get', '--claims', JSON.stringify({ aud: PROVENANT_AUDIENCE })], { timeoutMs: 30_000 });
      if (r.code === 0 && r.stdout.trim() !== '') return { kind: 'token', token: r.stdout.trim(), audience: PROVENANT_AUDIENCE };
      // Else the job's default token, whose documented audience is the organization id: the same
      // id the issuer is built from, so it is the only audience accepted for it.
      const fallback = ctx.env['CIRCLE_OIDC_TOKEN_V2']?.trim();
      const org = organizationOf(ctx.env);
      if (fallback !== undefined && fallback !== '' && org !== undefined) return { kind: 'token', token: fallback, audience: org };
      const why = r.code === null ? 'could not run the circleci CLI' : `\`circleci run oidc get\` failed (exit ${r.code})`;
      return {
        kind: 'unavailable',
        reason: 'no-token',
        message: `CircleCI: ${why}, and CIRCLE_OIDC_TOKEN_V2 is not set: CircleCI issues OIDC tokens only to jobs that use a context`,
      };
    },

    facts(claims) {
      const out = new Map<CiFactKey, ClaimFact>();
      const c = (name: string) => claimString(claims, name);
      const put = (key: CiFactKey, value: string | undefined, ...names: string[]) => {
        if (value !== undefined) out.set(key, { value, claims: names });
      };
      // vcs-ref is absent for custom webhooks; for a fork pull request it is `refs/heads/pull/<n>`
      // while the job checks out refs/pull/<n>/head, so it is not compared then.
      const ref = c('oidc.circleci.com/vcs-ref');
      if (ref !== undefined && (ref.startsWith('refs/heads/') || ref.startsWith('refs/tags/')) && !PULL_REF.test(ref)) {
        put('ref', ref, 'oidc.circleci.com/vcs-ref');
      }
      for (const [id, [, claim]] of Object.entries(IDS)) put(`platformIds.${id}`, c(claim), claim);
      // Only in the token. vcs-origin is `github.com/<org>/<repo>`, not the clone URL the
      // collector records as the repository, so it is kept as an id rather than compared.
      put('platformIds.vcs_origin', c('oidc.circleci.com/vcs-origin'), 'oidc.circleci.com/vcs-origin');
      // A job rerun with SSH had a person's shell in it: worth stating when the platform signs it.
      const ssh = claims['oidc.circleci.com/ssh-rerun'];
      if (typeof ssh === 'boolean') put('platformIds.ssh_rerun', String(ssh), 'oidc.circleci.com/ssh-rerun');
      return out;
    },
  },
};
