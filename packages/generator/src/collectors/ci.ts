import type { Collector, CollectorContext } from '../context.ts';
import type { CiFacts } from './ci-facts.ts';
import { githubActionsCollector } from './github-actions.ts';
import { gitlabCiCollector } from './gitlab-ci.ts';
import { localCollector } from './local.ts';

export type { CiFacts } from './ci-facts.ts';

/**
 * The CI collectors in detection order. The local collector comes last and always detects, so the
 * list alone defines the fallback; add a platform by inserting it before `localCollector`.
 */
export const ciCollectors: readonly Collector<CiFacts>[] = [githubActionsCollector, gitlabCiCollector, localCollector];

/** Facts from the first CI collector that detects its platform (GitHub Actions, GitLab CI, else local). */
export async function detectCi(ctx: CollectorContext): Promise<CiFacts> {
  for (const collector of ciCollectors) {
    if (await collector.detect(ctx)) return collector.collect(ctx);
  }
  return localCollector.collect(ctx); // unreachable while localCollector is in the list
}
