import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ExecAnswers } from '../testing/fake-context.ts';
import { fakeContext } from '../testing/fake-context.ts';
import { DEFAULT_ENV_ALLOWLIST } from './env-variables.ts';
import { environmentCollector } from './environment.ts';
import { FAKE_SECRETS, GITHUB_ENV } from './testing/ci-env.ts';

/** A GitHub-hosted ubuntu-24.04 image, as the tools answer there. */
const UBUNTU_RUNNER_TOOLS: ExecAnswers = {
  'node --version': { stdout: 'v24.1.0\n' },
  'npm --version': { stdout: '11.3.0\n' },
  'gcc --version': { stdout: 'gcc (Ubuntu 13.3.0-6ubuntu2~24.04) 13.3.0\nCopyright (C) 2023 Free Software Foundation, Inc.\n' },
  'clang --version': { stdout: 'Ubuntu clang version 18.1.3 (1ubuntu1)\nTarget: x86_64-pc-linux-gnu\n' },
  'go version': { stdout: 'go version go1.22.12 linux/amd64\n' },
  'rustc --version': { stdout: 'rustc 1.84.0 (9fc6b4312 2025-01-07)\n' },
  'java -version': { stderr: 'openjdk version "17.0.13" 2024-10-15\nOpenJDK Runtime Environment Temurin-17.0.13+11 (build 17.0.13+11)\n' },
  'python3 --version': { stdout: 'Python 3.12.3\n' },
};

describe('environmentCollector', () => {
  test('always applies', async () => {
    assert.equal(await environmentCollector().detect(fakeContext()), true);
  });

  test('a GitHub-hosted runner', async () => {
    const ctx = fakeContext({ env: { ...GITHUB_ENV }, exec: UBUNTU_RUNNER_TOOLS, platform: { os: 'linux', arch: 'x64', release: '6.8.0-1017-azure' } });
    const facts = await environmentCollector().collect(ctx);
    assert.equal(facts.os, 'linux');
    assert.equal(facts.arch, 'x64');
    assert.equal(facts.kernel, '6.8.0-1017-azure');
    assert.equal(facts.node, '24.1.0');
    assert.equal(facts.npm, '11.3.0');
    assert.deepEqual(facts.toolchains, { clang: '18.1.3', gcc: '13.3.0', go: '1.22.12', java: '17.0.13', python: '3.12.3', rustc: '1.84.0' });
    assert.deepEqual(Object.keys(facts.toolchains), ['clang', 'gcc', 'go', 'java', 'python', 'rustc']);
    assert.equal('container' in facts, false);
    assert.equal(facts.variables.GITHUB_RUN_ID, '1658821493');
    assert.deepEqual(facts.redactedVariables, []);
    const keys = Object.keys(facts.variables);
    assert.deepEqual(keys, [...keys].sort());
    const out = JSON.stringify(facts);
    for (const secret of FAKE_SECRETS) assert.ok(!out.includes(secret));
  });

  test('a bare machine: missing tools are absent, not empty', async () => {
    const facts = await environmentCollector().collect(fakeContext({ platform: { os: 'darwin', arch: 'arm64', release: '24.1.0' } }));
    assert.deepEqual(facts, { os: 'darwin', arch: 'arm64', kernel: '24.1.0', toolchains: {}, variables: {}, redactedVariables: [] });
  });

  test('probes every tool with a short timeout', async () => {
    const ctx = fakeContext({ exec: UBUNTU_RUNNER_TOOLS });
    const timeouts = new Map<string, number | undefined>();
    const inner = ctx.exec;
    ctx.exec = (file, args, options) => {
      timeouts.set([file, ...args].join(' '), options?.timeoutMs);
      return inner(file, args, options);
    };
    await environmentCollector().collect(ctx);
    assert.deepEqual([...timeouts.keys()].sort(), Object.keys(UBUNTU_RUNNER_TOOLS).sort());
    for (const [command, timeout] of timeouts) assert.ok(timeout !== undefined && timeout <= 5_000, command);
  });

  test('probes run two at a time: concurrent, but never a burst that starves hashing', async () => {
    let running = 0;
    let peak = 0;
    const ctx = fakeContext();
    ctx.exec = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return { code: null, stdout: '', stderr: '' };
    };
    await environmentCollector().collect(ctx);
    assert.equal(peak, 2, `peak concurrency ${peak}`);
  });

  test('records the container', async () => {
    const ctx = fakeContext({ files: { '/.dockerenv': '' }, env: { CI_JOB_IMAGE: 'node:24-bookworm' } });
    const facts = await environmentCollector().collect(ctx);
    assert.deepEqual(facts.container, { runtime: 'docker', image: 'node:24-bookworm' });
  });

  test('a custom allowlist replaces the default and still redacts secrets', async () => {
    const env = { ...GITHUB_ENV, MY_APP_MODE: 'release', MY_APP_TOKEN: 'not-recorded-value' };
    const facts = await environmentCollector({ allowlist: ['MY_APP_*'] }).collect(fakeContext({ env }));
    assert.deepEqual(facts.variables, { MY_APP_MODE: 'release' });
    assert.deepEqual(facts.redactedVariables, ['MY_APP_TOKEN']);
    assert.ok(!JSON.stringify(facts).includes('not-recorded-value'));
  });

  test('the default can be extended', async () => {
    const env = { CI: 'true', MY_APP_MODE: 'release' };
    const facts = await environmentCollector({ allowlist: [...DEFAULT_ENV_ALLOWLIST, 'MY_APP_*'] }).collect(fakeContext({ env }));
    assert.deepEqual(facts.variables, { CI: 'true', MY_APP_MODE: 'release' });
  });
});
