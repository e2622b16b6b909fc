import type { CollectorContext } from '../context.ts';

/*
 * Version parsers for the build's toolchain. Each takes what the tool printed (stdout and stderr
 * joined, since some tools, e.g. `java -version` and Python 2, print to stderr) and returns a clean
 * version string, or undefined when the output is not what that tool prints.
 */

const SEMVER_LIKE = /^v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)$/;

/** `node --version` -> `v24.1.0` -> `24.1.0`. */
export function parseNodeVersion(output: string): string | undefined {
  return SEMVER_LIKE.exec(firstLine(output))?.[1];
}

/** `npm --version` -> `11.3.0`. */
export function parseNpmVersion(output: string): string | undefined {
  return SEMVER_LIKE.exec(firstLine(output))?.[1];
}

/**
 * `gcc --version` -> `gcc (Ubuntu 13.2.0-23ubuntu4) 13.2.0` -> `13.2.0`. On macOS `gcc` is Apple
 * clang under another name; that is reported as clang, so it yields undefined here.
 */
export function parseGccVersion(output: string): string | undefined {
  if (/clang/i.test(output)) return undefined;
  // The version follows the parenthesised package description: `gcc (<vendor text>) 13.2.0 ...`.
  return /^\S+ \(.*?\)\s+(\d+\.\d+(?:\.\d+)?)/.exec(firstLine(output))?.[1];
}

/** `clang --version` -> `Ubuntu clang version 18.1.3 (1ubuntu1)` -> `18.1.3` (Apple clang included). */
export function parseClangVersion(output: string): string | undefined {
  return /\bclang version (\d+\.\d+(?:\.\d+)?)/.exec(output)?.[1];
}

/** `go version` -> `go version go1.22.2 linux/amd64` -> `1.22.2` (also `1.23rc1`, devel builds). */
export function parseGoVersion(output: string): string | undefined {
  return /\bgo version (?:devel )?go(\d[^\s]*)/.exec(output)?.[1];
}

/** `rustc --version` -> `rustc 1.78.0 (9b00956e5 2024-04-29)` -> `1.78.0` (or `1.80.0-nightly`). */
export function parseRustcVersion(output: string): string | undefined {
  return /^rustc (\d+\.\d+\.\d+\S*)/m.exec(output)?.[1];
}

/**
 * `java -version` (on stderr) -> `openjdk version "21.0.3" 2024-04-16 LTS` -> `21.0.3`; also
 * `java version "1.8.0_411"`, and skips a leading `Picked up JAVA_TOOL_OPTIONS: ...` line.
 */
export function parseJavaVersion(output: string): string | undefined {
  return /\bversion "(\d[^"\s]*)"/.exec(output)?.[1];
}

/** `python3 --version` -> `Python 3.12.3` -> `3.12.3`. */
export function parsePythonVersion(output: string): string | undefined {
  return /^Python (\d+\.\d+(?:\.\d+)?\S*)/m.exec(output)?.[1];
}

function firstLine(output: string): string {
  return (output.trim().split('\n')[0] ?? '').trim();
}

/** How to ask one tool for its version. */
export interface VersionProbe {
  /** Key under which the version is recorded. */
  name: string;
  /** Command lines (`[file, ...args]`) tried in order until one answers with a parsable version. */
  commands: ReadonlyArray<readonly [string, ...string[]]>;
  parse(output: string): string | undefined;
}

/** The node and npm found on PATH: the build's, not necessarily the one running provenant. */
export const NODE_PROBE: VersionProbe = { name: 'node', commands: [['node', '--version']], parse: parseNodeVersion };
/** See NODE_PROBE. On Windows npm is a .cmd shim that cannot be spawned without a shell, so it stays absent there. */
export const NPM_PROBE: VersionProbe = { name: 'npm', commands: [['npm', '--version']], parse: parseNpmVersion };

/** Compilers and runtimes recorded in EnvironmentFacts.toolchains when present. */
export const TOOLCHAIN_PROBES: readonly VersionProbe[] = [
  { name: 'gcc', commands: [['gcc', '--version']], parse: parseGccVersion },
  { name: 'clang', commands: [['clang', '--version']], parse: parseClangVersion },
  { name: 'go', commands: [['go', 'version']], parse: parseGoVersion },
  { name: 'rustc', commands: [['rustc', '--version']], parse: parseRustcVersion },
  { name: 'java', commands: [['java', '-version']], parse: parseJavaVersion },
  {
    name: 'python',
    commands: [
      ['python3', '--version'],
      ['python', '--version'],
    ],
    parse: parsePythonVersion,
  },
];

/** A missing tool answers at once; a hung one (a licence prompt, a stuck shim) must not stall the build. */
export const PROBE_TIMEOUT_MS = 3_000;

/** Runs a probe's commands in order; the version of the first that answers, or undefined. */
export async function probeVersion(ctx: CollectorContext, probe: VersionProbe): Promise<string | undefined> {
  for (const [file, ...args] of probe.commands) {
    const result = await ctx.exec(file, args, { cwd: ctx.cwd, timeoutMs: PROBE_TIMEOUT_MS });
    if (result.code !== 0) continue;
    const version = probe.parse(`${result.stdout}\n${result.stderr}`);
    if (version !== undefined) return version;
  }
  return undefined;
}
