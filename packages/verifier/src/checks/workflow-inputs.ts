import type { Finding } from '../finding.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';

/**
 * slsa-verifier's `--build-workflow-input k=v`: each named input of the workflow run is present
 * and equal to its value. Inputs are text on GitHub; a number or boolean the predicate records
 * as JSON compares by its JSON text (`true`, `3`). One finding per input that differs.
 */
export function verifyWorkflowInputs(view: ProvenanceView, expected: Readonly<Record<string, string>> | undefined): Finding[] {
  if (expected === undefined) return [];
  const findings: Finding[] = [];
  const inputs = view.workflowInputs;
  const base = view.locations.workflowInputs ?? 'predicate';
  for (const [name, value] of Object.entries(expected)) {
    const actual = inputs !== undefined && Object.hasOwn(inputs, name) ? asText(inputs[name]) : undefined;
    if (actual === value) continue;
    findings.push({
      code: 'WORKFLOW_INPUT_MISMATCH',
      message:
        inputs === undefined
          ? `the provenance records no workflow inputs, and input ${name} must be ${JSON.stringify(value)}`
          : actual === undefined
            ? `workflow input ${name} is not recorded, and must be ${JSON.stringify(value)}`
            : `workflow input ${name} is ${JSON.stringify(actual)}, not ${JSON.stringify(value)}`,
      path: inputs === undefined ? base : `${base}.${name}`,
      expected: value,
      actual,
    });
  }
  return findings;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? JSON.stringify(value) : undefined;
}
