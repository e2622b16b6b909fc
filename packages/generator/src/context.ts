import { execFile } from 'node:child_process';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';

/** Result of running a program. Never throws for a non-zero exit; `code` is null when it could not start. */
export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The file-system operations collectors may use (a subset of node:fs/promises, so fakes stay small). */
export interface CollectorFs {
  readFile(path: string): Promise<Buffer>;
  stat(path: string): Promise<{ isFile(): boolean; isDirectory(): boolean; size: number }>;
  lstat(path: string): Promise<{ isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; size: number }>;
  readdir(path: string): Promise<string[]>;
  realpath(path: string): Promise<string>;
}

/**
 * Everything ambient a collector may read. Collectors never touch process.env, process.cwd(),
 * Date.now() or child_process directly, so tests pass a fake context instead of mutating globals.
 */
export interface CollectorContext {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  now(): Date;
  exec(file: string, args: readonly string[], options?: { cwd?: string; timeoutMs?: number }): Promise<ExecResult>;
  fs: CollectorFs;
  /** process.platform / process.arch / os facts, injected for the same reason. */
  platform: { os: string; arch: string; release: string };
}

/**
 * A collector records one aspect of a build. `detect` says whether it applies here (a CI collector
 * detects its platform); `collect` returns its facts. Collectors are plain objects, not classes.
 */
export interface Collector<T> {
  readonly name: string;
  detect(ctx: CollectorContext): boolean | Promise<boolean>;
  collect(ctx: CollectorContext): Promise<T>;
}

/** The context of the running process: the only place that reads the real environment. */
export function processContext(cwd: string = process.cwd()): CollectorContext {
  return {
    env: process.env,
    cwd,
    now: () => new Date(),
    exec: (file, args, options = {}) =>
      new Promise((resolve) => {
        execFile(
          file,
          args as string[],
          { cwd: options.cwd ?? cwd, timeout: options.timeoutMs ?? 10_000, maxBuffer: 16 * 1024 * 1024, windowsHide: true },
          (error, stdout, stderr) => {
            const code = error ? (typeof (error as NodeJS.ErrnoException).code === 'number' ? ((error as unknown as { code: number }).code) : null) : 0;
            resolve({ code, stdout: String(stdout), stderr: String(stderr) });
          },
        );
      }),
    fs: {
      readFile: (p) => readFile(p),
      stat: (p) => stat(p),
      lstat: (p) => lstat(p),
      readdir: (p) => readdir(p),
      realpath: (p) => realpath(p),
    },
    platform: { os: process.platform, arch: process.arch, release: osRelease() },
  };
}

function osRelease(): string {
  // Imported lazily in spirit: os.release() is cheap, but keep the import local to this function's module.
  return process.getBuiltinModule?.('node:os')?.release() ?? '';
}
