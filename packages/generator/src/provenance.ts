import {
  type ProvenanceV1,
  type ResourceDescriptor,
  SLSA_PROVENANCE_V1,
  STATEMENT_V1_TYPE,
  type StatementV1,
} from '@provenant/core';
import { PROVENANT_BUILD_TYPE } from './build-type.ts';
import { FIELD_SOURCES_EXTENSION } from './claims/field-sources.ts';
import { type FieldSourcesInput, describeFieldSources } from './claims/mark-fields.ts';
import type { CiFacts } from './collectors/ci.ts';
import type { EnvironmentFacts } from './collectors/environment.ts';
import type { GitFacts } from './collectors/git.ts';
import type { DependencyFacts } from './dependencies/model.ts';
import { toResourceDescriptor } from './dependencies/resource-descriptor.ts';
import type { Subject } from './subjects.ts';

/** Everything the collectors found about one build. */
export interface BuildFacts {
  ci: CiFacts;
  git?: GitFacts;
  environment?: EnvironmentFacts;
  dependencies: DependencyFacts[];
  startedOn: Date;
  finishedOn: Date;
  /** Version of provenant itself, recorded as the builder's version. */
  generatorVersion: string;
  /**
   * Where the facts came from. When given, the predicate carries the SLSA extension field
   * `runDetails.metadata.provenant_fieldSources` (docs/buildtype-ci-v1.md); generateProvenance always gives it.
   */
  fieldSources?: FieldSourcesInput;
}

/** The source the build came from: the CI platform's word first, the local checkout's second. */
export interface SourceFacts {
  repository?: string;
  ref?: string;
  commit?: string;
}

export function sourceOf(facts: Pick<BuildFacts, 'ci' | 'git'>): SourceFacts {
  return {
    repository: facts.ci.repository ?? facts.git?.remoteUrl,
    ref: facts.ci.ref ?? facts.git?.ref,
    commit: facts.ci.commit ?? facts.git?.commit,
  };
}

/**
 * Assembles an in-toto Statement v1 with a SLSA Provenance v1 predicate. Pure: same facts, same
 * statement. Serialise it with core's stableStringify for a deterministic key order.
 */
export function buildStatement(subjects: readonly Subject[], facts: BuildFacts): StatementV1 {
  const source = sourceOf(facts);
  const externalParameters: Record<string, unknown> = {};
  if (source.repository || source.ref || source.commit) externalParameters.source = compact({ ...source });
  if (facts.ci.triggerEvent) externalParameters.trigger = { event: facts.ci.triggerEvent };
  if (facts.ci.workflow && (facts.ci.workflow.path || facts.ci.workflow.ref)) externalParameters.workflow = compact({ ...facts.ci.workflow });

  const internalParameters: Record<string, unknown> = compact({
    platform: facts.ci.platform,
    runner: facts.ci.runnerKind ? { kind: facts.ci.runnerKind } : undefined,
    platformIds: Object.keys(facts.ci.platformIds).length > 0 ? facts.ci.platformIds : undefined,
    tree: facts.git ? { state: facts.git.treeState, changedFiles: facts.git.changedFiles } : undefined,
    environment: facts.environment,
    lockfiles: facts.dependencies.length > 0 ? facts.dependencies.map((d) => ({ path: d.lockfile, manager: d.manager, ecosystem: d.ecosystem, packages: d.packages.length })) : undefined,
  });

  const resolvedDependencies: ResourceDescriptor[] = [];
  const sourceDescriptor = sourceDependency(source, facts.git);
  if (sourceDescriptor) resolvedDependencies.push(sourceDescriptor);
  for (const lock of facts.dependencies) for (const pkg of lock.packages) resolvedDependencies.push(toResourceDescriptor(pkg));

  const predicate: ProvenanceV1 = {
    buildDefinition: {
      buildType: PROVENANT_BUILD_TYPE,
      externalParameters,
      internalParameters,
      resolvedDependencies,
    },
    runDetails: {
      builder: { id: facts.ci.builderId, version: { provenant: facts.generatorVersion } },
      metadata: {
        invocationId: facts.ci.invocationId,
        startedOn: rfc3339(facts.startedOn),
        finishedOn: rfc3339(facts.finishedOn),
      },
    },
  };
  if (facts.fieldSources && predicate.runDetails.metadata) {
    predicate.runDetails.metadata[FIELD_SOURCES_EXTENSION] = describeFieldSources(predicate, facts, facts.fieldSources);
  }
  return {
    _type: STATEMENT_V1_TYPE,
    subject: subjects.map((s) => ({ name: s.name, digest: { ...s.digest } })),
    predicateType: SLSA_PROVENANCE_V1,
    predicate: predicate as Record<string, unknown>,
  };
}

/** The source as the first resolved dependency, in the `git+URL@REF` form GitHub and SLSA tools use. */
function sourceDependency(source: SourceFacts, git: GitFacts | undefined): ResourceDescriptor | undefined {
  if (!source.repository || !source.commit) return undefined;
  const uri = `git+${source.repository}${source.ref ? `@${source.ref}` : ''}`;
  const digest = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(source.commit) ? { gitCommit: source.commit } : undefined;
  const annotations = git && git.commit === source.commit ? { treeState: git.treeState } : undefined;
  return compact({ uri, digest, annotations }) as ResourceDescriptor;
}

/** RFC 3339 in UTC with second precision, as the SLSA spec's examples use. */
function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function compact<T extends Record<string, unknown>>(obj: T): T {
  for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
  return obj;
}
