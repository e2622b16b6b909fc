import type { ProvenanceV1 } from '@provenant/core';
import { normaliseSourceUri, splitGitUri } from '../source-uri.ts';
import type { SourceRef } from './provenance-view.ts';

/** The build type provenant's own generator writes. */
export const PROVENANT_CI_BUILD_TYPE = 'https://provenant.dev/buildtypes/ci/v1';
/** GitHub artifact attestations (actions/attest-build-provenance). */
export const GITHUB_WORKFLOW_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';
/** slsa-github-generator v1 workflows. */
export const SLSA_GITHUB_GENERATOR_BUILD_TYPE = 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1';

/** A source with the paths it was read from. */
export interface LocatedSource {
  source: SourceRef;
  uriPath: string;
  refPath?: string;
}

type SourceReader = (p: ProvenanceV1) => LocatedSource | undefined;

const EXTERNAL = 'predicate.buildDefinition.externalParameters';
const FIRST_DEP = 'predicate.buildDefinition.resolvedDependencies[0]';

/** provenant ci/v1: `externalParameters.source = { repository, ref, commit }`. */
function readProvenantSource(p: ProvenanceV1): LocatedSource | undefined {
  const source = asRecord(p.buildDefinition.externalParameters['source']);
  const repository = asString(source?.['repository']);
  if (repository === undefined) return undefined;
  return located(`${EXTERNAL}.source`, 'repository', normaliseSourceUri(repository), asString(source?.['ref']), asString(source?.['commit']));
}

/** GitHub workflow/v1 and slsa-github-generator: `externalParameters.workflow = { repository, ref, path }`. */
function readWorkflowSource(p: ProvenanceV1): LocatedSource | undefined {
  const workflow = asRecord(p.buildDefinition.externalParameters['workflow']);
  const repository = asString(workflow?.['repository']);
  if (repository === undefined) return undefined;
  return located(`${EXTERNAL}.workflow`, 'repository', normaliseSourceUri(repository), asString(workflow?.['ref']), gitCommitOf(p));
}

/** Any other build type: the first resolved dependency, when it is a `git+URL@REF` URI. */
function readFirstGitDependency(p: ProvenanceV1): LocatedSource | undefined {
  const uri = p.buildDefinition.resolvedDependencies?.[0]?.uri;
  if (uri === undefined || !uri.startsWith('git+')) return undefined;
  const { uri: repo, ref } = splitGitUri(uri);
  const source: SourceRef = { uri: repo };
  if (ref !== undefined) source.ref = ref;
  const commit = gitCommitOf(p);
  if (commit !== undefined) source.commit = commit;
  const path = `${FIRST_DEP}.uri`;
  return ref === undefined ? { source, uriPath: path } : { source, uriPath: path, refPath: path };
}

const READERS: Record<string, SourceReader> = {
  [PROVENANT_CI_BUILD_TYPE]: readProvenantSource,
  [GITHUB_WORKFLOW_BUILD_TYPE]: readWorkflowSource,
  [SLSA_GITHUB_GENERATOR_BUILD_TYPE]: readWorkflowSource,
};

/** Reads the source of a SLSA v1 build the way its build type records it. */
export function sourceOfSlsaV1(p: ProvenanceV1): LocatedSource | undefined {
  const reader = READERS[p.buildDefinition.buildType] ?? readFirstGitDependency;
  return reader(p);
}

function located(base: string, uriKey: string, uri: string, ref: string | undefined, commit: string | undefined): LocatedSource {
  const source: SourceRef = { uri };
  if (ref !== undefined) source.ref = ref;
  if (commit !== undefined) source.commit = commit;
  const out: LocatedSource = { source, uriPath: `${base}.${uriKey}` };
  if (ref !== undefined) out.refPath = `${base}.ref`;
  return out;
}

function gitCommitOf(p: ProvenanceV1): string | undefined {
  const digest = p.buildDefinition.resolvedDependencies?.[0]?.digest;
  return digest?.['gitCommit'] ?? digest?.['sha1'];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
