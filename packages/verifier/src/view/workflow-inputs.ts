import type { ProvenanceV02, ProvenanceV1 } from '@provenant/core';

/** The inputs a workflow run was given, with the statement path they were read from. */
export interface LocatedInputs {
  inputs: Record<string, unknown>;
  path: string;
}

const V1 = 'predicate.buildDefinition';
const V02 = 'predicate.invocation';

/**
 * SLSA v1: `externalParameters.inputs` (GitHub's and slsa-framework's workflow/v1 build types
 * record the `workflow_dispatch` inputs there); else, as slsa-verifier reads BYOB provenance, the
 * event payload's inputs in `internalParameters` when the event was a `workflow_dispatch`.
 */
export function workflowInputsOfSlsaV1(p: ProvenanceV1): LocatedInputs | undefined {
  const external = asRecord(p.buildDefinition.externalParameters['inputs']);
  if (external) return { inputs: external, path: `${V1}.externalParameters.inputs` };
  const internal = asRecord(p.buildDefinition.internalParameters);
  return dispatchInputs(internal, 'GITHUB_EVENT_NAME', 'GITHUB_EVENT_PAYLOAD', `${V1}.internalParameters`);
}

/**
 * SLSA v0.2: as slsa-verifier reads slsa-github-generator's provenance, the event payload's inputs
 * in `invocation.environment` when the event was a `workflow_dispatch`; else `invocation.parameters.inputs`.
 */
export function workflowInputsOfSlsaV02(p: ProvenanceV02): LocatedInputs | undefined {
  const fromEvent = dispatchInputs(asRecord(p.invocation?.environment), 'github_event_name', 'github_event_payload', `${V02}.environment`);
  if (fromEvent) return fromEvent;
  const parameters = asRecord(asRecord(p.invocation?.parameters)?.['inputs']);
  return parameters ? { inputs: parameters, path: `${V02}.parameters.inputs` } : undefined;
}

/** `env[payloadKey].inputs` when `env[eventKey]` is `workflow_dispatch`: other events carry no inputs. */
function dispatchInputs(env: Record<string, unknown> | undefined, eventKey: string, payloadKey: string, base: string): LocatedInputs | undefined {
  if (env?.[eventKey] !== 'workflow_dispatch') return undefined;
  const inputs = asRecord(asRecord(env[payloadKey])?.['inputs']);
  return inputs ? { inputs, path: `${base}.${payloadKey}.inputs` } : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
