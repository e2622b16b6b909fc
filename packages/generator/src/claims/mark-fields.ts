import type { CiFacts } from '../collectors/ci-facts.ts';
import type { EnvironmentFacts } from '../collectors/environment.ts';
import type { DependencyFacts } from '../dependencies/model.ts';
import { type CiFactKey, predicatePathOf } from './ci-fact-keys.ts';
import type { ClaimsStatus, FieldSource, FieldSourceEntry, ProvenantFieldSources } from './field-sources.ts';

/** What generation knows about the origin of the facts, beyond the facts themselves. */
export interface FieldSourcesInput {
  /** Where each CI fact came from (mergeClaims). A CI fact missing here is marked `environment`. */
  ci: ReadonlyMap<CiFactKey, readonly FieldSource[]>;
  claims: ClaimsStatus;
  /** True when the caller gave startedOn (`--started-on`); else it is provenant's clock. */
  startedOnGiven: boolean;
  /** The variable that detected the CI platform (GITHUB_ACTIONS, GITLAB_CI), if known. */
  detectedBy?: string;
}

/** The facts mark-fields reads (a subset of BuildFacts, kept structural to avoid an import cycle). */
export interface MarkedFacts {
  ci: CiFacts;
  environment?: EnvironmentFacts;
  dependencies: readonly DependencyFacts[];
}

/**
 * Maps every field of an assembled SLSA v1 predicate that provenant wrote to where its value came
 * from. Pure. A field absent from the predicate gets no entry; a field built from several sources
 * lists each; an array's entry covers the elements that have no entry of their own.
 */
export function describeFieldSources(predicate: Readonly<Record<string, unknown>>, facts: MarkedFacts, input: FieldSourcesInput): ProvenantFieldSources {
  const entries = new Map<string, FieldSource[]>();
  const add = (field: string, sources: readonly FieldSource[]) => {
    if (sources.length > 0 && valueAt(predicate, field) !== undefined) entries.set(field, dedupe(sources));
  };
  const ci = (key: CiFactKey): readonly FieldSource[] => input.ci.get(key) ?? [{ kind: 'environment' }];
  const env = (names: readonly string[]): FieldSource[] => names.map((variable) => ({ kind: 'environment', variable }));

  // The source: the platform's word first, the checkout's second (sourceOf in provenance.ts).
  const sourceParts: FieldSource[] = [];
  for (const key of ['repository', 'ref', 'commit'] as const) {
    const sources = facts.ci[key] !== undefined ? ci(key) : [{ kind: 'git' } as const];
    add(predicatePathOf(key), sources);
    if (valueAt(predicate, predicatePathOf(key)) !== undefined) sourceParts.push(...sources);
  }
  add(predicatePathOf('triggerEvent'), ci('triggerEvent'));
  add(predicatePathOf('workflow.path'), ci('workflow.path'));
  add(predicatePathOf('workflow.ref'), ci('workflow.ref'));

  add(
    'buildDefinition.internalParameters.platform',
    facts.ci.platform === 'local' ? [{ kind: 'provenant' }] : input.detectedBy ? env([input.detectedBy]) : [{ kind: 'environment' }],
  );
  add(predicatePathOf('runnerKind'), ci('runnerKind'));
  for (const id of Object.keys(facts.ci.platformIds)) add(predicatePathOf(`platformIds.${id}`), ci(`platformIds.${id}`));
  add('buildDefinition.internalParameters.tree', [{ kind: 'git' }]);
  add('buildDefinition.internalParameters.environment', [{ kind: 'host' }]);
  if (facts.environment) {
    add('buildDefinition.internalParameters.environment.variables', env(Object.keys(facts.environment.variables)));
    add('buildDefinition.internalParameters.environment.redactedVariables', env(facts.environment.redactedVariables));
  }
  const lockfiles: FieldSource[] = facts.dependencies.map((d) => ({ kind: 'file', path: d.lockfile }));
  add('buildDefinition.internalParameters.lockfiles', lockfiles);

  const first = valueAt(predicate, 'buildDefinition.resolvedDependencies[0]') as { uri?: unknown; annotations?: unknown } | undefined;
  if (typeof first?.uri === 'string' && first.uri.startsWith('git+')) {
    // The source descriptor: repository, ref and commit, and the tree state if the checkout was inspected.
    add('buildDefinition.resolvedDependencies[0]', first.annotations === undefined ? sourceParts : [...sourceParts, { kind: 'git' }]);
  }
  if (facts.dependencies.some((d) => d.packages.length > 0)) add('buildDefinition.resolvedDependencies', lockfiles);

  add(predicatePathOf('builderId'), ci('builderId'));
  add('runDetails.builder.version.provenant', [{ kind: 'provenant' }]);
  add(predicatePathOf('invocationId'), ci('invocationId'));
  add('runDetails.metadata.startedOn', [input.startedOnGiven ? { kind: 'caller' } : { kind: 'provenant' }]);
  add('runDetails.metadata.finishedOn', [{ kind: 'provenant' }]);

  const fields: FieldSourceEntry[] = [...entries.keys()].sort().map((field) => ({ field, sources: entries.get(field)! }));
  return { claims: input.claims, fields };
}

/** The value at a dotted path with `[n]` indexes, or undefined. */
function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const part of path.split('.')) {
    const m = /^([^[]+)(?:\[(\d+)\])?$/.exec(part);
    if (!m || typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[m[1]!];
    if (m[2] !== undefined) node = Array.isArray(node) ? node[Number(m[2])] : undefined;
  }
  return node;
}

function dedupe(sources: readonly FieldSource[]): FieldSource[] {
  const seen = new Set<string>();
  return sources.filter((s) => {
    const key = JSON.stringify(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
