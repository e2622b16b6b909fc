import type { Finding } from '../finding.ts';
import type { ProvenanceView } from '../view/provenance-view.ts';

/** The build type must be one of the accepted ones, exactly. */
export function verifyBuildType(view: ProvenanceView, buildTypes: readonly string[] | undefined): Finding | undefined {
  if (buildTypes === undefined) return undefined;
  if (view.buildType !== undefined && buildTypes.includes(view.buildType)) return undefined;
  return {
    code: 'BUILD_TYPE_MISMATCH',
    message: view.buildType === undefined ? `the ${view.predicateType} predicate names no build type` : `build type ${view.buildType} is not accepted`,
    path: view.locations.buildType ?? 'predicate',
    expected: [...buildTypes],
    actual: view.buildType,
  };
}
