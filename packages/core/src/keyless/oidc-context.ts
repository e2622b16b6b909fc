/** Result of running a program. `code` is null when the program could not be started at all. */
export interface OidcExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Everything ambient that getting an OIDC token may touch: the environment, HTTP, child
 * processes, the clock and timers. Token sources never read process.env or call fetch directly,
 * so tests pass fakes (and a local server) instead of mutating globals.
 */
export interface OidcContext {
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof globalThis.fetch;
  /** Runs a program without a shell; never throws for a non-zero exit. */
  exec(file: string, args: readonly string[], options?: { timeoutMs?: number }): Promise<OidcExecResult>;
  now(): Date;
  /** Waits between retries; a test passes one that returns at once. */
  sleep(ms: number): Promise<void>;
}

/** The context of the running process: the one place that reads the real environment. */
export function processOidcContext(env: Readonly<Record<string, string | undefined>> = process.env): OidcContext {
  return {
    env,
    fetch: (input, init) => globalThis.fetch(input, init),
    exec: async (file, args, options = {}) => {
      // Loaded on use: most runs never start a token helper.
      const { execFile } = await import('node:child_process');
      return new Promise((resolve) => {
        execFile(file, [...args], { timeout: options.timeoutMs ?? 30_000, maxBuffer: 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        });
      });
    },
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** A variable's value, with an empty value counted as unset (as CI systems often export empties). */
export function envValue(env: OidcContext['env'], name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** The first line of a helper's stderr, shortened, as `: <line>`: enough to say why, never a wall of text. */
export function stderrSummary(stderr: string): string {
  const line = stderr.trim().split('\n')[0]?.trim() ?? '';
  return line === '' ? '' : `: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`;
}
