import { bitbucketPipelinesProfile } from './bitbucket-claims.ts';
import { buildkiteProfile } from './buildkite-claims.ts';
import { circleciProfile } from './circleci-claims.ts';
import { githubActionsProfile } from './github-actions-claims.ts';
import { gitlabCiProfile } from './gitlab-ci-claims.ts';
import type { PlatformProfile } from './platform-profile.ts';

/** A local build reads nothing from the environment: every CI fact is provenant's own. */
const localProfile: PlatformProfile = {
  platform: 'local',
  environmentSources: () => new Map(),
};

/**
 * The profiles provenant has. A platform without one still gets provenance; its CI facts are
 * marked as coming from the environment without naming variables, and no claims are read.
 */
export const PLATFORM_PROFILES: readonly PlatformProfile[] = [
  githubActionsProfile,
  gitlabCiProfile,
  buildkiteProfile,
  circleciProfile,
  bitbucketPipelinesProfile,
  localProfile,
];

/** The profile of a CiFacts.platform, if provenant has one. */
export function profileFor(platform: string): PlatformProfile | undefined {
  return PLATFORM_PROFILES.find((p) => p.platform === platform);
}
