// `provenant fetch` against a local HTTP server on 127.0.0.1 that serves good, tampered, missing,
// truncated, stalled, redirecting and oversized responses. After every failure the output
// directory must hold nothing new: no artifact, no temporary file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KeySigner, digestBytes, generateKeyPair, loadPrivateKey, serializeBundle, signStatementToBundle, signToEnvelope } from '@provenant/core';
import { type CliResult, cliBin, errorCode, runCliInProcess } from './support/cli.ts';

const ARTIFACT = randomBytes(256 * 1024);
const TAMPERED = Buffer.from(ARTIFACT).fill(0x41, 1000, 1010);
const SOURCE = 'https://github.com/acme/app';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base = '';
let keyDir = '';
let keyPath = '';

function statementFor(bytes: Uint8Array): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'app.tgz', digest: digestBytes(bytes, ['sha256']) }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: { buildType: 'https://provenant.dev/buildtypes/ci/v1', externalParameters: { source: { repository: SOURCE, ref: 'refs/heads/main' } } },
        runDetails: { builder: { id: 'https://provenant.dev/builders/local@v1' }, metadata: { finishedOn: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } },
      },
    }),
  );
}

const send = (body: Uint8Array | string, type = 'application/octet-stream'): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
};
const redirect = (location: string, status = 302): Handler => (_req, res) => {
  res.writeHead(status, { location });
  res.end();
};
const status = (code: number): Handler => (_req, res) => {
  res.writeHead(code);
  res.end();
};

/** The routes; anything else is 404, as a missing sidecar is. */
async function routes(): Promise<Record<string, Handler>> {
  const keys = generateKeyPair('ecdsa-p256');
  keyDir = await mkdtemp(join(tmpdir(), 'provenant-fetch-keys-'));
  keyPath = join(keyDir, 'release.pub');
  await writeFile(keyPath, keys.publicKeyPem);
  const signer = new KeySigner(loadPrivateKey(keys.privateKeyPem));
  const bundle = serializeBundle(await signStatementToBundle(statementFor(ARTIFACT), signer));
  const stranger = generateKeyPair('ecdsa-p256');
  const strangerBundle = serializeBundle(await signStatementToBundle(statementFor(ARTIFACT), new KeySigner(loadPrivateKey(stranger.privateKeyPem))));
  const envelopeLine = `${JSON.stringify(signToEnvelope(statementFor(ARTIFACT), loadPrivateKey(keys.privateKeyPem)))}\n`;
  const half = ARTIFACT.subarray(0, ARTIFACT.length / 2);
  return {
    '/good.tgz': send(ARTIFACT),
    '/good.tgz.sigstore.json': send(bundle, 'application/json'),
    '/tampered.tgz': send(TAMPERED),
    '/tampered.tgz.sigstore.json': send(bundle),
    '/unattested.tgz': send(ARTIFACT),
    '/jsonl.tgz': send(ARTIFACT),
    '/jsonl.tgz.intoto.jsonl': send(envelopeLine),
    '/stranger.tgz': send(ARTIFACT),
    '/stranger.tgz.sigstore.json': send(strangerBundle),
    '/garbage.tgz': send(ARTIFACT),
    '/garbage.tgz.sigstore.json': send('<html>not a bundle</html>'),
    '/sidecar-error.tgz': send(ARTIFACT),
    '/sidecar-error.tgz.sigstore.json': status(503),
    '/server-error.tgz': status(500),
    '/server-error.tgz.sigstore.json': send(bundle),
    '/elsewhere/attestation.json': send(bundle),
    '/truncated.tgz': (_req, res) => {
      res.writeHead(200, { 'content-length': ARTIFACT.length });
      res.write(half, () => setTimeout(() => res.socket?.destroy(), 20));
    },
    '/truncated.tgz.sigstore.json': send(bundle),
    '/reset.tgz': (_req, res) => {
      res.writeHead(200);
      res.write(half, () => setTimeout(() => res.socket?.resetAndDestroy(), 20));
    },
    '/reset.tgz.sigstore.json': send(bundle),
    '/stalled.tgz': (_req, res) => {
      res.writeHead(200, { 'content-length': ARTIFACT.length });
      res.write(half); // and then nothing, with the connection open
    },
    '/stalled.tgz.sigstore.json': send(bundle),
    '/silent.tgz': () => {}, // not even headers
    '/silent.tgz.sigstore.json': send(bundle),
    '/slow.tgz': (_req, res) => {
      // 8 chunks 100 ms apart: 700 ms in all, never 500 ms without progress.
      res.writeHead(200, { 'content-length': ARTIFACT.length });
      const size = ARTIFACT.length / 8;
      let i = 0;
      const next = () => {
        res.write(ARTIFACT.subarray(i * size, (i + 1) * size));
        if (++i < 8) setTimeout(next, 100);
        else res.end();
      };
      next();
    },
    '/slow.tgz.sigstore.json': send(bundle),
    '/r/app.tgz': redirect('/hop/app.tgz', 301),
    '/hop/app.tgz': redirect(`${base}/good.tgz`, 307),
    '/r/app.tgz.sigstore.json': redirect('/good.tgz.sigstore.json', 308),
    '/loop.tgz': redirect('/loop.tgz'),
    '/loop.tgz.sigstore.json': send(bundle),
    '/insecure.tgz': redirect('http://example.invalid/app.tgz'),
    '/insecure.tgz.sigstore.json': send(bundle),
    '/big.tgz': (_req, res) => {
      res.writeHead(200, { 'content-length': 10 * 1024 * 1024 });
      res.write(half);
    },
    '/big.tgz.sigstore.json': send(bundle),
    '/big-chunked.tgz': (_req, res) => {
      res.writeHead(200); // no Content-Length: the limit is found while reading
      res.write(ARTIFACT);
      res.end(ARTIFACT);
    },
    '/big-chunked.tgz.sigstore.json': send(bundle),
  };
}

before(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const table = await routes();
  server.on('request', (req, res) => (table[new URL(req.url ?? '/', base).pathname] ?? status(404))(req, res));
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(keyDir, { recursive: true, force: true });
});

/** A fresh, empty output directory, removed after the test. */
async function outDir(t: { after: (fn: () => Promise<void>) => unknown }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'provenant-fetch-out-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function fetchCli(path: string, out: string, ...flags: string[]): Promise<CliResult> {
  return runCliInProcess(['fetch', `${base}${path}`, '-o', out, '--key', keyPath, ...flags]);
}

const explain = (r: CliResult) => `status ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

/** A failure: the status, the one stderr line's code, and an output directory as empty as before. */
async function assertRefused(r: CliResult, dir: string, expected: { status: number; code: string }): Promise<void> {
  assert.equal(r.status, expected.status, explain(r));
  assert.equal(errorCode(r), expected.code, explain(r));
  assert.deepEqual(await readdir(dir), [], 'something was left in the output directory');
}

describe('provenant fetch', () => {
  it('downloads, verifies and writes a good artifact (the sidecar .sigstore.json)', async (t) => {
    const dir = await outDir(t);
    const out = join(dir, 'app.tgz');
    const r = await fetchCli('/good.tgz', out, '--source-uri', SOURCE);
    assert.equal(r.status, 0, explain(r));
    assert.match(r.stdout, /^PASSED\n {2}saved {4}.*app\.tgz \(262144 bytes, sha256:[0-9a-f]{64}\)/);
    assert.deepEqual(await readFile(out), ARTIFACT);
    assert.deepEqual(await readdir(dir), ['app.tgz']);
    assert.equal((await stat(out)).mode & 0o777, 0o644);
  });

  it('falls back to the .intoto.jsonl sidecar, or takes --bundle-url', async (t) => {
    const dir = await outDir(t);
    const viaJsonl = await fetchCli('/jsonl.tgz', join(dir, 'a.tgz'));
    assert.equal(viaJsonl.status, 0, explain(viaJsonl));
    const viaUrl = await fetchCli('/unattested.tgz', join(dir, 'b.tgz'), '--bundle-url', `${base}/elsewhere/attestation.json`, '--json');
    assert.equal(viaUrl.status, 0, explain(viaUrl));
    const json = JSON.parse(viaUrl.stdout) as { ok: boolean; attestationUrl: string; size: number };
    assert.deepEqual([json.ok, json.attestationUrl, json.size], [true, `${base}/elsewhere/attestation.json`, ARTIFACT.length]);
    assert.deepEqual((await readdir(dir)).sort(), ['a.tgz', 'b.tgz']);
  });

  it('follows redirects, of the artifact and of its sidecar, within --max-redirects', async (t) => {
    const dir = await outDir(t);
    const r = await fetchCli('/r/app.tgz', join(dir, 'app.tgz'));
    assert.equal(r.status, 0, explain(r));
    // Two hops for the artifact, one for its sidecar.
    const again = await fetchCli('/r/app.tgz', join(dir, 'again.tgz'), '--max-redirects', '1');
    assert.equal(again.status, 2, explain(again));
    assert.equal(errorCode(again), 'TOO_MANY_REDIRECTS', explain(again));
    assert.deepEqual(await readdir(dir), ['app.tgz']);
  });

  it('resets the idle timer on every chunk: a slow transfer that keeps moving passes --timeout', async (t) => {
    const dir = await outDir(t);
    const r = await fetchCli('/slow.tgz', join(dir, 'app.tgz'), '--timeout', '500ms');
    assert.equal(r.status, 0, explain(r));
  });

  it('replaces an existing file only once verified', async (t) => {
    const dir = await outDir(t);
    const out = join(dir, 'app.tgz');
    await writeFile(out, 'the old release');
    const failed = await fetchCli('/tampered.tgz', out);
    assert.equal(failed.status, 1, explain(failed));
    assert.equal(await readFile(out, 'utf8'), 'the old release');
    assert.deepEqual(await readdir(dir), ['app.tgz']);
    const passed = await fetchCli('/good.tgz', out);
    assert.equal(passed.status, 0, explain(passed));
    assert.deepEqual(await readFile(out), ARTIFACT);
  });

  describe('leaves nothing behind and says why', () => {
    const cases: { name: string; path: string; flags?: string[]; status: number; code: string }[] = [
      { name: 'tampered bytes', path: '/tampered.tgz', status: 1, code: 'SUBJECT_DIGEST_MISMATCH' },
      { name: 'no attestation at either sidecar', path: '/unattested.tgz', status: 1, code: 'ATTESTATION_NOT_FOUND' },
      { name: 'no attestation at --bundle-url', path: '/good.tgz', flags: ['--bundle-url', `/nowhere.json`], status: 1, code: 'ATTESTATION_NOT_FOUND' },
      { name: 'an attestation signed by an untrusted key', path: '/stranger.tgz', status: 1, code: 'KEY_UNTRUSTED' },
      { name: 'a policy violation', path: '/good.tgz', flags: ['--source-uri', 'https://github.com/acme/other'], status: 1, code: 'SOURCE_MISMATCH' },
      { name: 'an attestation that is not one', path: '/garbage.tgz', status: 2, code: 'BUNDLE_MALFORMED' },
      { name: 'an HTTP error for the sidecar (not a missing one)', path: '/sidecar-error.tgz', status: 2, code: 'DOWNLOAD_FAILED' },
      { name: 'an HTTP error for the artifact', path: '/server-error.tgz', status: 2, code: 'DOWNLOAD_FAILED' },
      { name: 'a body shorter than its Content-Length', path: '/truncated.tgz', status: 2, code: 'DOWNLOAD_FAILED' },
      { name: 'a connection reset mid-transfer', path: '/reset.tgz', status: 2, code: 'DOWNLOAD_FAILED' },
      { name: 'a transfer that stalls mid-body', path: '/stalled.tgz', flags: ['--timeout', '300ms'], status: 2, code: 'DOWNLOAD_STALLED' },
      { name: 'a server that never answers', path: '/silent.tgz', flags: ['--timeout', '300ms'], status: 2, code: 'DOWNLOAD_STALLED' },
      { name: 'a redirect loop', path: '/loop.tgz', status: 2, code: 'TOO_MANY_REDIRECTS' },
      { name: 'a redirect to plain http elsewhere', path: '/insecure.tgz', status: 2, code: 'DOWNLOAD_FAILED' },
      { name: 'a Content-Length over --max-size', path: '/big.tgz', flags: ['--max-size', '64K'], status: 2, code: 'FILE_TOO_LARGE' },
      { name: 'a body without Content-Length that grows over --max-size', path: '/big-chunked.tgz', flags: ['--max-size', '300K'], status: 2, code: 'FILE_TOO_LARGE' },
      { name: 'a bad --timeout', path: '/good.tgz', flags: ['--timeout', '1 minute'], status: 2, code: 'USAGE' },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.code}, exit ${c.status}`, async (t) => {
        const dir = await outDir(t);
        const flags = (c.flags ?? []).map((f) => (f.startsWith('/') ? `${base}${f}` : f));
        await assertRefused(await fetchCli(c.path, join(dir, 'app.tgz'), ...flags), dir, c);
      });
    }

    it('plain http to another host without --allow-insecure: USAGE, before any connection', async (t) => {
      const dir = await outDir(t);
      const r = await runCliInProcess(['fetch', 'http://example.invalid/app.tgz', '-o', join(dir, 'app.tgz'), '--key', keyPath]);
      await assertRefused(r, dir, { status: 2, code: 'USAGE' });
      assert.match(r.stderr, /--allow-insecure/);
    });

    it('an output directory that does not exist: OUTPUT_UNWRITABLE', async (t) => {
      const dir = await outDir(t);
      await assertRefused(await fetchCli('/good.tgz', join(dir, 'missing', 'app.tgz')), dir, { status: 2, code: 'OUTPUT_UNWRITABLE' });
    });
  });

  it('SIGINT during a stalled transfer removes the temporary file and exits 130', async (t) => {
    const dir = await outDir(t);
    const child = spawn(process.execPath, [cliBin, 'fetch', `${base}/stalled.tgz`, '-o', join(dir, 'app.tgz'), '--key', keyPath, '--timeout', '30s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Wait until the download is under way: the temporary file exists.
    for (let i = 0; i < 200 && (await readdir(dir)).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.match((await readdir(dir))[0] ?? '', /^\.app\.tgz\.[0-9a-f]{12}\.part$/);
    assert.equal(((await stat(join(dir, (await readdir(dir))[0]!))).mode & 0o777), 0o600);
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /^provenant: DOWNLOAD_FAILED: .*interrupted\n$/);
    assert.deepEqual(await readdir(dir), []);
  });
});
