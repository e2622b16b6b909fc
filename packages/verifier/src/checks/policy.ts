import { durationToMs } from '../duration.ts';
import type { Finding } from '../finding.ts';
import type { Policy } from '../policy.ts';

type ListField = ['predicateTypes'] | ['builder', 'ids'] | ['builder', 'idPrefixes'] | ['source', 'uris'] | ['source', 'refs'] | ['buildTypes'];

const LIST_FIELDS: readonly ListField[] = [['predicateTypes'], ['builder', 'ids'], ['builder', 'idPrefixes'], ['source', 'uris'], ['source', 'refs'], ['buildTypes']];

/**
 * A policy built in code did not go through parsePolicy: check what types cannot (lists of
 * non-empty strings, a readable maxAge), so that a broken policy fails instead of admitting more.
 */
export function verifyPolicyUsable(policy: Policy): Finding[] {
  const findings: Finding[] = [];
  for (const field of LIST_FIELDS) {
    const value = readField(policy, field);
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
      findings.push({ code: 'POLICY_INVALID', message: `policy ${field.join('.')} must be a list of non-empty strings`, path: `policy.${field.join('.')}`, actual: value });
    }
  }
  if (policy.maxAge !== undefined && durationToMs(policy.maxAge) === undefined) {
    findings.push({
      code: 'POLICY_INVALID',
      message: `policy maxAge ${JSON.stringify(policy.maxAge)} is not a duration such as 30d, 12h, 90m, 3600s or a positive number of seconds`,
      path: 'policy.maxAge',
      actual: policy.maxAge,
    });
  }
  return findings;
}

function readField(policy: Policy, field: ListField): unknown {
  let value: unknown = policy;
  for (const key of field) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[key];
  return value;
}
