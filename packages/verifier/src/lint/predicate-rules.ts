import { lintDigestSet } from './digest-rules.ts';
import { type LintIssue, childPath, isObject, isUnset, lintIssue, show } from './lint-issue.ts';
import type { SlsaPredicateType } from './predicate-type.ts';
import { lintResourceDescriptors } from './resource-descriptor-rules.ts';
import { lintTimestamp } from './timestamp-rule.ts';

/** Checks a predicate of a known SLSA type; `path` is where it sits (`predicate`). */
export function lintSlsaPredicate(type: SlsaPredicateType, predicate: unknown, path: string): LintIssue[] {
  switch (type) {
    case 'https://slsa.dev/provenance/v1':
      return lintProvenanceV1(predicate, path);
    case 'https://slsa.dev/provenance/v0.2':
      return lintProvenanceV02(predicate, path);
    case 'https://slsa.dev/verification_summary/v1':
      return lintVsaV1(predicate, path);
    default:
      // v0.1 provenance and the pre-v1 VSAs: nothing beyond the statement layer is checked.
      return [];
  }
}

/**
 * SLSA Provenance v1: `buildDefinition` (`buildType`, `externalParameters`) and `runDetails`
 * (`builder.id`) are REQUIRED; unset, null and empty mean the same ("MUST be interpreted
 * equivalently"), so an empty `externalParameters` is reported, as a warning (a build with no
 * external input is conceivable, but then nothing about it can be verified).
 */
function lintProvenanceV1(predicate: unknown, path: string): LintIssue[] {
  const issues: LintIssue[] = [];
  if (!object(predicate, path, 'the SLSA provenance predicate', issues)) return issues;
  const definitionPath = childPath(path, 'buildDefinition');
  const definition = predicate.buildDefinition;
  if (object(definition, definitionPath, 'buildDefinition', issues)) {
    requiredString(definition.buildType, childPath(definitionPath, 'buildType'), 'buildType', issues);
    const external = definition.externalParameters;
    const externalPath = childPath(definitionPath, 'externalParameters');
    if (external === undefined || external === null) issues.push(lintIssue('SLSA_FIELD_MISSING', externalPath, 'externalParameters is required: the external inputs of the build are what a verifier checks'));
    else if (!isObject(external)) issues.push(lintIssue('SLSA_FIELD_INVALID', externalPath, `externalParameters is a JSON object, not ${show(external)}`));
    else if (Object.keys(external).length === 0) issues.push(lintIssue('SLSA_EXTERNAL_PARAMETERS_EMPTY', externalPath, 'externalParameters is empty, which the spec reads as unset: nothing about the build\'s inputs can be verified'));
    optionalObject(definition.internalParameters, childPath(definitionPath, 'internalParameters'), 'internalParameters', issues);
    issues.push(...lintResourceDescriptors(definition.resolvedDependencies, childPath(definitionPath, 'resolvedDependencies')));
  }
  const runPath = childPath(path, 'runDetails');
  const run = predicate.runDetails;
  if (object(run, runPath, 'runDetails', issues)) {
    const builderPath = childPath(runPath, 'builder');
    if (object(run.builder, builderPath, 'builder', issues)) {
      requiredString(run.builder.id, childPath(builderPath, 'id'), 'builder.id', issues);
      const version = run.builder.version;
      if (!isUnset(version) && !(isObject(version) && Object.values(version).every((v) => typeof v === 'string'))) {
        issues.push(lintIssue('SLSA_FIELD_INVALID', childPath(builderPath, 'version'), `builder.version maps component names to version strings, not ${show(version)}`));
      }
      issues.push(...lintResourceDescriptors(run.builder.builderDependencies, childPath(builderPath, 'builderDependencies')));
    }
    const metadataPath = childPath(runPath, 'metadata');
    if (optionalObject(run.metadata, metadataPath, 'metadata', issues) && isObject(run.metadata)) {
      issues.push(...lintTimestamp(run.metadata.startedOn, childPath(metadataPath, 'startedOn')));
      issues.push(...lintTimestamp(run.metadata.finishedOn, childPath(metadataPath, 'finishedOn')));
    }
    issues.push(...lintResourceDescriptors(run.byproducts, childPath(runPath, 'byproducts')));
  }
  return issues;
}

/** SLSA Provenance v0.2: `builder.id` and `buildType` are required; times and material digests are checked. */
function lintProvenanceV02(predicate: unknown, path: string): LintIssue[] {
  const issues: LintIssue[] = [];
  if (!object(predicate, path, 'the SLSA provenance predicate', issues)) return issues;
  const builderPath = childPath(path, 'builder');
  if (object(predicate.builder, builderPath, 'builder', issues)) requiredString(predicate.builder.id, childPath(builderPath, 'id'), 'builder.id', issues);
  requiredString(predicate.buildType, childPath(path, 'buildType'), 'buildType', issues);
  const invocation = predicate.invocation;
  if (isObject(invocation) && isObject(invocation.configSource) && !isUnset(invocation.configSource.digest)) {
    issues.push(...lintDigestSet(invocation.configSource.digest, `${path}.invocation.configSource.digest`));
  }
  const metadataPath = childPath(path, 'metadata');
  if (optionalObject(predicate.metadata, metadataPath, 'metadata', issues) && isObject(predicate.metadata)) {
    issues.push(...lintTimestamp(predicate.metadata.buildStartedOn, childPath(metadataPath, 'buildStartedOn')));
    issues.push(...lintTimestamp(predicate.metadata.buildFinishedOn, childPath(metadataPath, 'buildFinishedOn')));
  }
  const materials = predicate.materials;
  const materialsPath = childPath(path, 'materials');
  if (Array.isArray(materials)) {
    // v0.2 materials predate ResourceDescriptor: uri and digest are both optional.
    materials.forEach((m, i) => {
      if (isObject(m) && !isUnset(m.digest)) issues.push(...lintDigestSet(m.digest, childPath(childPath(materialsPath, i), 'digest')));
    });
  } else if (!isUnset(materials)) issues.push(lintIssue('SLSA_FIELD_INVALID', materialsPath, `materials is a list, not ${show(materials)}`));
  return issues;
}

/** SLSA VSA v1: `verifier.id`, `resourceUri`, `policy`, `verificationResult`, `verifiedLevels` are required; the time and digests are checked. */
function lintVsaV1(predicate: unknown, path: string): LintIssue[] {
  const issues: LintIssue[] = [];
  if (!object(predicate, path, 'the VSA predicate', issues)) return issues;
  const verifierPath = childPath(path, 'verifier');
  if (object(predicate.verifier, verifierPath, 'verifier', issues)) requiredString(predicate.verifier.id, childPath(verifierPath, 'id'), 'verifier.id', issues);
  issues.push(...lintTimestamp(predicate.timeVerified, childPath(path, 'timeVerified')));
  requiredString(predicate.resourceUri, childPath(path, 'resourceUri'), 'resourceUri', issues);
  const policyPath = childPath(path, 'policy');
  if (object(predicate.policy, policyPath, 'policy', issues) && !isUnset(predicate.policy.digest)) {
    issues.push(...lintDigestSet(predicate.policy.digest, childPath(policyPath, 'digest')));
  }
  issues.push(...lintResourceDescriptors(predicate.inputAttestations, childPath(path, 'inputAttestations')));
  requiredString(predicate.verificationResult, childPath(path, 'verificationResult'), 'verificationResult', issues);
  const levels = predicate.verifiedLevels;
  if (levels === undefined || levels === null) issues.push(lintIssue('SLSA_FIELD_MISSING', childPath(path, 'verifiedLevels'), 'verifiedLevels is required'));
  else if (!Array.isArray(levels) || !levels.every((l) => typeof l === 'string')) issues.push(lintIssue('SLSA_FIELD_INVALID', childPath(path, 'verifiedLevels'), `verifiedLevels is a list of strings, not ${show(levels)}`));
  return issues;
}

/** A required object field: reports it missing or of the wrong type; true when it is an object. */
function object(value: unknown, path: string, name: string, issues: LintIssue[]): value is Record<string, unknown> {
  if (value === undefined || value === null) {
    issues.push(lintIssue('SLSA_FIELD_MISSING', path, `${name} is required`));
    return false;
  }
  if (!isObject(value)) {
    issues.push(lintIssue('SLSA_FIELD_INVALID', path, `${name} is a JSON object, not ${show(value)}`));
    return false;
  }
  return true;
}

/** An optional object field: true when unset or an object. */
function optionalObject(value: unknown, path: string, name: string, issues: LintIssue[]): boolean {
  if (value === undefined || value === null || isObject(value)) return true;
  issues.push(lintIssue('SLSA_FIELD_INVALID', path, `${name} is a JSON object, not ${show(value)}`));
  return false;
}

function requiredString(value: unknown, path: string, name: string, issues: LintIssue[]): void {
  if (value === undefined || value === null || value === '') issues.push(lintIssue('SLSA_FIELD_MISSING', path, `${name} is required`));
  else if (typeof value !== 'string') issues.push(lintIssue('SLSA_FIELD_INVALID', path, `${name} is a string, not ${show(value)}`));
}
