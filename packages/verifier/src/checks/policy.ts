import { durationToMs } from '../duration.ts';
import type { Finding } from '../finding.ts';
import { identityProblems } from '../identity-policy.ts';
import { verifyDependencyPolicyUsable } from '../dependencies/dependency-policy.ts';
import type { Policy } from '../policy.ts';
import { BUNDLE_VERSIONS } from './bundle-version.ts';
import { verifySlsaVerifierPolicyUsable } from './slsa-verifier-policy.ts';

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
  const identities: unknown = policy.identities;
  if (identities !== undefined) {
    const problems = Array.isArray(identities) ? identities.flatMap((id, i) => identityProblems(id, `policy.identities[${i}]`)) : ['policy.identities must be a list'];
    for (const problem of problems) findings.push({ code: 'POLICY_INVALID', message: problem, path: 'policy.identities' });
  }
  if (policy.minBundleVersion !== undefined && !BUNDLE_VERSIONS.includes(policy.minBundleVersion)) {
    findings.push({ code: 'POLICY_INVALID', message: `policy minBundleVersion must be one of ${BUNDLE_VERSIONS.join(', ')}`, path: 'policy.minBundleVersion', actual: policy.minBundleVersion });
  }
  findings.push(...verifyDependencyPolicyUsable(policy.dependencies));
  findings.push(...verifySlsaVerifierPolicyUsable(policy));
  return findings;
}

/**
 * True when the policy constrains what an in-toto statement says (predicate type, builder,
 * source, ref, build type, age, workflow inputs; a GitHub builder, which vouches for the builder
 * id the statement names): a bundle that signs a blob, not a statement, cannot satisfy it.
 */
export function policyNeedsStatement(policy: Policy): boolean {
  return (
    policy.predicateTypes !== undefined || policy.builder !== undefined || policy.source !== undefined || policy.buildTypes !== undefined || policy.maxAge !== undefined || policy.dependencies !== undefined ||
    policy.workflowInputs !== undefined || policy.githubBuilder !== undefined
  );
}

function readField(policy: Policy, field: ListField): unknown {
  let value: unknown = policy;
  for (const key of field) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[key];
  return value;
}
