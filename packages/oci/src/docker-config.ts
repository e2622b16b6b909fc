import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ProvenantError } from '@provenant/core/verification';
import { DOCKER_HUB } from './image-reference.ts';

/** Credentials for one registry. Never printed, logged or written anywhere by provenant. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** Where the Docker config is read from: the environment and home directory (injectable for tests). */
export interface DockerConfigSource {
  env?: NodeJS.ProcessEnv;
  home?: string;
}

// Docker Hub is stored under several keys depending on how the user logged in.
const HUB_KEYS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const MAX_CONFIG_BYTES = 1024 * 1024;
const HELPER_TIMEOUT_MS = 30_000;

/**
 * The credentials docker, cosign and oras would use for `registry`: from `$DOCKER_CONFIG/config.json`
 * or `~/.docker/config.json` — `credHelpers[registry]`, else `credsStore`, else `auths` (`auth`
 * base64 user:password, `username`/`password`, or `identitytoken` as the password, as for ACR).
 * Undefined when there is no config or no entry: the registry is then used anonymously.
 * Hand-written rather than @sigstore/oci's getRegistryCredentials, which reads only ~/.docker,
 * ignores DOCKER_CONFIG and credential helpers, and throws when there is no entry.
 * Throws REGISTRY_CREDENTIALS_INVALID for an unreadable or malformed config or a failing helper;
 * messages never include a secret.
 */
export async function dockerCredentials(registry: string, source: DockerConfigSource = {}): Promise<RegistryCredentials | undefined> {
  const env = source.env ?? process.env;
  const dir = env.DOCKER_CONFIG !== undefined && env.DOCKER_CONFIG !== '' ? env.DOCKER_CONFIG : join(source.home ?? homedir(), '.docker');
  const path = join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ProvenantError('REGISTRY_CREDENTIALS_INVALID', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
  }
  if (text.length > MAX_CONFIG_BYTES) throw new ProvenantError('REGISTRY_CREDENTIALS_INVALID', `${path} is over ${MAX_CONFIG_BYTES} bytes`);
  let config: DockerConfig;
  try {
    config = JSON.parse(text) as DockerConfig;
  } catch {
    throw new ProvenantError('REGISTRY_CREDENTIALS_INVALID', `${path} is not JSON`);
  }
  if (config === null || typeof config !== 'object') throw new ProvenantError('REGISTRY_CREDENTIALS_INVALID', `${path} is not a JSON object`);
  const target = canonicalRegistry(registry);
  const helper = findEntry(config.credHelpers, target) ?? config.credsStore;
  if (typeof helper === 'string' && helper !== '') {
    const fromHelper = await fromCredentialHelper(helper, target === DOCKER_HUB ? 'https://index.docker.io/v1/' : target, env);
    if (fromHelper !== undefined) return fromHelper;
  }
  const entry = findEntry(config.auths, target);
  return entry === undefined ? undefined : fromAuthEntry(entry, path, target);
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
}

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** host[:port] with scheme and path stripped and Docker Hub's aliases folded into `docker.io`. */
export function canonicalRegistry(value: string): string {
  const host = value.replace(/^[a-z]+:\/\//i, '').split('/')[0]!.toLowerCase();
  return HUB_KEYS.has(host) ? DOCKER_HUB : host;
}

// Exact match after canonicalisation: a substring match would send one registry's credentials to
// another whose name contains it.
function findEntry<T>(map: Record<string, T> | undefined, target: string): T | undefined {
  if (map === null || typeof map !== 'object') return undefined;
  for (const [key, value] of Object.entries(map)) if (canonicalRegistry(key) === target) return value;
  return undefined;
}

function fromAuthEntry(entry: AuthEntry, path: string, registry: string): RegistryCredentials | undefined {
  const bad = () => new ProvenantError('REGISTRY_CREDENTIALS_INVALID', `${path}: the auths entry for ${registry} is malformed`);
  if (entry === null || typeof entry !== 'object') throw bad();
  let username = typeof entry.username === 'string' ? entry.username : '';
  let password = typeof entry.password === 'string' ? entry.password : '';
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw bad();
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') password = entry.identitytoken;
  if (username === '' && password === '') return undefined;
  return { username, password };
}

/** Runs `docker-credential-NAME get` with the registry on stdin, as docker does. */
function fromCredentialHelper(name: string, server: string, env: NodeJS.ProcessEnv): Promise<RegistryCredentials | undefined> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    return Promise.reject(new ProvenantError('REGISTRY_CREDENTIALS_INVALID', `credential helper name ${JSON.stringify(name)} is not a plain name`));
  }
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['get'], { env, timeout: HELPER_TIMEOUT_MS, maxBuffer: MAX_CONFIG_BYTES }, (err, stdout, stderr) => {
      if (err) {
        // "credentials not found" is how helpers say there is no entry: use the registry anonymously.
        if (/credentials not found/i.test(`${stdout}\n${stderr}`)) return resolve(undefined);
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found on PATH' : 'failed';
        return reject(new ProvenantError('REGISTRY_CREDENTIALS_INVALID', `credential helper ${program} ${why}`));
      }
      try {
        const parsed = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
        if (typeof parsed.Username !== 'string' || typeof parsed.Secret !== 'string') throw new Error('fields');
        resolve({ username: parsed.Username, password: parsed.Secret });
      } catch {
        reject(new ProvenantError('REGISTRY_CREDENTIALS_INVALID', `credential helper ${program} answered something other than {Username, Secret}`));
      }
    });
    // A helper may exit without reading stdin (EPIPE): its exit status and output decide, not the write.
    child.stdin?.on('error', () => {});
    child.stdin?.end(server);
  });
}
