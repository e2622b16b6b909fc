import { randomUUID } from 'node:crypto';
import type { Collector } from '../context.ts';
import type { CiFacts } from './ci-facts.ts';

/** Builder id of a build on a developer machine or an unrecognised CI: provenant itself is the builder. */
export const LOCAL_BUILDER_ID = 'https://provenant.dev/builders/local/v1';

/**
 * The fallback when no CI platform is detected. It always applies. There is no platform run to
 * point at, so the invocation id is a fresh random UUID URN: unique, and honest about meaning
 * nothing beyond this one run. Nothing here is attested by a third party, hence no runnerKind.
 */
export const localCollector: Collector<CiFacts> = {
  name: 'local',

  detect: () => true,

  async collect() {
    return {
      platform: 'local',
      builderId: LOCAL_BUILDER_ID,
      invocationId: `urn:uuid:${randomUUID()}`,
      platformIds: {},
    };
  },
};
