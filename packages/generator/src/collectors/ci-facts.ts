import { ProvenantError } from '@provenant/core';
import type { CollectorContext } from '../context.ts';

/** What the CI platform says about the build it is running. Identifiers only, never secrets. */
export interface CiFacts {
  platform:
    | 'github-actions'
    | 'gitlab-ci'
    | 'buildkite'
    | 'circleci'
    | 'azure-pipelines'
    | 'bitbucket-pipelines'
    | 'aws-codebuild'
    | 'jenkins'
    | 'google-cloud-build'
    | 'local';
  /** URI of the build platform (SLSA runDetails.builder.id). */
  builderId: string;
  /** Globally unique id of this run: the run + attempt URL where the platform has one. */
  invocationId: string;
  /** What started the run, in the platform's words (`push`, `workflow_dispatch`, `merge_request_event`). */
  triggerEvent?: string;
  /** Only where the platform states it. */
  runnerKind?: 'hosted' | 'self-hosted';
  /** URL of the source repository as the platform reports it (https, or an ssh/scp-like remote), credentials removed. */
  repository?: string;
  /** Full ref, e.g. refs/heads/main, refs/tags/v1. */
  ref?: string;
  commit?: string;
  /** GitHub: workflow file path and ref (from GITHUB_WORKFLOW_REF). GitLab: CI config path. Cloud Build: the trigger's config file. */
  workflow?: { path?: string; ref?: string };
  /** Run/job/pipeline/project identifiers (not secrets), keys sorted. */
  platformIds: Record<string, string>;
}

/** The value of a variable, or undefined when it is unset or empty (CI platforms set empty strings). */
export function envValue(ctx: CollectorContext, name: string): string | undefined {
  const value = ctx.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The value of a variable the platform always sets. Its absence means the environment is not what
 * it claims to be, and provenance built from guesses would be wrong, so it is an error naming the
 * variable (names only: these collectors never put a value in a message).
 */
export function requireEnv(ctx: CollectorContext, platform: string, name: string): string {
  const value = envValue(ctx, name);
  if (value === undefined) throw new ProvenantError('COLLECTOR_FAILED', `${platform}: ${name} is not set; cannot identify the run`);
  return value;
}

/** Picks the set variables out of `mapping` (id key -> variable name), keys sorted. */
export function collectIds(ctx: CollectorContext, mapping: Record<string, string>): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const key of Object.keys(mapping).sort()) {
    const value = envValue(ctx, mapping[key]!);
    if (value !== undefined) ids[key] = value;
  }
  return ids;
}

/** A server URL without trailing slashes, so joined paths do not get `//`. */
export function trimTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}
