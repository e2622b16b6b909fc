import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@provenant/cli';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const cliBin = join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI in a child process, as a user would. The environment is the test's minus
 * any CI platform variables, so the local collector applies unless a test sets them on purpose.
 */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(GITHUB_|GITLAB_|CI_|RUNNER_|ACTIONS_)/.test(k)) env[k] = v;
  }
  Object.assign(env, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args], { cwd: options.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** Runs the CLI in this process (fast, for loops of hundreds of verifications). */
export async function runCliInProcess(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stderrIsTTY: false,
  });
  return { status, stdout, stderr };
}

/** A temporary directory removed after the test. */
export async function tempDir(t: { after: (fn: () => Promise<void>) => unknown }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'provenant-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Asserts a result is exactly one stderr line `provenant: CODE: ...` with no stack trace. */
export function errorCode(result: CliResult): string | undefined {
  const lines = result.stderr.trim().split('\n');
  if (lines.length !== 1) return undefined;
  return /^provenant: ([A-Z_]+): /.exec(lines[0]!)?.[1];
}
