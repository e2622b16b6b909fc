import type { Finding } from '../finding.ts';
import type { BuildTypeRule } from '../policy.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';

/** The policy's buildTypes as rules: a plain string admits that build type with any external parameters. */
export function buildTypeRules(buildTypes: readonly (string | BuildTypeRule)[]): BuildTypeRule[] {
  return buildTypes.map((entry) => (typeof entry === 'string' ? { type: entry } : entry));
}

/** The build type must be one of the accepted ones, exactly. */
export function verifyBuildType(view: ProvenanceView, buildTypes: readonly (string | BuildTypeRule)[] | undefined): Finding | undefined {
  if (buildTypes === undefined) return undefined;
  const types = buildTypeRules(buildTypes).map((rule) => rule.type);
  if (view.buildType !== undefined && types.includes(view.buildType)) return undefined;
  return {
    code: 'BUILD_TYPE_MISMATCH',
    message: view.buildType === undefined ? `the ${view.predicateType} predicate names no build type` : `build type ${view.buildType} is not accepted`,
    path: view.locations.buildType ?? 'predicate',
    expected: types,
    actual: view.buildType,
  };
}
