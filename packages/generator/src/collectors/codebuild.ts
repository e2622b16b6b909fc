import { ProvenantError } from '@provenant/core';
import type { Collector, CollectorContext } from '../context.ts';
import type { CiFacts } from './ci-facts.ts';
import { collectIds, envValue, requireEnv } from './ci-facts.ts';
import { branchRef, commitSha, compactFacts, fullRef, repositoryUrl, safeIds, tagRef } from './ci-values.ts';

const PLATFORM = 'AWS CodeBuild';

/** The product's URL: CodeBuild itself publishes no builder id. */
const BUILDER_ID = 'https://aws.amazon.com/codebuild';

/** `arn:<partition>:codebuild:<region>:<account>:build/<project>:<build uuid>` */
const BUILD_ARN = /^arn:[a-z-]+:codebuild:([a-z0-9-]+):(\d{12}):build\/([^:]+):[^:]+$/;

/** Identifier key -> variable. */
const PLATFORM_ID_VARIABLES: Record<string, string> = {
  batch_build_identifier: 'CODEBUILD_BATCH_BUILD_IDENTIFIER',
  build_id: 'CODEBUILD_BUILD_ID',
  build_number: 'CODEBUILD_BUILD_NUMBER',
};

/**
 * The ref being built. Webhook builds have CODEBUILD_WEBHOOK_TRIGGER: `branch/<name>`,
 * `tag/<name>` or `pr/<number>`; for a pull request the head branch may be in a fork, so no ref
 * is claimed. Other builds have only CODEBUILD_SOURCE_VERSION, which is a commit, a branch or a tag
 * name and cannot be told apart unless it is a full ref.
 */
function refOf(ctx: CollectorContext): string | undefined {
  const trigger = envValue(ctx, 'CODEBUILD_WEBHOOK_TRIGGER');
  if (trigger?.startsWith('branch/')) return branchRef(trigger.slice('branch/'.length));
  if (trigger?.startsWith('tag/')) return tagRef(trigger.slice('tag/'.length));
  if (trigger !== undefined) return undefined;
  return fullRef(envValue(ctx, 'CODEBUILD_SOURCE_VERSION'));
}

/** CODEBUILD_SOURCE_REPO_URL is a clone URL for git sources and `s3://...` for S3 input artifacts. */
function repositoryOf(ctx: CollectorContext): string | undefined {
  const url = envValue(ctx, 'CODEBUILD_SOURCE_REPO_URL');
  return url === undefined || /^s3:/i.test(url) ? undefined : repositoryUrl(url);
}

/**
 * AWS CodeBuild, detected by CODEBUILD_BUILD_ID. Reads only the variables of "Environment variables
 * in build environments"; throws COLLECTOR_FAILED without a CODEBUILD_BUILD_ARN of the documented
 * form.
 *
 * invocationId is CODEBUILD_BUILD_ARN: it names partition, region, account, project and build, and
 * a retry is a new build with a new ARN. Region, account and project are also recorded in
 * platformIds, parsed from it. triggerEvent is CODEBUILD_WEBHOOK_EVENT (`PUSH`,
 * `PULL_REQUEST_CREATED`, ...) for webhook builds; CODEBUILD_INITIATOR is not used, since for a
 * build started by hand it is a person's user name. runnerKind is never set: builds run on AWS's
 * fleets, but no variable states it, and CodeBuild's local agent runs the same images elsewhere.
 */
export const codebuildCollector: Collector<CiFacts> = {
  name: 'aws-codebuild',

  detect: (ctx) => envValue(ctx, 'CODEBUILD_BUILD_ID') !== undefined,

  async collect(ctx) {
    const arn = requireEnv(ctx, PLATFORM, 'CODEBUILD_BUILD_ARN');
    const parsed = BUILD_ARN.exec(arn);
    if (parsed === null) throw new ProvenantError('COLLECTOR_FAILED', `${PLATFORM}: CODEBUILD_BUILD_ARN is not a CodeBuild build ARN; cannot identify the run`);
    const trigger = envValue(ctx, 'CODEBUILD_WEBHOOK_TRIGGER');
    return compactFacts({
      platform: 'aws-codebuild',
      builderId: BUILDER_ID,
      invocationId: arn,
      triggerEvent: envValue(ctx, 'CODEBUILD_WEBHOOK_EVENT'),
      repository: repositoryOf(ctx),
      ref: refOf(ctx),
      commit: commitSha(envValue(ctx, 'CODEBUILD_RESOLVED_SOURCE_VERSION')),
      platformIds: safeIds({
        ...collectIds(ctx, PLATFORM_ID_VARIABLES),
        account_id: parsed[2],
        project: parsed[3],
        pull_request: trigger?.startsWith('pr/') ? trigger.slice('pr/'.length) : undefined,
        region: parsed[1],
      }),
    });
  },
};
