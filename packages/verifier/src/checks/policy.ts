import { durationToMs } from '../duration.ts';
import type { Finding } from '../finding.ts';
import { identityProblems } from '../identity-policy.ts';
import { dependencyPolicyModule } from '../lazy-modules.ts';
import type { Policy } from '../policy.ts';
import { BUNDLE_VERSIONS } from './bundle-version.ts';
import { verifySlsaVerifierPolicyUsable } from './slsa-verifier-policy.ts';

type ListField = ['predicateTypes'] | ['builder', 'ids'] | ['builder', 'idPrefixes'] | ['source', 'uris'] | ['source', 'refs'] | ['requiredAttestations'];

const LIST_FIELDS: readonly ListField[] = [['predicateTypes'], ['builder', 'ids'], ['builder', 'idPrefixes'], ['source', 'uris'], ['source', 'refs'], ['requiredAttestations']];

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
  findings.push(...buildTypesProblems(policy.buildTypes), ...subjectsProblems(policy.subjects));
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
  // The dependency policy's zod schema is loaded only for a policy that has the section.
  if (policy.dependencies !== undefined) findings.push(...dependencyPolicyModule().verifyDependencyPolicyUsable(policy.dependencies));
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
    policy.predicateTypes !== undefined || policy.builder !== undefined || policy.source !== undefined || policy.buildTypes !== undefined || policy.subjects?.match === 'exactly' || policy.maxAge !== undefined || policy.dependencies !== undefined ||
    policy.workflowInputs !== undefined || policy.githubBuilder !== undefined
  );
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

/** buildTypes: non-empty strings, or `{ type, externalParameters? }` with a list of names or a mapping. */
function buildTypesProblems(buildTypes: unknown): Finding[] {
  if (buildTypes === undefined) return [];
  const ok =
    Array.isArray(buildTypes) &&
    buildTypes.every((entry: unknown) => {
      if (isNonEmptyString(entry)) return true;
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return false;
      const { type, externalParameters: params, ...rest } = entry as Record<string, unknown>;
      if (Object.keys(rest).length > 0 || !isNonEmptyString(type)) return false;
      if (params === undefined) return true;
      if (Array.isArray(params)) return params.every(isNonEmptyString);
      return params !== null && typeof params === 'object' && Object.keys(params).every(isNonEmptyString);
    });
  return ok ? [] : [{ code: 'POLICY_INVALID', message: 'policy buildTypes must be a list of build types: non-empty strings, or { type, externalParameters } with a list of names or a mapping of name to value', path: 'policy.buildTypes', actual: buildTypes }];
}

/** subjects: match any (no names) or exactly (with names). */
function subjectsProblems(subjects: unknown): Finding[] {
  if (subjects === undefined) return [];
  const s = subjects as { match?: unknown; names?: unknown } | null;
  const names = s?.names;
  const namesOk = Array.isArray(names) && names.length > 0 && names.every(isNonEmptyString);
  const ok = s !== null && typeof s === 'object' && (s.match === undefined || s.match === 'any' ? names === undefined : s.match === 'exactly' && namesOk);
  return ok ? [] : [{ code: 'POLICY_INVALID', message: 'policy subjects must be { match: any } or { match: exactly, names: [non-empty names] }', path: 'policy.subjects', actual: subjects }];
}

function readField(policy: Policy, field: ListField): unknown {
  let value: unknown = policy;
  for (const key of field) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[key];
  return value;
}
