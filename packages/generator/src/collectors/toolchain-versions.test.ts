import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeContext } from '../testing/fake-context.ts';
import {
  parseClangVersion,
  parseGccVersion,
  parseGoVersion,
  parseJavaVersion,
  parseNodeVersion,
  parseNpmVersion,
  parsePythonVersion,
  parseRustcVersion,
  probeVersion,
  TOOLCHAIN_PROBES,
  type VersionProbe,
} from './toolchain-versions.ts';

type Case = [label: string, output: string, expected: string | undefined];

function table(name: string, parse: (output: string) => string | undefined, cases: Case[]): void {
  describe(name, () => {
    for (const [label, output, expected] of cases) {
      test(`${label} -> ${expected ?? 'undefined'}`, () => assert.equal(parse(output), expected));
    }
  });
}

table('parseNodeVersion', parseNodeVersion, [
  ['release', 'v24.1.0\n', '24.1.0'],
  ['LTS', 'v20.11.1\n', '20.11.1'],
  ['nightly', 'v25.0.0-nightly20250101abcdef\n', '25.0.0-nightly20250101abcdef'],
  ['garbage', 'command not found', undefined],
  ['empty', '', undefined],
]);

table('parseNpmVersion', parseNpmVersion, [
  ['release', '11.3.0\n', '11.3.0'],
  ['with stderr warning after it', '10.8.2\n\nnpm warn config production Use `--omit=dev` instead.\n', '10.8.2'],
  ['pre-release', '11.0.0-pre.1\n', '11.0.0-pre.1'],
  ['not a version', 'Usage: npm <command>', undefined],
]);

table('parseGccVersion', parseGccVersion, [
  ['Ubuntu', 'gcc (Ubuntu 13.2.0-23ubuntu4) 13.2.0\nCopyright (C) 2023 Free Software Foundation, Inc.\n', '13.2.0'],
  ['Red Hat', 'gcc (GCC) 11.4.1 20230605 (Red Hat 11.4.1-2)\nCopyright (C) 2021 Free Software Foundation, Inc.\n', '11.4.1'],
  ['Debian', 'gcc (Debian 12.2.0-14) 12.2.0\n', '12.2.0'],
  ['Alpine', 'gcc (Alpine 13.2.1_git20231014) 13.2.1 20231014\n', '13.2.1'],
  ['Homebrew', 'gcc-14 (Homebrew GCC 14.1.0) 14.1.0\n', '14.1.0'],
  ['MSYS2', 'gcc.exe (Rev3, Built by MSYS2 project) 13.2.0\n', '13.2.0'],
  ['macOS gcc is Apple clang', 'Apple clang version 15.0.0 (clang-1500.3.9.4)\nTarget: arm64-apple-darwin23.4.0\n', undefined],
  ['garbage', 'gcc: error: unrecognized command-line option', undefined],
]);

table('parseClangVersion', parseClangVersion, [
  ['Ubuntu', 'Ubuntu clang version 18.1.3 (1ubuntu1)\nTarget: x86_64-pc-linux-gnu\nThread model: posix\n', '18.1.3'],
  ['upstream', 'clang version 17.0.6\nTarget: x86_64-unknown-linux-gnu\n', '17.0.6'],
  ['Apple', 'Apple clang version 15.0.0 (clang-1500.3.9.4)\nTarget: arm64-apple-darwin23.4.0\n', '15.0.0'],
  ['Homebrew', 'Homebrew clang version 18.1.8\nTarget: arm64-apple-darwin23.6.0\n', '18.1.8'],
  ['not clang', 'gcc (GCC) 11.4.1', undefined],
]);

table('parseGoVersion', parseGoVersion, [
  ['release', 'go version go1.22.2 linux/amd64\n', '1.22.2'],
  ['darwin', 'go version go1.23.0 darwin/arm64\n', '1.23.0'],
  ['release candidate', 'go version go1.23rc1 linux/amd64\n', '1.23rc1'],
  ['devel build', 'go version devel go1.24-abc1234 Tue Jan 2 03:04:05 2026 +0000 linux/amd64\n', '1.24-abc1234'],
  ['unrelated', 'go: unknown subcommand', undefined],
]);

table('parseRustcVersion', parseRustcVersion, [
  ['stable', 'rustc 1.78.0 (9b00956e5 2024-04-29)\n', '1.78.0'],
  ['nightly', 'rustc 1.80.0-nightly (ada5e2c7b 2024-05-31)\n', '1.80.0-nightly'],
  ['rustup shim without toolchain', "error: rustup could not choose a version of rustc to run, because one wasn't specified explicitly", undefined],
]);

table('parseJavaVersion', parseJavaVersion, [
  ['Temurin 21', 'openjdk version "21.0.3" 2024-04-16 LTS\nOpenJDK Runtime Environment Temurin-21.0.3+9 (build 21.0.3+9-LTS)\n', '21.0.3'],
  ['Oracle 8', 'java version "1.8.0_411"\nJava(TM) SE Runtime Environment (build 1.8.0_411-b09)\n', '1.8.0_411'],
  ['GA without patch', 'openjdk version "21" 2023-09-19\n', '21'],
  ['JAVA_TOOL_OPTIONS noise first', 'Picked up JAVA_TOOL_OPTIONS: -Dfile.encoding=UTF8\nopenjdk version "17.0.11" 2024-04-16\n', '17.0.11'],
  ['macOS stub', 'The operation couldn’t be completed. Unable to locate a Java Runtime.\n', undefined],
]);

table('parsePythonVersion', parsePythonVersion, [
  ['Python 3', 'Python 3.12.3\n', '3.12.3'],
  ['Python 2 on stderr (joined output)', '\nPython 2.7.18\n', '2.7.18'],
  ['release candidate', 'Python 3.13.0rc2\n', '3.13.0rc2'],
  ['Windows Store stub', 'Python was not found; run without arguments to install from the Microsoft Store', undefined],
]);

describe('probeVersion', () => {
  const python = TOOLCHAIN_PROBES.find((p) => p.name === 'python')!;

  test('reads java from stderr', async () => {
    const java = TOOLCHAIN_PROBES.find((p) => p.name === 'java')!;
    const ctx = fakeContext({ exec: { 'java -version': { stderr: 'openjdk version "21.0.3" 2024-04-16 LTS\n' } } });
    assert.equal(await probeVersion(ctx, java), '21.0.3');
  });

  test('falls back from python3 to python', async () => {
    const ctx = fakeContext({ exec: { 'python --version': { stdout: 'Python 3.11.9\n' } } });
    assert.equal(await probeVersion(ctx, python), '3.11.9');
    assert.deepEqual(ctx.calls, ['python3 --version', 'python --version']);
  });

  test('prefers python3 and stops there', async () => {
    const ctx = fakeContext({ exec: { 'python3 --version': { stdout: 'Python 3.12.3\n' }, 'python --version': { stdout: 'Python 2.7.18\n' } } });
    assert.equal(await probeVersion(ctx, python), '3.12.3');
    assert.deepEqual(ctx.calls, ['python3 --version']);
  });

  test('a failing command is skipped even if it printed a version', async () => {
    const ctx = fakeContext({ exec: { 'python3 --version': { code: 9009, stdout: 'Python 3.0.0' } } });
    assert.equal(await probeVersion(ctx, python), undefined);
  });

  test('passes a short timeout', async () => {
    const probe: VersionProbe = { name: 'x', commands: [['x', '--version']], parse: () => '1' };
    const ctx = fakeContext({ exec: { x: { stdout: '1' } } });
    let timeout: number | undefined;
    const inner = ctx.exec;
    ctx.exec = (file, args, options) => {
      timeout = options?.timeoutMs;
      return inner(file, args, options);
    };
    await probeVersion(ctx, probe);
    assert.ok(timeout !== undefined && timeout > 0 && timeout <= 5_000);
  });
});
