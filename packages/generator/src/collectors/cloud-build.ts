import type { Collector, CollectorContext } from '../context.ts';
import type { CiFacts } from './ci-facts.ts';
import { collectIds, envValue, requireEnv } from './ci-facts.ts';
import { branchRef, commitSha, compactFacts, safeIds, tagRef } from './ci-values.ts';

const PLATFORM = 'Google Cloud Build';

/**
 * The product's URL. Deliberately not `https://cloudbuild.googleapis.com/GoogleHostedWorker`: that
 * is the builder id of the provenance Cloud Build itself generates and signs outside the build,
 * which verifiers trust as SLSA Build L3. Provenance recorded by a step of the build is a different
 * claim and must not be mistaken for it.
 */
const BUILDER_ID = 'https://cloud.google.com/build';

/** Cloud Build ids are UUIDs; Jenkins' BUILD_ID is a number, so the shape also keeps them apart. */
const BUILD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Identifier key -> substitution mapped to an environment variable. */
const PLATFORM_ID_VARIABLES: Record<string, string> = {
  build_id: 'BUILD_ID',
  location: 'LOCATION',
  pr_number: '_PR_NUMBER',
  project_id: 'PROJECT_ID',
  project_number: 'PROJECT_NUMBER',
  repo_full_name: 'REPO_FULL_NAME',
  trigger_name: 'TRIGGER_NAME',
};

/**
 * Tag and branch triggers have TAG_NAME or BRANCH_NAME. For a pull request trigger (_PR_NUMBER)
 * which ref was built is not stated, so none is claimed.
 */
function refOf(ctx: CollectorContext): string | undefined {
  const tag = envValue(ctx, 'TAG_NAME');
  if (tag !== undefined) return tagRef(tag);
  if (envValue(ctx, '_PR_NUMBER') !== undefined) return undefined;
  return branchRef(envValue(ctx, 'BRANCH_NAME'));
}

/**
 * Google Cloud Build. Cloud Build passes its substitutions to a step only when the build config
 * maps them into the environment, with `options: automapSubstitutions: true` or per step
 * (`env: ['BUILD_ID=$BUILD_ID', 'PROJECT_ID=$PROJECT_ID', 'LOCATION=$LOCATION', ...]`, the full list
 * in docs/ci-platforms.md). Detected by PROJECT_ID together with a UUID-shaped BUILD_ID.
 *
 * invocationId is the build's page in the Google Cloud console,
 * `https://console.cloud.google.com/cloud-build/builds;region=<LOCATION>/<BUILD_ID>?project=<PROJECT_ID>`
 * (without `;region=` when LOCATION is not mapped: the global region). A retry is a new build with
 * a new id.
 *
 * repository is never set: the substitutions name the repository (REPO_FULL_NAME, recorded in
 * platformIds) but not its host, and the checkout's remote is used instead. runnerKind is never set:
 * workers are Google's, but nothing in the environment says so beyond what the build config
 * itself mapped. triggerEvent is unset too: TRIGGER_NAME is the trigger's name, not an event.
 */
export const cloudBuildCollector: Collector<CiFacts> = {
  name: 'google-cloud-build',

  detect: (ctx) => envValue(ctx, 'PROJECT_ID') !== undefined && BUILD_ID.test(envValue(ctx, 'BUILD_ID') ?? ''),

  async collect(ctx) {
    const buildId = requireEnv(ctx, PLATFORM, 'BUILD_ID');
    const project = requireEnv(ctx, PLATFORM, 'PROJECT_ID');
    const location = envValue(ctx, 'LOCATION');
    const region = location === undefined ? '' : `;region=${encodeURIComponent(location)}`;
    const configPath = envValue(ctx, 'TRIGGER_BUILD_CONFIG_PATH');
    return compactFacts({
      platform: 'google-cloud-build',
      builderId: BUILDER_ID,
      invocationId: `https://console.cloud.google.com/cloud-build/builds${region}/${encodeURIComponent(buildId)}?project=${encodeURIComponent(project)}`,
      ref: refOf(ctx),
      commit: commitSha(envValue(ctx, 'COMMIT_SHA') ?? envValue(ctx, 'REVISION_ID')),
      workflow: configPath === undefined ? undefined : { path: configPath },
      platformIds: safeIds(collectIds(ctx, PLATFORM_ID_VARIABLES)),
    });
  },
};
