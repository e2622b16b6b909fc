export type { Collector, CollectorContext, CollectorFs, ExecResult } from './context.ts';
export { processContext } from './context.ts';
export { type Subject, type SubjectSpec, resolveSubjects, parseChecksums, parseSubjectDigest } from './subjects.ts';
export { PROVENANT_BUILD_TYPE } from './build-type.ts';
export { type BuildFacts, type SourceFacts, buildStatement, sourceOf } from './provenance.ts';
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
export {
  type DependencyFacts,
  type ResolvedPackage,
  npmLockfileCollector,
  parseNpmLockfile,
  toResourceDescriptor,
} from './collectors/npm-lockfile.ts';
