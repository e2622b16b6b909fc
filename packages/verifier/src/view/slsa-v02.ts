import type { ProvenanceV02 } from '@provenant/core';
import { splitGitUri } from '../source-uri.ts';
import type { DependencyRef, PredicateView } from './provenance-view.ts';
import { workflowInputsOfSlsaV02 } from './workflow-inputs.ts';

const CONFIG_SOURCE_URI = 'predicate.invocation.configSource.uri';

/** Adapter: SLSA provenance v0.2 predicate (already schema-checked) -> view fields. */
export function viewOfSlsaV02(p: ProvenanceV02): PredicateView {
  const view: PredicateView = {
    builderId: p.builder.id,
    buildType: p.buildType,
    dependencies: (p.materials ?? []).map((m) => {
      const out: DependencyRef = {};
      if (m.uri !== undefined) out.uri = m.uri;
      if (m.digest !== undefined) out.digest = m.digest;
      return out;
    }),
    locations: { builderId: 'predicate.builder.id', buildType: 'predicate.buildType', dependencies: 'predicate.materials' },
  };
  const configSource = p.invocation?.configSource;
  if (configSource?.uri !== undefined && configSource.uri !== '') {
    const { uri, ref } = splitGitUri(configSource.uri);
    view.source = { uri };
    view.locations.sourceUri = CONFIG_SOURCE_URI;
    if (ref !== undefined) {
      view.source.ref = ref;
      view.locations.ref = CONFIG_SOURCE_URI;
    }
    const commit = configSource.digest?.['sha1'] ?? configSource.digest?.['gitCommit'];
    if (commit !== undefined) view.source.commit = commit;
  }
  const parameters: unknown = p.invocation?.parameters;
  if (parameters !== null && typeof parameters === 'object' && !Array.isArray(parameters)) {
    view.externalParameters = parameters as Record<string, unknown>;
    view.locations.externalParameters = 'predicate.invocation.parameters';
  }
  const inputs = workflowInputsOfSlsaV02(p);
  if (inputs) {
    view.workflowInputs = inputs.inputs;
    view.locations.workflowInputs = inputs.path;
  }
  const metadata = p.metadata;
  if (metadata?.buildInvocationId !== undefined) view.invocationId = metadata.buildInvocationId;
  if (metadata?.buildStartedOn !== undefined) view.startedOn = metadata.buildStartedOn;
  if (metadata?.buildFinishedOn !== undefined) view.finishedOn = metadata.buildFinishedOn;
  if (view.finishedOn !== undefined) view.locations.time = 'predicate.metadata.buildFinishedOn';
  else if (view.startedOn !== undefined) view.locations.time = 'predicate.metadata.buildStartedOn';
  return view;
}
