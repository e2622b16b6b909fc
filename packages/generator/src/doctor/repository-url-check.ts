import { gitCollector } from '../collectors/git.ts';
import type { CollectorContext } from '../context.ts';
import type { DoctorCheck } from './doctor-check.ts';
import type { PackageManifest } from './package-manifest.ts';
import { normaliseRepositoryUrl, printableUrl } from './repository-url.ts';

const CHECK = 'repository-url';

/**
 * The repository this build is from: the CI platform's (what npm compares package.json with, via
 * the provenance), else the git remote.
 */
async function buildRepository(ctx: CollectorContext): Promise<{ url: string; what: string } | undefined> {
  const env = ctx.env;
  if (env['GITHUB_ACTIONS'] === 'true' && env['GITHUB_SERVER_URL'] && env['GITHUB_REPOSITORY']) {
    return { url: `${env['GITHUB_SERVER_URL'].replace(/\/+$/, '')}/${env['GITHUB_REPOSITORY']}`, what: 'the GitHub Actions repository' };
  }
  if (env['GITLAB_CI'] === 'true' && env['CI_PROJECT_URL']) return { url: env['CI_PROJECT_URL'], what: 'the GitLab project' };
  try {
    const git = await gitCollector.collect(ctx);
    if (git?.remoteUrl) return { url: git.remoteUrl, what: 'the git remote' };
  } catch {
    // a checkout git cannot read has no remote to compare with
  }
  return undefined;
}

/**
 * npm refuses provenance (E422) unless package.json `repository.url` names the repository the
 * provenance says the build came from. Compared after normalising the forms npm and git write.
 */
export async function checkRepositoryUrl(ctx: CollectorContext, manifest: PackageManifest | 'invalid' | undefined): Promise<DoctorCheck> {
  if (manifest === undefined) return { level: 'OK', check: CHECK, what: 'no package.json here: nothing to publish to npm' };
  if (manifest === 'invalid') return { level: 'WARN', check: CHECK, what: 'package.json is not a JSON object', fix: 'fix package.json' };
  if (manifest.private) return { level: 'OK', check: CHECK, what: 'package.json is private: not published' };
  const build = await buildRepository(ctx);
  const suggested = build ? `"repository": { "type": "git", "url": "git+${printableUrl(build.url)}.git" }` : '"repository": { "type": "git", "url": "git+https://HOST/OWNER/REPO.git" }';
  if (manifest.repositoryUrl === undefined) {
    return { level: 'WARN', check: CHECK, what: 'package.json has no repository.url, and npm refuses provenance without one (E422)', fix: `add ${suggested}` };
  }
  if (build === undefined) {
    return { level: 'WARN', check: CHECK, what: 'no CI repository and no git remote to compare package.json repository.url with', fix: 'run doctor in the checkout the package is published from' };
  }
  const declared = normaliseRepositoryUrl(manifest.repositoryUrl);
  const actual = normaliseRepositoryUrl(build.url);
  const shown = `package.json repository.url ${printableUrl(manifest.repositoryUrl)} vs ${build.what} ${printableUrl(build.url)}`;
  if (declared !== undefined && declared === actual) return { level: 'OK', check: CHECK, what: `package.json repository.url matches ${build.what}` };
  if (declared !== undefined && actual !== undefined && declared.toLowerCase() === actual.toLowerCase()) {
    return { level: 'WARN', check: CHECK, what: `${shown}: they differ only in letter case, which npm may not accept`, fix: `use the exact spelling: ${suggested}` };
  }
  return { level: 'FAIL', check: CHECK, what: `${shown}: npm refuses provenance when they differ (E422)`, fix: `set ${suggested}` };
}
