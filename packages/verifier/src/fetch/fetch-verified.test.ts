import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { ARTIFACT, BUILDER_ID, NOW, bundleJson, provenantStatement, testKey } from '../testing/fixtures.ts';
import { createTrust } from '../trust.ts';
import { parseByteSize, parseTimeout } from './fetch-limits.ts';
import { type FetchVerifiedOptions, fetchVerified } from './fetch-verified.ts';
import { displayUrl, isLoopbackHost, sidecarUrls, urlProblem } from './url-policy.ts';

const trust = createTrust({ publicKeys: [testKey().publicKeyPem] });
const URL_ = 'https://releases.example/app.tgz';
let dir = '';
let bundleText = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provenant-fetch-'));
  bundleText = JSON.stringify(await bundleJson(provenantStatement()));
});
after(() => rm(dir, { recursive: true, force: true }));

/** A fetch double: a table of URL to body (or to a function making the Response), 404 for the rest. */
function fakeFetch(table: Record<string, string | Uint8Array | ((init: RequestInit | undefined) => Promise<Response>)>): typeof globalThis.fetch {
  return async (input, init) => {
    const entry = table[String(input)];
    if (typeof entry === 'function') return entry(init);
    return entry === undefined ? new Response(null, { status: 404 }) : new Response(entry, { status: 200 });
  };
}

const options = (out: string, fetch: typeof globalThis.fetch, extra: Partial<FetchVerifiedOptions> = {}): FetchVerifiedOptions => ({
  url: URL_,
  out,
  trust,
  policy: { builder: { ids: [BUILDER_ID] } },
  now: NOW,
  fetch,
  ...extra,
});

describe('fetchVerified (with an injected fetch)', () => {
  it('writes the verified artifact and reports its digests and the attestation URL', async () => {
    const out = join(dir, 'ok.tgz');
    const result = await fetchVerified(options(out, fakeFetch({ [URL_]: ARTIFACT, [`${URL_}.sigstore.json`]: bundleText })));
    assert.deepEqual(result.findings, []);
    assert.equal(result.ok, true);
    assert.equal(result.path, out);
    assert.equal(result.attestationUrl, `${URL_}.sigstore.json`);
    assert.deepEqual(await readFile(out), ARTIFACT);
    assert.equal(Object.keys(result.digests ?? {}).join(), 'sha256,sha384,sha512');
  });

  it('does not download the artifact when there is no attestation', async () => {
    const asked: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      asked.push(String(input));
      return new Response(null, { status: 410 });
    };
    const result = await fetchVerified(options(join(dir, 'none.tgz'), fetch));
    assert.deepEqual(result.findings.map((f) => f.code), ['ATTESTATION_NOT_FOUND']);
    assert.deepEqual(asked, [`${URL_}.sigstore.json`, `${URL_}.intoto.jsonl`]);
  });

  it('stalls even when the fetch implementation ignores its abort signal', async () => {
    const sub = await mkdtemp(join(dir, 'stall-'));
    const hang = () => new Promise<Response>(() => {});
    await assert.rejects(
      fetchVerified(options(join(sub, 'app.tgz'), fakeFetch({ [URL_]: hang, [`${URL_}.sigstore.json`]: bundleText }), { timeoutMs: 50 })),
      (err) => isProvenantError(err) && err.code === 'DOWNLOAD_STALLED',
    );
    assert.deepEqual(await readdir(sub), []);
  });

  it('an abort signal stops the transfer and removes the temporary file', async () => {
    const sub = await mkdtemp(join(dir, 'abort-'));
    const controller = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(10));
        // Aborted once the first chunk is on disk, with the transfer still open.
        setTimeout(() => controller.abort(), 20);
      },
    });
    const fetch = fakeFetch({ [URL_]: async () => new Response(body, { status: 200 }), [`${URL_}.sigstore.json`]: bundleText });
    await assert.rejects(fetchVerified(options(join(sub, 'app.tgz'), fetch, { signal: controller.signal })), (err) => isProvenantError(err) && err.code === 'DOWNLOAD_FAILED' && /interrupted/.test(err.message));
    assert.deepEqual(await readdir(sub), []);
  });

  it('refuses unusable input before any request (USAGE)', async () => {
    const fetch: typeof globalThis.fetch = async () => assert.fail('no request expected');
    for (const extra of [{ url: 'ftp://example.com/a' }, { url: 'http://example.com/a' }, { url: 'not a url' }, { bundleUrl: 'http://10.0.0.1/b.json' }, { timeoutMs: 0 }, { maxRedirects: -1 }]) {
      await assert.rejects(fetchVerified(options(join(dir, 'x.tgz'), fetch, extra)), (err) => isProvenantError(err) && err.code === 'USAGE', JSON.stringify(extra));
    }
  });
});

describe('URL policy', () => {
  it('allows https, and plain http only to loopback or when insecure is allowed', () => {
    assert.equal(urlProblem(new URL('https://example.com/a'), false), undefined);
    for (const local of ['http://127.0.0.1:8080/a', 'http://127.1.2.3/a', 'http://[::1]/a', 'http://localhost/a', 'http://x.localhost/a']) assert.equal(urlProblem(new URL(local), false), undefined, local);
    for (const remote of ['http://example.com/a', 'http://128.0.0.1/a', 'http://localhost.example.com/a', 'http://[::2]/a']) assert.match(urlProblem(new URL(remote), false) ?? '', /--allow-insecure/, remote);
    assert.equal(urlProblem(new URL('http://example.com/a'), true), undefined);
    assert.match(urlProblem(new URL('file:///etc/passwd'), true) ?? '', /only https/);
    assert.equal(isLoopbackHost('127.0.0.1.example.com'), false);
  });

  it('derives sidecars from the path (query kept, fragment dropped) and shows URLs without secrets', () => {
    const urls = sidecarUrls(new URL('https://u:p@cdn.example/v1/app.tgz?sig=abc#frag')).map(String);
    assert.deepEqual(urls, ['https://u:p@cdn.example/v1/app.tgz.sigstore.json?sig=abc', 'https://u:p@cdn.example/v1/app.tgz.intoto.jsonl?sig=abc']);
    assert.equal(displayUrl(new URL(urls[0]!)), 'https://cdn.example/v1/app.tgz.sigstore.json');
  });
});

describe('limits', () => {
  it('reads sizes with 1024-based units', () => {
    assert.deepEqual(['1', '512K', '100M', '2G', '1T', '3MiB', '7b'].map(parseByteSize), [1, 512 * 1024, 100 * 1024 ** 2, 2 * 1024 ** 3, 1024 ** 4, 3 * 1024 ** 2, 7]);
    for (const bad of ['0', '-1', '1.5G', 'G', '10X', '']) assert.equal(parseByteSize(bad), undefined, bad);
  });

  it('reads timeouts down to milliseconds', () => {
    assert.deepEqual(['300ms', '30s', '5m', '1h'].map(parseTimeout), [300, 30_000, 300_000, 3_600_000]);
    for (const bad of ['0s', '60', '1.5s', '1d', 's']) assert.equal(parseTimeout(bad), undefined, bad);
  });
});
