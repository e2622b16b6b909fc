import { ProvenantError } from '@provenant/core';
import type { CollectorContext } from '../context.ts';
import type { CiFacts } from './ci-facts.ts';
import { requireEnv } from './ci-facts.ts';
import { looksLikeSecret } from './secrets.ts';
import { parseUrlParts, stripUrlCredentials } from './url-credentials.ts';

/*
 * Value handling shared by the CI collectors of docs/ci-platforms.md. Every platform reports
 * branches, tags, commits and repository URLs in slightly different shapes; these helpers turn
 * them into the forms CiFacts promises, and drop what cannot be trusted to be what it claims.
 */

const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/**
 * A full git commit id (SHA-1 or SHA-256), lowercased, else undefined. Platforms put other things
 * in their "commit" variables too: Buildkite documents `HEAD`, Azure Pipelines a TFVC changeset
 * number, CodeBuild an S3 object version. Recording those as a gitCommit digest would be false.
 */
export function commitSha(value: string | undefined): string | undefined {
  return value !== undefined && COMMIT_SHA.test(value) ? value.toLowerCase() : undefined;
}

/** `refs/heads/<branch>`, or undefined without a branch. */
export function branchRef(branch: string | undefined): string | undefined {
  return branch === undefined ? undefined : `refs/heads/${branch}`;
}

/** `refs/tags/<tag>`, or undefined without a tag. */
export function tagRef(tag: string | undefined): string | undefined {
  return tag === undefined ? undefined : `refs/tags/${tag}`;
}

/** The value when it already is a full ref (`refs/...`), else undefined (TFVC paths, bare names). */
export function fullRef(value: string | undefined): string | undefined {
  return value?.startsWith('refs/') ? value : undefined;
}

/**
 * A repository URL fit to record: credentials, query and fragment removed (see
 * stripUrlCredentials). When what remains still looks like a secret (an scp-like remote whose user
 * part is a token), no URL is better than a leaked one.
 */
export function repositoryUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const stripped = stripUrlCredentials(value);
  return looksLikeSecret(stripped) ? undefined : stripped;
}

/**
 * An http(s) URL the platform always sets, with credentials, query and fragment removed. A
 * missing or malformed value is COLLECTOR_FAILED naming the variable, never quoting it.
 */
export function requireHttpUrl(ctx: CollectorContext, platform: string, name: string): string {
  const value = requireEnv(ctx, platform, name);
  const parts = parseUrlParts(value);
  const host = parts?.hostAndPath.split('/', 1)[0] ?? '';
  if (parts === undefined || !/^https?$/i.test(parts.scheme) || host === '' || !URL.canParse(value)) {
    throw new ProvenantError('COLLECTOR_FAILED', `${platform}: ${name} is not an http(s) URL; cannot identify the run`);
  }
  return stripUrlCredentials(value);
}

/**
 * The identifiers whose values do not look like secrets, keys sorted. Every variable can be
 * overridden by the pipeline's own configuration, so an "id" is checked before it is recorded,
 * like everything else.
 */
export function safeIds(ids: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const key of Object.keys(ids).sort()) {
    const value = ids[key];
    if (value !== undefined && !looksLikeSecret(value)) kept[key] = value;
  }
  return kept;
}

/** The facts with unset optional fields left out rather than present as `undefined`. */
export function compactFacts(facts: CiFacts): CiFacts {
  const compact: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(facts)) if (value !== undefined) compact[key] = value;
  return compact as unknown as CiFacts;
}
