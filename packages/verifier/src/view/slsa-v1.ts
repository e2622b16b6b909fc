import type { ProvenanceV1 } from '@provenant/core';
import type { DependencyRef, PredicateView } from './provenance-view.ts';
import { sourceOfSlsaV1 } from './slsa-v1-source.ts';
import { workflowInputsOfSlsaV1 } from './workflow-inputs.ts';

/** Adapter: SLSA provenance v1 predicate (already schema-checked) -> view fields. */
export function viewOfSlsaV1(p: ProvenanceV1): PredicateView {
  const metadata = p.runDetails.metadata;
  const view: PredicateView = {
    builderId: p.runDetails.builder.id,
    buildType: p.buildDefinition.buildType,
    dependencies: (p.buildDefinition.resolvedDependencies ?? []).map(toDependency),
    locations: { builderId: 'predicate.runDetails.builder.id', buildType: 'predicate.buildDefinition.buildType', dependencies: 'predicate.buildDefinition.resolvedDependencies' },
  };
  const external: unknown = p.buildDefinition.externalParameters;
  if (isRecord(external)) {
    view.externalParameters = external;
    view.locations.externalParameters = 'predicate.buildDefinition.externalParameters';
  }
  const located = sourceOfSlsaV1(p);
  if (located) {
    view.source = located.source;
    view.locations.sourceUri = located.uriPath;
    if (located.refPath !== undefined) view.locations.ref = located.refPath;
  }
  const inputs = workflowInputsOfSlsaV1(p);
  if (inputs) {
    view.workflowInputs = inputs.inputs;
    view.locations.workflowInputs = inputs.path;
  }
  if (metadata?.invocationId !== undefined) view.invocationId = metadata.invocationId;
  if (metadata?.startedOn !== undefined) view.startedOn = metadata.startedOn;
  if (metadata?.finishedOn !== undefined) view.finishedOn = metadata.finishedOn;
  if (view.finishedOn !== undefined) view.locations.time = 'predicate.runDetails.metadata.finishedOn';
  else if (view.startedOn !== undefined) view.locations.time = 'predicate.runDetails.metadata.startedOn';
  return view;
}

function toDependency(rd: { uri?: string; digest?: Record<string, string>; name?: string; downloadLocation?: string; annotations?: Record<string, unknown> }): DependencyRef {
  const out: DependencyRef = {};
  if (rd.uri !== undefined) out.uri = rd.uri;
  if (rd.digest !== undefined) out.digest = rd.digest;
  if (rd.name !== undefined) out.name = rd.name;
  if (rd.downloadLocation !== undefined) out.downloadLocation = rd.downloadLocation;
  if (rd.annotations !== undefined) out.annotations = rd.annotations;
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
