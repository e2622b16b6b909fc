import { ProvenantError } from '@provenant/core';
import type { Collector, CollectorContext } from '../context.ts';
import type { CiFacts } from './ci-facts.ts';
import { collectIds, envValue, trimTrailingSlashes } from './ci-facts.ts';
import { branchRef, commitSha, compactFacts, fullRef, repositoryUrl, requireHttpUrl, safeIds, tagRef } from './ci-values.ts';

const PLATFORM = 'Jenkins';

/** Identifier key -> variable (core and multibranch). */
const PLATFORM_ID_VARIABLES: Record<string, string> = {
  build_number: 'BUILD_NUMBER',
  change_id: 'CHANGE_ID',
  job_name: 'JOB_NAME',
  node_name: 'NODE_NAME',
};

/**
 * The ref being built, most specific first:
 * - multibranch: TAG_NAME for a tag job; a change request (CHANGE_ID, e.g. a pull request) has no
 *   ref of the repository that Jenkins reports, since BRANCH_NAME is then a name like `PR-24` and
 *   the head may live in a fork, so none is claimed; otherwise BRANCH_NAME;
 * - Git plugin: GIT_LOCAL_BRANCH when "checkout to local branch" is on; GIT_BRANCH as a full ref,
 *   or `origin/<branch>`. Under another remote name the remote part cannot be told from a branch
 *   containing `/`, so no ref is claimed.
 */
function refOf(ctx: CollectorContext): string | undefined {
  const tag = envValue(ctx, 'TAG_NAME');
  if (tag !== undefined) return tagRef(tag);
  if (envValue(ctx, 'CHANGE_ID') !== undefined) return undefined;
  const branch = envValue(ctx, 'BRANCH_NAME') ?? envValue(ctx, 'GIT_LOCAL_BRANCH');
  if (branch !== undefined) return branchRef(branch);
  const gitBranch = envValue(ctx, 'GIT_BRANCH');
  if (gitBranch?.startsWith('origin/')) return branchRef(gitBranch.slice('origin/'.length));
  return fullRef(gitBranch);
}

/**
 * Jenkins, detected by JENKINS_URL or JENKINS_HOME together with BUILD_ID: JENKINS_HOME alone is
 * also set in a controller's shell outside any build. Reads the core variables of Jenkins'
 * env-vars.html and the Git plugin's GIT_* variables.
 *
 * builderId is the controller, JENKINS_URL without trailing slashes: nodes (NODE_NAME) are often
 * ephemeral cloud agents, so they go to platformIds instead. runnerKind is always `self-hosted`:
 * whoever runs Jenkins operates both the controller and its agents. invocationId is BUILD_URL, which
 * a rebuild or replay changes (each is a new build number). Jenkins sets JENKINS_URL and BUILD_URL
 * only when a Jenkins URL is configured (Manage Jenkins > System); without them the run cannot be
 * named, which is COLLECTOR_FAILED. No variable names the build's cause, so triggerEvent is unset.
 */
export const jenkinsCollector: Collector<CiFacts> = {
  name: 'jenkins',

  detect: (ctx) => (envValue(ctx, 'JENKINS_URL') ?? envValue(ctx, 'JENKINS_HOME')) !== undefined && envValue(ctx, 'BUILD_ID') !== undefined,

  async collect(ctx) {
    for (const name of ['JENKINS_URL', 'BUILD_URL']) {
      if (envValue(ctx, name) === undefined) {
        throw new ProvenantError('COLLECTOR_FAILED', `${PLATFORM}: ${name} is not set (set the Jenkins URL in Manage Jenkins > System); cannot identify the run`);
      }
    }
    const controller = trimTrailingSlashes(requireHttpUrl(ctx, PLATFORM, 'JENKINS_URL'));
    return compactFacts({
      platform: 'jenkins',
      builderId: controller,
      invocationId: requireHttpUrl(ctx, PLATFORM, 'BUILD_URL'),
      runnerKind: 'self-hosted',
      repository: repositoryUrl(envValue(ctx, 'GIT_URL')),
      ref: refOf(ctx),
      commit: commitSha(envValue(ctx, 'GIT_COMMIT')),
      platformIds: safeIds(collectIds(ctx, PLATFORM_ID_VARIABLES)),
    });
  },
};
