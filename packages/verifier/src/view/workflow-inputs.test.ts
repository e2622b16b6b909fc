import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProvenanceV02, ProvenanceV1 } from '@provenant/core';
import { workflowInputsOfSlsaV02, workflowInputsOfSlsaV1 } from './workflow-inputs.ts';

const v1 = (buildDefinition: Record<string, unknown>) => ({ buildDefinition: { buildType: 'x', externalParameters: {}, ...buildDefinition }, runDetails: { builder: { id: 'b' } } }) as ProvenanceV1;
const v02 = (invocation: Record<string, unknown>) => ({ builder: { id: 'b' }, buildType: 'x', invocation }) as ProvenanceV02;

describe('workflow inputs in the view', () => {
  it('SLSA v1: externalParameters.inputs (GitHub and slsa-framework workflow/v1)', () => {
    assert.deepEqual(workflowInputsOfSlsaV1(v1({ externalParameters: { inputs: { a: '1' } } })), { inputs: { a: '1' }, path: 'predicate.buildDefinition.externalParameters.inputs' });
  });
  it('SLSA v1: the event payload of a workflow_dispatch in internalParameters (BYOB)', () => {
    const internalParameters = { GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_EVENT_PAYLOAD: { inputs: { a: '1' } } };
    assert.deepEqual(workflowInputsOfSlsaV1(v1({ internalParameters })), { inputs: { a: '1' }, path: 'predicate.buildDefinition.internalParameters.GITHUB_EVENT_PAYLOAD.inputs' });
  });
  it('no inputs from an event other than workflow_dispatch, nor from a value that is not an object', () => {
    assert.equal(workflowInputsOfSlsaV1(v1({ internalParameters: { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PAYLOAD: { inputs: { a: '1' } } } })), undefined);
    assert.equal(workflowInputsOfSlsaV1(v1({ externalParameters: { inputs: ['a'] } })), undefined);
    assert.equal(workflowInputsOfSlsaV02(v02({ environment: { github_event_name: 'push', github_event_payload: { inputs: { a: '1' } } } })), undefined);
  });
  it('SLSA v0.2: the event payload in invocation.environment, else invocation.parameters.inputs', () => {
    const environment = { github_event_name: 'workflow_dispatch', github_event_payload: { inputs: { a: '1' } } };
    assert.deepEqual(workflowInputsOfSlsaV02(v02({ environment, parameters: { inputs: { a: '2' } } })), { inputs: { a: '1' }, path: 'predicate.invocation.environment.github_event_payload.inputs' });
    assert.deepEqual(workflowInputsOfSlsaV02(v02({ parameters: { inputs: { a: '2' } } })), { inputs: { a: '2' }, path: 'predicate.invocation.parameters.inputs' });
  });
});
