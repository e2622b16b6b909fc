// A minimal TUF repository (root, timestamp, snapshot and targets metadata, one target) signed at
// test time with fresh Ed25519 keys, served from 127.0.0.1: what @sigstore/tuf refreshes from.
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;
type Role = 'root' | 'timestamp' | 'snapshot' | 'targets';

/** What a test may change to build a broken repository. */
export interface TufRepositoryOptions {
  /** The `trusted_root.json` target. */
  target: Buffer;
  /** Serve these bytes for the target instead (a tampered target). */
  servedTarget?: Buffer;
  /** The timestamp metadata's expiry (default: far in the future). */
  timestampExpires?: string;
  /** Sign the timestamp metadata with a key the root does not list. */
  timestampSignedByStranger?: boolean;
}

export interface TufRepository {
  /** The initial `root.json` a client must trust (`--tuf-root`). */
  rootJson: string;
  /** Files by URL path: `/root.json`, `/timestamp.json`, ..., `/targets/trusted_root.json`. */
  files: Map<string, Buffer>;
}

const FAR_FUTURE = '2099-01-01T00:00:00Z';

/** Builds the repository's files (consistent_snapshot off, so names carry no version or hash). */
export function buildTufRepository(options: TufRepositoryOptions): TufRepository {
  const keys = Object.fromEntries((['root', 'timestamp', 'snapshot', 'targets'] as Role[]).map((role) => [role, newKey()])) as Record<Role, TestKey>;
  const signed = (role: Role, body: Json, expires = FAR_FUTURE): Json => ({ _type: role, spec_version: '1.0.31', version: 1, expires, ...body });
  const target = options.target;
  const targets = signed('targets', { targets: { 'trusted_root.json': { length: target.length, hashes: { sha256: createHash('sha256').update(target).digest('hex') } } } });
  const snapshot = signed('snapshot', { meta: { 'targets.json': { version: 1 } } });
  const timestamp = signed('timestamp', { meta: { 'snapshot.json': { version: 1 } } }, options.timestampExpires ?? FAR_FUTURE);
  const root = signed('root', {
    consistent_snapshot: false,
    keys: Object.fromEntries(Object.values(keys).map((k) => [k.id, k.public])),
    roles: Object.fromEntries(Object.entries(keys).map(([role, k]) => [role, { keyids: [k.id], threshold: 1 }])),
  });
  const rootJson = JSON.stringify(envelope(root, keys.root));
  const files = new Map<string, Buffer>([
    ['/root.json', Buffer.from(rootJson)],
    ['/1.root.json', Buffer.from(rootJson)],
    ['/timestamp.json', Buffer.from(JSON.stringify(envelope(timestamp, options.timestampSignedByStranger ? newKey() : keys.timestamp)))],
    ['/snapshot.json', Buffer.from(JSON.stringify(envelope(snapshot, keys.snapshot)))],
    ['/targets.json', Buffer.from(JSON.stringify(envelope(targets, keys.targets)))],
    ['/targets/trusted_root.json', options.servedTarget ?? target],
  ]);
  return { rootJson, files };
}

/** How the test server answers: from the repository, with one status for everything, or never. */
export type ServeMode = { kind: 'repository'; repository: TufRepository } | { kind: 'status'; status: number } | { kind: 'silent' };

/** A server on 127.0.0.1; records the paths asked for. */
export async function serveTuf(mode: ServeMode): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (mode.kind === 'silent') return; // Accept, then never answer: the client must time out.
    if (mode.kind === 'status') return void res.writeHead(mode.status).end();
    const body = mode.repository.files.get(req.url ?? '');
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface TestKey {
  id: string;
  private: KeyObject;
  public: Json;
}

function newKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // TUF's Ed25519 key value is the raw 32-byte key in hex: the tail of its SPKI DER.
  const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('hex');
  const key = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: raw } };
  return { id: createHash('sha256').update(canonical(key)).digest('hex'), private: privateKey, public: key };
}

function envelope(signed: Json, key: TestKey): Json {
  return { signed, signatures: [{ keyid: key.id, sig: sign(null, Buffer.from(canonical(signed)), key.private).toString('hex') }] };
}

/** TUF's canonical JSON for the ASCII, integer-only documents built here: sorted keys, no spaces. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Json)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
