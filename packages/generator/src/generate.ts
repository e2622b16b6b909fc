import { type OidcContext, ProvenantError, type StatementV1, isProvenantError, processOidcContext, stableStringify } from '@provenant/core';
import { collectCiWithClaims } from './claims/ci-with-claims.ts';
import type { ClaimsStatus } from './claims/field-sources.ts';
import { environmentCollector } from './collectors/environment.ts';
import { gitCollector } from './collectors/git.ts';
import { lockfileCollector } from './dependencies/collector.ts';
import type { DependencyFacts } from './dependencies/model.ts';
import { type CollectorContext, processContext } from './context.ts';
import { buildStatement } from './provenance.ts';
import { type SubjectSpec, resolveSubjects } from './subjects.ts';

export interface GenerateOptions {
  /** Root for subjects, lockfiles and git; default process.cwd(). */
  cwd?: string;
  subjects: SubjectSpec;
  /** Lockfiles relative to cwd; default: auto-detect. */
  lockfiles?: readonly string[];
  /** false skips dependency collection (`--no-deps`). */
  dependencies?: boolean;
  /** Environment variable names (or `PREFIX*`) to record; default: the built-in allowlist. */
  envAllowlist?: readonly string[];
  /** When the build started, if the caller knows; default: when collection started. */
  startedOn?: Date;
  /** Injected ambient state; default: the running process. */
  context?: CollectorContext;
  /** Recorded as runDetails.builder.version.provenant. */
  generatorVersion?: string;
  /** Called once hashing is under way, e.g. to load the signing code meanwhile. */
  whileHashing?: () => void;
  /**
   * Ambient state for reading the platform's signed OIDC claims (its token service, fetch for the
   * issuer's keys, the clock). Default: the running process when `context` is defaulted too; with
   * an injected `context`, none unless given, so a test never reaches the network. false: no claims.
   */
  oidc?: OidcContext | false;
}

export interface GeneratedProvenance {
  statement: StatementV1;
  /** The exact bytes to sign: the statement with a deterministic key order. */
  payload: Buffer;
  /** The lockfiles read, with their dependency graphs (for the SBOM: edges the statement does not carry). */
  dependencies: DependencyFacts[];
  /** Whether the platform's signed claims were used (also recorded in the statement). */
  claims: ClaimsStatus;
}

/**
 * Collects what the build was and assembles the statement. Hashing subjects and running the
 * collectors happen concurrently: on a large artifact the collectors cost nothing extra.
 */
export async function generateProvenance(options: GenerateOptions): Promise<GeneratedProvenance> {
  const ctx = options.context ?? processContext(options.cwd ?? process.cwd());
  const startedOn = options.startedOn ?? ctx.now();
  const oidc = options.oidc ?? (options.context ? false : processOidcContext());
  // Hashing starts first; the collectors (which spawn processes and read files) start once it is
  // under way, so on a large artifact they overlap it instead of delaying it.
  let hashingStarted!: () => void;
  const started = new Promise<void>((resolve) => {
    hashingStarted = resolve;
  });
  const subjectsPromise = resolveSubjects(ctx.cwd, { ...options.subjects, onHashingStarted: hashingStarted });
  await Promise.race([started, subjectsPromise.catch(() => undefined)]);
  options.whileHashing?.();
  const [subjects, ci, git, environment, dependencies] = await Promise.all([
    subjectsPromise,
    // Claims are read (and checked against the environment) here, so a contradiction fails before hashing ends.
    run('ci', () => collectCiWithClaims(ctx, oidc)),
    run('git', async () => ((await gitCollector.detect(ctx)) ? gitCollector.collect(ctx) : undefined)),
    run('environment', () => environmentCollector(options.envAllowlist ? { allowlist: options.envAllowlist } : {}).collect(ctx)),
    options.dependencies === false
      ? Promise.resolve([] as DependencyFacts[])
      : run('lockfiles', async () => {
          const collector = lockfileCollector(options.lockfiles ? { lockfiles: options.lockfiles } : {});
          return (await collector.detect(ctx)) ? collector.collect(ctx) : [];
        }),
  ]);
  const statement = buildStatement(subjects, {
    ci: ci.ci,
    git,
    environment,
    dependencies,
    startedOn,
    finishedOn: ctx.now(),
    generatorVersion: options.generatorVersion ?? '0.0.0',
    fieldSources: { ci: ci.sources, claims: ci.claims, startedOnGiven: options.startedOn !== undefined, ...(ci.detectedBy ? { detectedBy: ci.detectedBy } : {}) },
  });
  return { statement, payload: Buffer.from(stableStringify(statement), 'utf8'), dependencies, claims: ci.claims };
}

async function run<T>(name: string, collect: () => Promise<T>): Promise<T> {
  try {
    return await collect();
  } catch (err) {
    if (isProvenantError(err)) throw err;
    throw new ProvenantError('COLLECTOR_FAILED', `collector ${name} failed: ${(err as Error).message}`, { cause: err });
  }
}
