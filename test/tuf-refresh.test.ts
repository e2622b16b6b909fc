// `provenant verify --tuf-refresh`: the trusted root fetched through TUF from a repository on
// 127.0.0.1 (built and signed here), used instead of the shipped one; every way the repository can
// fail is TRUSTED_ROOT_UNAVAILABLE (exit 2), quickly; and without the flag nothing touches the network.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { type SigstoreStack, signKeyless, startSigstoreStack } from '@provenant/testkit';
import { refreshTrustedRoot } from '@provenant/verifier';
import { type CliResult, cliBin, errorCode, runCliInProcess } from './support/cli.ts';
import { type ServeMode, type TufRepositoryOptions, buildTufRepository, serveTuf } from './support/tuf-repository.ts';

const ISSUER = 'https://oidc.tuf-test.invalid';
const SUBJECT = 'https://ci.tuf-test.invalid/release';
const ARTIFACT = Buffer.from('an artifact verified against a refreshed trusted root\n');
const IDENTITY = ['--certificate-identity', SUBJECT, '--certificate-oidc-issuer', ISSUER];

describe('--tuf-refresh', () => {
  let stack: SigstoreStack;
  let dir: string;
  let artifact: string;
  let bundle: string;
  let stackRoot: Buffer;
  let n = 0;

  before(async () => {
    stack = await startSigstoreStack();
    dir = await mkdtemp(join(tmpdir(), 'provenant-tuf-'));
    artifact = join(dir, 'app.tgz');
    await writeFile(artifact, ARTIFACT);
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'app.tgz', digest: { sha256: createHash('sha256').update(ARTIFACT).digest('hex') } }],
      predicateType: 'https://example.com/any/v1',
      predicate: {},
    };
    bundle = join(dir, 'app.sigstore.json');
    await writeFile(bundle, JSON.stringify(await signKeyless(stack, Buffer.from(JSON.stringify(statement)), { identityToken: stack.identityToken({ issuer: ISSUER, subject: SUBJECT }) })));
    stackRoot = Buffer.from(JSON.stringify(stack.trustedRoot));
  });
  after(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Serves a repository (or a failure), runs `verify --tuf-refresh` against it with a fresh cache. */
  async function verifyRefreshing(mode: ServeMode | TufRepositoryOptions, ...extra: string[]): Promise<CliResult & { requests: string[] }> {
    const repository = 'kind' in mode ? undefined : buildTufRepository(mode);
    const server = await serveTuf(repository ? { kind: 'repository', repository } : (mode as ServeMode));
    const rootFile = join(dir, `tuf-root-${n}.json`);
    await writeFile(rootFile, repository?.rootJson ?? buildTufRepository({ target: stackRoot }).rootJson);
    try {
      const args = ['verify', artifact, '--bundle', bundle, ...IDENTITY, '--predicate-type', 'https://example.com/any/v1'];
      const r = await runCliInProcess([...args, '--tuf-refresh', '--tuf-mirror', server.url, '--tuf-root', rootFile, '--tuf-cache', join(dir, `cache-${n++}`), ...extra]);
      return { ...r, requests: server.requests };
    } finally {
      await server.close();
    }
  }

  it('verifies against the trusted root the TUF repository serves (a Sigstore instance provenant ships no root for)', async () => {
    const r = await verifyRefreshing({ target: stackRoot });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^PASSED/);
    assert.match(r.stdout, /trusted root TUF http:\/\/127\.0\.0\.1:\d+/);
    assert.deepEqual(r.requests, ['/2.root.json', '/timestamp.json', '/snapshot.json', '/targets.json', '/targets/trusted_root.json']);
  });

  it('without --tuf-refresh the same bundle fails against the shipped public-good root (so the refreshed one was used)', async () => {
    const r = await runCliInProcess(['verify', artifact, '--bundle', bundle, ...IDENTITY, '--predicate-type', 'https://example.com/any/v1']);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^ {2}(CERTIFICATE|TIMESTAMP|TLOG)_INVALID: .*\(trusted root public-good\)/m);
  });

  const FAILURES: [name: string, mode: () => ServeMode | TufRepositoryOptions][] = [
    ['every request answered 500', () => ({ kind: 'status', status: 500 })],
    ['every request answered 404 (no timestamp metadata)', () => ({ kind: 'status', status: 404 })],
    ['a trusted_root.json that is not the one the targets metadata hashes (tampered)', () => ({ target: stackRoot, servedTarget: Buffer.from(JSON.stringify({ ...stack.trustedRoot, tlogs: [] })) })],
    ['timestamp metadata signed by a key the root does not trust', () => ({ target: stackRoot, timestampSignedByStranger: true })],
    ['expired timestamp metadata (a frozen or replayed repository)', () => ({ target: stackRoot, timestampExpires: '2020-01-01T00:00:00Z' })],
  ];
  for (const [name, mode] of FAILURES) {
    it(`${name}: TRUSTED_ROOT_UNAVAILABLE, exit 2, nothing verified`, async () => {
      const start = Date.now();
      const r = await verifyRefreshing(mode());
      assert.equal(r.status, 2, `${r.stdout}${r.stderr}`);
      assert.equal(errorCode(r), 'TRUSTED_ROOT_UNAVAILABLE', r.stderr);
      assert.equal(r.stdout, '');
      assert.ok(Date.now() - start < 15_000, 'answered without waiting out retries');
    });
  }

  it('a trusted_root.json that verifies through TUF but is not a trusted root: TRUSTED_ROOT_INVALID', async () => {
    const r = await verifyRefreshing({ target: Buffer.from('{"mediaType":"text/plain"}') });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(errorCode(r), 'TRUSTED_ROOT_INVALID', r.stderr);
  });

  it('a repository that accepts connections and never answers: TRUSTED_ROOT_UNAVAILABLE after the timeout, not a hang', async () => {
    const server = await serveTuf({ kind: 'silent' });
    const rootPath = join(dir, 'silent-root.json');
    await writeFile(rootPath, buildTufRepository({ target: stackRoot }).rootJson);
    const start = Date.now();
    try {
      await assert.rejects(
        refreshTrustedRoot({ mirrorURL: server.url, rootPath, cachePath: join(dir, 'cache-silent'), timeoutMs: 300, retries: 1 }),
        (err) => isProvenantError(err) && err.code === 'TRUSTED_ROOT_UNAVAILABLE' && /127\.0\.0\.1/.test(err.message),
      );
    } finally {
      await server.close();
    }
    assert.ok(Date.now() - start < 5_000, `took ${Date.now() - start} ms`);
  });

  it('a mirror provenant ships no TUF root for, and no --tuf-root: TRUSTED_ROOT_UNAVAILABLE before any request', async () => {
    const server = await serveTuf({ kind: 'status', status: 500 });
    try {
      const r = await runCliInProcess(['verify', artifact, '--bundle', bundle, ...IDENTITY, '--tuf-refresh', '--tuf-mirror', server.url, '--tuf-cache', join(dir, 'cache-noroot')]);
      assert.equal(errorCode(r), 'TRUSTED_ROOT_UNAVAILABLE', r.stderr);
      assert.match(r.stderr, /--tuf-root/);
      assert.deepEqual(server.requests, []);
    } finally {
      await server.close();
    }
  });

  it('the TUF options without --tuf-refresh are a usage error, not silently offline', async () => {
    for (const flag of [['--tuf-mirror', 'http://127.0.0.1:1'], ['--tuf-root', 'root.json'], ['--tuf-cache', dir]]) {
      const r = await runCliInProcess(['verify', artifact, '--bundle', bundle, ...IDENTITY, ...flag]);
      assert.equal(r.status, 2);
      assert.equal(errorCode(r), 'USAGE', r.stderr);
    }
  });

  it('offline by default: a keyless verification against the shipped root opens no socket', () => {
    // The built CLI in a child process whose every socket connect and fetch aborts it loudly.
    const denyNetwork = [
      "import net from 'node:net';",
      "const deny = () => { process.stderr.write('NETWORK USED\\n'); process.exit(99); };",
      'net.Socket.prototype.connect = deny; globalThis.fetch = deny;',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(denyNetwork)}`, cliBin, 'verify', artifact, '--bundle', bundle, ...IDENTITY], { encoding: 'utf8' });
    assert.doesNotMatch(r.stderr, /NETWORK USED/);
    assert.equal(r.status, 1, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /\(trusted root public-good\)/, 'verified offline against the shipped public-good root');
  });
});
