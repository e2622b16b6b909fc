export type { Collector, CollectorContext, CollectorFs, ExecResult } from './context.ts';
export { processContext } from './context.ts';
export { type Subject, type SubjectSpec, resolveSubjects, parseChecksums, parseSubjectDigest } from './subjects.ts';
export { PROVENANT_BUILD_TYPE } from './build-type.ts';
export { type BuildFacts, type SourceFacts, buildStatement, sourceOf } from './provenance.ts';
export { type ResolvedImageSubjects, resolveImageSubjects } from './image-subjects.ts';
export { type GenerateOptions, type GeneratedProvenance, generateProvenance } from './generate.ts';
export { type CiFacts, ciCollectors, detectCi } from './collectors/ci.ts';
export { githubActionsCollector } from './collectors/github-actions.ts';
export { gitlabCiCollector } from './collectors/gitlab-ci.ts';
export { LOCAL_BUILDER_ID, localCollector } from './collectors/local.ts';
export { type GitFacts, gitCollector } from './collectors/git.ts';
export { DEFAULT_ENV_ALLOWLIST } from './collectors/env-variables.ts';
export { type EnvironmentCollectorOptions, type EnvironmentFacts, environmentCollector } from './collectors/environment.ts';
export { isSensitiveName, looksLikeSecret } from './collectors/secrets.ts';
export { stripUrlCredentials } from './collectors/url-credentials.ts';
export type { DependencyFacts, DependencyScope, Ecosystem, PackageManager, ResolvedPackage, SourceKind } from './dependencies/model.ts';
export type { LockfileFormat, LockfileInput } from './dependencies/lockfile-format.ts';
export { type LockfileCollectorOptions, lockfileCollector } from './dependencies/collector.ts';
export { LOCKFILE_FORMATS } from './dependencies/formats.ts';
export { parseNpmLockfile } from './dependencies/npm-lockfile.ts';
export { toResourceDescriptor } from './dependencies/resource-descriptor.ts';
export { type CycloneDxBom, type CycloneDxSbom, type SbomMeta, buildCycloneDxSbom } from './sbom/cyclonedx-sbom.ts';
export { CYCLONEDX_PREDICATE_TYPE, statementForSbom } from './sbom/sbom-statement.ts';
export {
  type ClaimsStatus,
  FIELD_SOURCES_EXTENSION,
  type FieldSource,
  type FieldSourceEntry,
  type ProvenantFieldSources,
} from './claims/field-sources.ts';
export { type DoctorCheck, type DoctorLevel, formatDoctorCheck } from './doctor/doctor-check.ts';
export { type DoctorOptions, doctorPassed, runDoctor } from './doctor/doctor.ts';
export type { SigningIntent } from './doctor/signing-intent.ts';
export type { SubjectArgs } from './doctor/subjects-check.ts';
