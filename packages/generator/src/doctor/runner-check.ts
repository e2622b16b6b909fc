import { decodeJwt } from '../claims/jwt.ts';
import type { CollectorContext } from '../context.ts';
import type { DoctorCheck } from './doctor-check.ts';
import { type PackageManifest, provenanceRequested } from './package-manifest.ts';

const CHECK = 'runner';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The runner kind as the platform states it: GitHub's RUNNER_ENVIRONMENT, or the
 * `runner_environment` claim of a GitLab ID token (GitLab has no variable for it). The GitLab
 * claim is read without verifying the token: this is advice before a publish, never recorded.
 */
function runnerEnvironment(env: Env): { platform: string; kind?: string } | undefined {
  if (env['GITHUB_ACTIONS'] === 'true') return { platform: 'GitHub Actions', ...(env['RUNNER_ENVIRONMENT'] ? { kind: env['RUNNER_ENVIRONMENT'] } : {}) };
  if (env['GITLAB_CI'] === 'true') {
    const token = env['PROVENANT_ID_TOKEN'] || env['SIGSTORE_ID_TOKEN'];
    const claim = token ? decodeJwt(token)?.payload['runner_environment'] : undefined;
    return { platform: 'GitLab CI', ...(typeof claim === 'string' ? { kind: claim } : {}) };
  }
  return undefined;
}

/**
 * npm refuses to publish with provenance from a self-hosted runner (it requires GitHub-hosted or
 * GitLab-hosted). FAIL when this job would try (package.json publishable with provenance asked
 * for); WARN when a publishable package.json is here and provenance may be asked on the command line.
 */
export function checkRunner(ctx: CollectorContext, manifest: PackageManifest | 'invalid' | undefined): DoctorCheck {
  const runner = runnerEnvironment(ctx.env);
  if (runner === undefined) return { level: 'OK', check: CHECK, what: 'not on a CI runner' };
  const publishable = typeof manifest === 'object' && !manifest.private;
  if (runner.kind !== 'self-hosted') {
    if (runner.kind !== undefined) return { level: 'OK', check: CHECK, what: `${runner.kind} runner` };
    if (!publishable) return { level: 'OK', check: CHECK, what: `${runner.platform} does not say whether the runner is hosted; no npm package to publish here` };
    return {
      level: 'WARN',
      check: CHECK,
      what: `${runner.platform} does not say whether the runner is hosted, and npm publishes with provenance only from hosted runners`,
      fix: runner.platform === 'GitHub Actions' ? 'use a GitHub-hosted runner for the publish job' : 'declare id_tokens (SIGSTORE_ID_TOKEN, aud: sigstore) so the runner kind can be read',
    };
  }
  const hosted = runner.platform === 'GitHub Actions' ? 'a GitHub-hosted runner (runs-on: ubuntu-latest)' : 'a GitLab-hosted runner';
  const fix = `run the publish job on ${hosted}, or publish without npm's --provenance (provenant attest itself works here; its provenance names a self-hosted builder)`;
  if (!publishable) return { level: 'OK', check: CHECK, what: 'self-hosted runner; no npm package to publish here' };
  if (provenanceRequested(manifest, ctx.env)) {
    return { level: 'FAIL', check: CHECK, what: 'self-hosted runner, and npm refuses to publish with provenance from one (publishConfig.provenance or NPM_CONFIG_PROVENANCE is set)', fix };
  }
  return { level: 'WARN', check: CHECK, what: 'self-hosted runner: `npm publish --provenance` would be refused here', fix };
}
