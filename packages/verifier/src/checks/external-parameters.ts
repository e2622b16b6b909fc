import type { Finding } from '../finding.ts';
import type { BuildTypeRule } from '../policy.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';
import { buildTypeRules } from './build-type.ts';

/**
 * The external parameters must be ones the policy lists for the build type (SLSA "Verifying
 * artifacts": a verifier SHOULD reject unrecognized external parameters, since any of them could
 * have changed what was built). Each unlisted one is EXTERNAL_PARAMETER_UNEXPECTED; a listed one with
 * an expected value that does not match (or is absent) is EXTERNAL_PARAMETER_MISMATCH. A build type
 * listed as a plain string, or one the policy does not admit (BUILD_TYPE_MISMATCH), is not checked here.
 */
export function verifyExternalParameters(view: ProvenanceView, buildTypes: readonly (string | BuildTypeRule)[] | undefined): Finding[] {
  if (buildTypes === undefined || view.buildType === undefined) return [];
  // Several rules for one build type: a parameter any of them admits is admitted (as several strings would be).
  const rules = buildTypeRules(buildTypes).filter((rule) => rule.type === view.buildType);
  if (rules.length === 0 || rules.some((rule) => rule.externalParameters === undefined)) return [];
  const allowed = new Map<string, unknown>();
  for (const rule of rules) {
    const listed = rule.externalParameters!;
    for (const [name, value] of Array.isArray(listed) ? listed.map((n) => [n, null] as const) : Object.entries(listed)) {
      if (!allowed.has(name) || value === null) allowed.set(name, value ?? null);
    }
  }
  const actual = view.externalParameters ?? {};
  const base = view.locations.externalParameters ?? 'predicate.buildDefinition.externalParameters';
  const findings: Finding[] = [];
  for (const name of Object.keys(actual)) {
    if (allowed.has(name)) continue;
    findings.push({
      code: 'EXTERNAL_PARAMETER_UNEXPECTED',
      message: `external parameter ${name} is not one the policy lists for build type ${view.buildType}`,
      path: `${base}.${name}`,
      expected: [...allowed.keys()],
      actual: name,
    });
  }
  for (const [name, expected] of allowed) {
    if (expected === null || (Object.hasOwn(actual, name) && matches(actual[name], expected))) continue;
    findings.push({
      code: 'EXTERNAL_PARAMETER_MISMATCH',
      message: Object.hasOwn(actual, name) ? `external parameter ${name} does not have the value the policy expects` : `external parameter ${name} is missing, and the policy expects a value`,
      path: `${base}.${name}`,
      expected,
      actual: actual[name],
    });
  }
  return findings;
}

/** An expected object matches when each of its keys matches (extra keys in the actual value are allowed); anything else must be equal. */
function matches(actual: unknown, expected: unknown): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([k, v]) => Object.hasOwn(actual, k) && matches((actual as Record<string, unknown>)[k], v));
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => matches(actual[i], v) && matches(v, actual[i]));
  return actual === expected;
}
