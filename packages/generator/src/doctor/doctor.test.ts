import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FAKE_GITHUB_TOKEN, GITHUB_ENV, GITLAB_ENV } from '../collectors/testing/ci-env.ts';
import { type ExecAnswers, type FakeContextOptions, fakeContext } from '../testing/fake-context.ts';
import { type DoctorCheck, formatDoctorCheck } from './doctor-check.ts';
import { type DoctorOptions, doctorPassed, runDoctor } from './doctor.ts';
import { normaliseRepositoryUrl } from './repository-url.ts';

/** A git checkout whose origin is `remote`, for the fake exec. */
function gitAnswers(remote: string): ExecAnswers {
  return {
    'git rev-parse --is-inside-work-tree': { stdout: 'true\n' },
    'git rev-parse HEAD': { stdout: `${'a'.repeat(40)}\n` },
    'git --no-optional-locks status --porcelain=v1 -z --untracked-files=normal': { stdout: '' },
    'git symbolic-ref -q HEAD': { stdout: 'refs/heads/main\n' },
    'git remote get-url origin': { stdout: `${remote}\n` },
  };
}

/** GitHub Actions with `id-token: write` (GITHUB_ENV has the request variables). */
const GITHUB = { ...GITHUB_ENV };
/** GitHub Actions without it. */
const GITHUB_NO_TOKEN: Record<string, string> = Object.fromEntries(Object.entries(GITHUB_ENV).filter(([k]) => !k.startsWith('ACTIONS_ID_TOKEN_')));

const pkg = (manifest: Record<string, unknown>) => ({ 'package.json': JSON.stringify(manifest) });

async function doctor(context: FakeContextOptions, options: DoctorOptions = {}): Promise<Record<string, DoctorCheck>> {
  const checks = await runDoctor(fakeContext(context), options);
  return Object.fromEntries(checks.map((c) => [c.check, c]));
}

/** A GitLab ID token's payload (unsigned: doctor only reads it as a hint). */
function gitlabToken(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.c2ln`;
}

describe('runDoctor', () => {
  test('runs every check, in a fixed order', async () => {
    const checks = await runDoctor(fakeContext());
    assert.deepEqual(
      checks.map((c) => c.check),
      ['id-token', 'runner', 'repository-url', 'transparency-log', 'subjects', 'lockfile'],
    );
  });

  test('formats one line per check, and passes unless something FAILed', () => {
    assert.equal(formatDoctorCheck({ level: 'FAIL', check: 'id-token', what: 'no token', fix: 'add it' }), 'FAIL id-token: no token — add it');
    assert.equal(formatDoctorCheck({ level: 'OK', check: 'lockfile', what: 'found' }), 'OK lockfile: found');
    assert.equal(doctorPassed([{ level: 'WARN', check: 'a', what: 'b' }]), true);
    assert.equal(doctorPassed([{ level: 'OK', check: 'a', what: 'b' }, { level: 'FAIL', check: 'c', what: 'd' }]), false);
  });
});

describe('id-token', () => {
  test('GitHub Actions without `permissions: id-token: write`: FAIL saying what to add', async () => {
    const c = (await doctor({ env: GITHUB_NO_TOKEN }))['id-token']!;
    assert.equal(c.level, 'FAIL');
    assert.match(c.what, /ACTIONS_ID_TOKEN_REQUEST_URL is not set/);
    assert.equal(c.fix, 'add `permissions: id-token: write` to the job');
  });

  test('GitHub Actions with it: OK', async () => {
    assert.equal((await doctor({ env: GITHUB }))['id-token']!.level, 'OK');
  });

  test('GitLab CI without id_tokens: FAIL with the snippet', async () => {
    const c = (await doctor({ env: { ...GITLAB_ENV } }))['id-token']!;
    assert.equal(c.level, 'FAIL');
    assert.match(c.fix ?? '', /id_tokens: \{ SIGSTORE_ID_TOKEN: \{ aud: sigstore \} \}/);
  });

  test('--key: no token needed; outside CI without one: WARN', async () => {
    assert.equal((await doctor({ env: GITHUB_NO_TOKEN }, { signing: { key: true } }))['id-token']!.level, 'OK');
    assert.equal((await doctor({ env: {} }))['id-token']!.level, 'WARN');
    assert.equal((await doctor({ env: {} }, { signing: { identityToken: true } }))['id-token']!.level, 'OK');
  });
});

describe('runner', () => {
  const selfHosted = { ...GITHUB, RUNNER_ENVIRONMENT: 'self-hosted' };

  test('self-hosted, publishing with provenance: FAIL', async () => {
    const c = (await doctor({ env: selfHosted, files: pkg({ name: 'x', publishConfig: { provenance: true } }) })).runner!;
    assert.equal(c.level, 'FAIL');
    assert.match(c.fix ?? '', /GitHub-hosted runner/);
    const viaEnv = (await doctor({ env: { ...selfHosted, NPM_CONFIG_PROVENANCE: 'true' }, files: pkg({ name: 'x' }) })).runner!;
    assert.equal(viaEnv.level, 'FAIL');
  });

  test('self-hosted with a publishable package: WARN; with a private one or none: OK', async () => {
    assert.equal((await doctor({ env: selfHosted, files: pkg({ name: 'x' }) })).runner!.level, 'WARN');
    assert.equal((await doctor({ env: selfHosted, files: pkg({ name: 'x', private: true }) })).runner!.level, 'OK');
    assert.equal((await doctor({ env: selfHosted })).runner!.level, 'OK');
  });

  test('GitLab: the runner kind from the ID token\'s runner_environment claim', async () => {
    const env = { ...GITLAB_ENV, SIGSTORE_ID_TOKEN: gitlabToken({ runner_environment: 'self-hosted' }) };
    assert.equal((await doctor({ env, files: pkg({ name: 'x', publishConfig: { provenance: true } }) })).runner!.level, 'FAIL');
    const hosted = { ...GITLAB_ENV, SIGSTORE_ID_TOKEN: gitlabToken({ runner_environment: 'gitlab-hosted' }) };
    assert.equal((await doctor({ env: hosted, files: pkg({ name: 'x', publishConfig: { provenance: true } }) })).runner!.level, 'OK');
  });
});

describe('repository-url', () => {
  test('git+https…git form of the CI repository: OK', async () => {
    const c = (await doctor({ env: GITHUB, files: pkg({ name: 'x', repository: { type: 'git', url: 'git+https://github.com/octo-org/octo-repo.git' } }) }))['repository-url']!;
    assert.equal(c.level, 'OK', c.what);
  });

  test('another repository: FAIL naming both, with credentials removed', async () => {
    const url = `https://x-access-token:${FAKE_GITHUB_TOKEN}@github.com/octo-org/old-name.git`;
    const c = (await doctor({ env: GITHUB, files: pkg({ name: 'x', repository: url }) }))['repository-url']!;
    assert.equal(c.level, 'FAIL');
    assert.match(c.what, /https:\/\/github\.com\/octo-org\/old-name\.git vs the GitHub Actions repository https:\/\/github\.com\/octo-org\/octo-repo/);
    assert.match(c.fix ?? '', /"url": "git\+https:\/\/github\.com\/octo-org\/octo-repo\.git"/);
    assert.ok(!formatDoctorCheck(c).includes(FAKE_GITHUB_TOKEN));
  });

  test('differing only in letter case: WARN', async () => {
    const c = (await doctor({ env: GITHUB, files: pkg({ name: 'x', repository: 'https://github.com/Octo-Org/octo-repo' }) }))['repository-url']!;
    assert.equal(c.level, 'WARN');
  });

  test('no repository: WARN (npm refuses provenance without one); private or no package.json: OK', async () => {
    assert.equal((await doctor({ env: GITHUB, files: pkg({ name: 'x' }) }))['repository-url']!.level, 'WARN');
    assert.equal((await doctor({ env: GITHUB, files: pkg({ name: 'x', private: true }) }))['repository-url']!.level, 'OK');
    assert.equal((await doctor({ env: GITHUB }))['repository-url']!.level, 'OK');
  });

  test('outside CI: compared with the git remote (an scp-like remote)', async () => {
    const files = pkg({ name: 'x', repository: 'github:acme/app' });
    assert.equal((await doctor({ env: {}, files, exec: gitAnswers('git@github.com:acme/app.git') }))['repository-url']!.level, 'OK');
    assert.equal((await doctor({ env: {}, files, exec: gitAnswers('git@github.com:acme/fork.git') }))['repository-url']!.level, 'FAIL');
    assert.equal((await doctor({ env: {}, files }))['repository-url']!.level, 'WARN', 'no remote to compare with');
  });

  test('GitLab: compared with CI_PROJECT_URL', async () => {
    const files = pkg({ name: 'x', repository: { url: 'git+ssh://git@gitlab.com/gitlab-org/gitlab-runner.git' } });
    assert.equal((await doctor({ env: { ...GITLAB_ENV }, files }))['repository-url']!.level, 'OK');
  });
});

describe('normaliseRepositoryUrl', () => {
  const same = 'github.com/o/r';
  for (const url of [
    'https://github.com/o/r',
    'https://github.com/o/r/',
    'git+https://github.com/o/r.git',
    'git://github.com/o/r.git',
    'git+ssh://git@github.com/o/r.git',
    'ssh://git@github.com:22/o/r',
    'git@github.com:o/r.git',
    'github:o/r',
    'o/r',
    'https://GitHub.com/o/r.git',
    `https://x-access-token:${FAKE_GITHUB_TOKEN}@github.com/o/r`,
  ]) {
    test(url.includes(FAKE_GITHUB_TOKEN) ? 'a URL with credentials' : url, () => assert.equal(normaliseRepositoryUrl(url), same));
  }
  test('gitlab shorthand and nested groups keep their path', () => {
    assert.equal(normaliseRepositoryUrl('gitlab:group/project'), 'gitlab.com/group/project');
    assert.equal(normaliseRepositoryUrl('https://gitlab.com/a/b/c.git'), 'gitlab.com/a/b/c');
  });
  test('nothing to compare: undefined', () => {
    for (const url of ['', './local/path', 'file:///srv/repo.git', 'https://github.com']) assert.equal(normaliseRepositoryUrl(url), undefined, url);
  });
});

describe('transparency-log', () => {
  const event = (repository: Record<string, unknown>) => ({ '/home/runner/work/_temp/_github_workflow/event.json': JSON.stringify({ repository }) });

  test('a private GitHub repository signing keyless into the public log: FAIL', async () => {
    const c = (await doctor({ env: GITHUB, files: event({ private: true, visibility: 'private' }) }))['transparency-log']!;
    assert.equal(c.level, 'FAIL');
    assert.match(c.fix ?? '', /--key FILE.*--signing-config/);
  });

  test('public: OK; internal (GitHub Enterprise): FAIL; unknown: WARN', async () => {
    assert.equal((await doctor({ env: GITHUB, files: event({ private: false, visibility: 'public' }) }))['transparency-log']!.level, 'OK');
    assert.equal((await doctor({ env: GITHUB, files: event({ private: true, visibility: 'internal' }) }))['transparency-log']!.level, 'FAIL');
    assert.equal((await doctor({ env: GITHUB, files: event({ private: true }) }))['transparency-log']!.level, 'FAIL', 'repository.private alone');
    assert.equal((await doctor({ env: GITHUB }))['transparency-log']!.level, 'WARN', 'no event payload');
  });

  test('GitLab CI_PROJECT_VISIBILITY', async () => {
    const token = gitlabToken({ sub: 'x' });
    assert.equal((await doctor({ env: { ...GITLAB_ENV, SIGSTORE_ID_TOKEN: token, CI_PROJECT_VISIBILITY: 'private' } }))['transparency-log']!.level, 'FAIL');
    assert.equal((await doctor({ env: { ...GITLAB_ENV, SIGSTORE_ID_TOKEN: token, CI_PROJECT_VISIBILITY: 'public' } }))['transparency-log']!.level, 'OK');
  });

  test('a key, no log, one\'s own Sigstore, or no token at all: OK', async () => {
    const files = event({ private: true });
    for (const signing of [{ key: true }, { noTlog: true }, { ownSigstore: true }]) {
      assert.equal((await doctor({ env: GITHUB, files }, { signing }))['transparency-log']!.level, 'OK', JSON.stringify(signing));
    }
    assert.equal((await doctor({ env: GITHUB_NO_TOKEN, files }))['transparency-log']!.level, 'OK');
  });
});

describe('subjects', () => {
  const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`dist/f${i}.js`, 'x']));

  test('files below a directory, globs, digests and checksum lines are counted', async () => {
    const files = { ...many(3), 'sums.txt': `${'a'.repeat(64)}  one\n\n${'b'.repeat(64)}  two\n` };
    const c = (await doctor({ files }, { subjects: { paths: ['dist', 'dist/*.js'], digests: [`x@sha256:${'c'.repeat(64)}`], checksumFiles: ['sums.txt'] } })).subjects!;
    assert.deepEqual(c, { level: 'OK', check: 'subjects', what: '9 subjects' });
  });

  test('over the limit: WARN saying why', async () => {
    const c = (await doctor({ files: many(12) }, { subjects: { paths: ['dist'] }, maxSubjects: 10 })).subjects!;
    assert.equal(c.level, 'WARN');
    assert.match(c.what, /more than 10 subjects: .*Rekor refuses large uploads/);
  });

  test('a missing path, or a glob matching nothing: FAIL (attest would refuse it)', async () => {
    assert.equal((await doctor({}, { subjects: { paths: ['dist/'] } })).subjects!.level, 'FAIL');
    assert.equal((await doctor({ files: many(1) }, { subjects: { paths: ['dist/*.wasm'] } })).subjects!.level, 'FAIL');
  });

  test('none given: not checked', async () => {
    assert.equal((await doctor({})).subjects!.level, 'OK');
  });
});

describe('lockfile', () => {
  test('found by the same discovery as attest: OK; none: WARN; a given one missing: FAIL', async () => {
    assert.equal((await doctor({ files: { 'packages/a/package-lock.json': '{}' } })).lockfile!.level, 'OK');
    const none = (await doctor({ files: pkg({ name: 'x' }) })).lockfile!;
    assert.equal(none.level, 'WARN');
    assert.match(none.fix ?? '', /--lockfile/);
    assert.equal((await doctor({}, { lockfiles: ['yarn.lock'] })).lockfile!.level, 'FAIL');
  });
});
