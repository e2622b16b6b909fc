/** A resource the build used (SLSA v1 resolvedDependencies, v0.2 materials). */
export interface DependencyRef {
  uri?: string;
  digest?: Record<string, string>;
  name?: string;
  /** Where the resource was downloaded from (SLSA v1 ResourceDescriptor `downloadLocation`). */
  downloadLocation?: string;
  /** Producer-defined data; provenant's ci/v1 writes `{ ecosystem, scope, direct, sourceKind }`. */
  annotations?: Record<string, unknown>;
}

/** An artifact the statement is about. */
export interface SubjectRef {
  name?: string;
  digest: Record<string, string>;
}

/** Where the source of the build lives, read from whichever field the build type uses. */
export interface SourceRef {
  /** Normalised repository URI (no `git+`, no trailing `.git` or `/`, lowercase host). */
  uri: string;
  /** Git ref as written, e.g. `refs/heads/main`. */
  ref?: string;
  /** Commit id as written (SLSA v1 gitCommit, v0.2 sha1). */
  commit?: string;
}

/** JSON paths (in the statement) that each view field was read from, for finding paths. */
export interface ViewLocations {
  builderId?: string;
  buildType?: string;
  sourceUri?: string;
  ref?: string;
  time?: string;
  /** The object `workflowInputs` was read from. */
  workflowInputs?: string;
  /** The object `externalParameters` was read from: `predicate.buildDefinition.externalParameters` or `predicate.invocation.parameters`. */
  externalParameters?: string;
  /** The list `dependencies` was read from: `predicate.buildDefinition.resolvedDependencies` or `predicate.materials`. */
  dependencies?: string;
}

/**
 * What the checks see of an attestation, whatever its statement and predicate version. Adapters
 * (one per predicate version) fill it; checks never look at the raw predicate. Fields a
 * predicate does not have stay undefined, and a check constrained on them fails.
 */
export interface ProvenanceView {
  statementType: string;
  predicateType: string;
  subjects: SubjectRef[];
  builderId?: string;
  buildType?: string;
  source?: SourceRef;
  invocationId?: string;
  /** RFC 3339 text as written in the predicate. */
  startedOn?: string;
  finishedOn?: string;
  /** The inputs the workflow run was given (`workflow_dispatch`), by name, as recorded. */
  workflowInputs?: Record<string, unknown>;
  /**
   * The build's external parameters, by name, as recorded: SLSA v1 `buildDefinition.externalParameters`;
   * SLSA v0.2 `invocation.parameters` (its closest equivalent: the parameters the build was invoked
   * with), when it is an object. Undefined when the predicate records none.
   */
  externalParameters?: Record<string, unknown>;
  dependencies: DependencyRef[];
  locations: ViewLocations;
}

/** The predicate-specific part of a view, as an adapter returns it. */
export type PredicateView = Omit<ProvenanceView, 'statementType' | 'predicateType' | 'subjects'>;
