import type { Collector, CollectorContext } from '../context.ts';
import { azurePipelinesCollector } from './azure-pipelines.ts';
import { bitbucketPipelinesCollector } from './bitbucket-pipelines.ts';
import { buildkiteCollector } from './buildkite.ts';
import type { CiFacts } from './ci-facts.ts';
import { circleciCollector } from './circleci.ts';
import { cloudBuildCollector } from './cloud-build.ts';
import { codebuildCollector } from './codebuild.ts';
import { githubActionsCollector } from './github-actions.ts';
import { gitlabCiCollector } from './gitlab-ci.ts';
import { jenkinsCollector } from './jenkins.ts';
import { localCollector } from './local.ts';

export type { CiFacts } from './ci-facts.ts';

/**
 * The CI collectors in detection order. The first that detects its platform wins, so the order
 * goes from the most to the least specific evidence:
 * 1. platforms that set a flag of their own (GITHUB_ACTIONS, GITLAB_CI, BUILDKITE, CIRCLECI,
 *    TF_BUILD) or a variable only they set (BITBUCKET_BUILD_NUMBER, CODEBUILD_BUILD_ID);
 * 2. Jenkins, recognised by JENKINS_URL/JENKINS_HOME with BUILD_ID;
 * 3. Google Cloud Build, recognised only by substitutions the build config mapped into the
 *    environment (PROJECT_ID and a UUID BUILD_ID), the weakest evidence of all;
 * 4. the local collector, which always detects: the list alone defines the fallback, so a new
 *    platform is inserted before it.
 * See docs/ci-platforms.md for what each one reads.
 */
export const ciCollectors: readonly Collector<CiFacts>[] = [
  githubActionsCollector,
  gitlabCiCollector,
  buildkiteCollector,
  circleciCollector,
  azurePipelinesCollector,
  bitbucketPipelinesCollector,
  codebuildCollector,
  jenkinsCollector,
  cloudBuildCollector,
  localCollector,
];

/** Facts from the first CI collector that detects its platform (see ciCollectors), else local. */
export async function detectCi(ctx: CollectorContext): Promise<CiFacts> {
  for (const collector of ciCollectors) {
    if (await collector.detect(ctx)) return collector.collect(ctx);
  }
  return localCollector.collect(ctx); // unreachable while localCollector is in the list
}
