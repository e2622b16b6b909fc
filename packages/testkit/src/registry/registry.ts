import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { type RegistryCredentials, type RegistryTokenService, type TokenServer, startTokenServer } from './token-server.ts';

/** How the registry authenticates clients. */
export type RegistryAuth = 'none' | 'htpasswd' | 'token';

export interface RegistryOptions {
  /**
   * `none` (default): anything goes. `htpasswd`: HTTP Basic against a random user (401 with
   * `WWW-Authenticate: Basic realm="provenant-testkit"`). `token`: the Docker token flow against
   * a token server on 127.0.0.1 (401 with `WWW-Authenticate: Bearer realm=...,service=...,scope=...`).
   */
  auth?: RegistryAuth;
  /** `token` only: the token server grants `pull` to requests without credentials. Default false. */
  anonymousPull?: boolean;
  /** The distribution registry binary. Default `docker-registry` (Debian's package), looked up on PATH. */
  binary?: string;
  /** How long to wait for the registry to listen and answer `GET /v2/`. Default 10 000 ms. */
  startTimeoutMs?: number;
}

export interface LocalRegistry {
  /** `127.0.0.1:PORT`, as it goes in an image reference. */
  readonly host: string;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly auth: RegistryAuth;
  /** The user that may push and pull (`htpasswd` and `token`), random per registry. */
  readonly credentials?: RegistryCredentials;
  /** The token server (`token` only). */
  readonly token?: RegistryTokenService;
  /** The last lines the registry logged (stdout and stderr), for assertion messages. */
  logTail(): string;
  /** Kills the registry, closes the token server and removes the temporary directory. Idempotent. */
  stop(): Promise<void>;
}

/** The realm of the `htpasswd` mode. */
export const REGISTRY_BASIC_REALM = 'provenant-testkit';
/** The `service` (token audience) of the `token` mode. */
export const REGISTRY_TOKEN_SERVICE = 'provenant-testkit-registry';
/** The `issuer` of the `token` mode. */
export const REGISTRY_TOKEN_ISSUER = 'provenant-testkit-token-issuer';

const LOG_LINES = 60;

/** Keeps the last lines a process wrote, across both streams. */
class LogTail {
  readonly #lines: string[] = [];
  #partial = '';

  push(chunk: string): string[] {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = parts.pop() ?? '';
    this.#lines.push(...parts);
    if (this.#lines.length > LOG_LINES) this.#lines.splice(0, this.#lines.length - LOG_LINES);
    return parts;
  }

  toString(): string {
    return [...this.#lines, this.#partial].filter(Boolean).join('\n');
  }
}

function fail(message: string, log: LogTail): Error {
  const tail = log.toString();
  return new Error(`testkit registry: ${message}${tail ? `\n--- docker-registry log (last lines) ---\n${tail}` : ''}`);
}

/** Resolves with `host:port` once the registry logs `listening on ...`. */
function listeningAddress(child: ChildProcess, log: LogTail, binary: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(fail(`no "listening on" line within ${timeoutMs} ms`, log)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      for (const line of log.push(chunk.toString('utf8'))) {
        const match = /msg="listening on ([^"\s]+)"/.exec(line);
        if (match) {
          done(undefined, match[1]);
          return;
        }
      }
    };
    const onError = (err: NodeJS.ErrnoException): void =>
      done(
        fail(
          err.code === 'ENOENT'
            ? `${binary} not found on PATH: install Debian's docker-registry package (bash scripts/ensure-registry.sh)`
            : `could not start ${binary}: ${err.message}`,
          log,
        ),
      );
    const onExit = (code: number | null, signal: string | null): void =>
      done(fail(`${binary} exited before listening (code ${code}, signal ${signal})`, log));
    const done = (err?: Error, address?: string): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('error', onError);
      child.off('exit', onExit);
      // A later 'error' (say, a failed kill) must not become an uncaught exception.
      child.on('error', () => {});
      // Keep draining both pipes so the registry never blocks on a full one.
      child.stdout?.on('data', (c: Buffer) => log.push(c.toString('utf8')));
      child.stderr?.on('data', (c: Buffer) => log.push(c.toString('utf8')));
      if (err) reject(err);
      else resolve(address!);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

/** Polls `GET /v2/` until it answers 200 or 401 (an auth-protected registry is up too). */
async function waitForApi(url: string, child: ChildProcess, log: LogTail, until: number): Promise<void> {
  let last = 'no answer';
  while (Date.now() < until) {
    if (child.exitCode !== null) throw fail(`registry exited with code ${child.exitCode}`, log);
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw fail(`GET ${url}/v2/ did not answer 200 or 401 in time (last: ${last})`, log);
}

/** Registries still running; killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
  running.add(child);
}

async function terminate(child: ChildProcess): Promise<void> {
  // No pid: it never started (ENOENT), so there is nothing to wait for.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the CNCF distribution registry (`docker-registry serve`, 2.8) on 127.0.0.1 with an
 * OS-chosen port, filesystem storage and deletes enabled, all in a fresh temporary directory.
 * Credentials and the token signing key are generated now. Always `await registry.stop()`.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<LocalRegistry> {
  const auth = options.auth ?? 'none';
  if (auth !== 'none' && auth !== 'htpasswd' && auth !== 'token') throw new RangeError(`startRegistry: unknown auth ${String(auth)}`);
  if (options.anonymousPull && auth === 'htpasswd') {
    throw new RangeError("startRegistry: anonymousPull needs auth: 'token' (distribution's htpasswd has no anonymous access)");
  }
  const binary = options.binary ?? 'docker-registry';
  const timeout = options.startTimeoutMs ?? 10_000;
  const started = Date.now();

  const dir = await mkdtemp(join(tmpdir(), 'provenant-registry-'));
  const log = new LogTail();
  let child: ChildProcess | undefined;
  let tokenServer: TokenServer | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child) {
        await terminate(child);
        running.delete(child);
      }
      await tokenServer?.close();
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const credentials: RegistryCredentials | undefined =
      auth === 'none' ? undefined : { username: `user-${randomBytes(4).toString('hex')}`, password: randomBytes(18).toString('base64url') };
    let authConfig: Record<string, unknown> | undefined;
    if (auth === 'htpasswd' && credentials) {
      const path = join(dir, 'htpasswd');
      // distribution only accepts bcrypt entries; cost 5 keeps each check to a few milliseconds.
      await writeFile(path, `${credentials.username}:${bcrypt.hashSync(credentials.password, 5)}\n`, { mode: 0o600 });
      authConfig = { htpasswd: { realm: REGISTRY_BASIC_REALM, path } };
    } else if (auth === 'token' && credentials) {
      tokenServer = await startTokenServer({
        dir,
        credentials,
        anonymousPull: options.anonymousPull ?? false,
        service: REGISTRY_TOKEN_SERVICE,
        issuer: REGISTRY_TOKEN_ISSUER,
      });
      authConfig = {
        token: { realm: tokenServer.realm, service: REGISTRY_TOKEN_SERVICE, issuer: REGISTRY_TOKEN_ISSUER, rootcertbundle: tokenServer.certificatePath },
      };
    }

    // YAML is a superset of JSON, so the config is written as JSON: no quoting to get wrong.
    const config = {
      version: '0.1',
      // info is the level of the "listening on" line; access logs would only add noise.
      log: { level: 'info', formatter: 'text', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: join(dir, 'data') },
        delete: { enabled: true },
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: { addr: '127.0.0.1:0', secret: randomBytes(24).toString('base64url') },
      ...(authConfig ? { auth: authConfig } : {}),
    };
    const configPath = join(dir, 'config.yml');
    await writeFile(configPath, JSON.stringify(config, null, 2));

    child = spawn(binary, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    const host = await listeningAddress(child, log, binary, timeout);
    const url = `http://${host}`;
    await waitForApi(url, child, log, started + timeout);

    return {
      host,
      url,
      auth,
      ...(credentials ? { credentials } : {}),
      ...(tokenServer ? { token: { realm: tokenServer.realm, service: tokenServer.service, issuer: tokenServer.issuer, requests: tokenServer.requests } } : {}),
      logTail: () => log.toString(),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
