import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProvenantError } from '../errors.ts';
import { SIGNING_CONFIG_V02_MEDIA_TYPE, parseSigningConfig, selectServices } from './signing-config.ts';

const NOW = new Date('2026-06-01T00:00:00Z');

interface ServiceJSON {
  url: string;
  majorApiVersion: number;
  validFor?: { start?: string; end?: string };
  operator?: string;
}

const svc = (url: string, majorApiVersion: number, start: string, extra: Partial<ServiceJSON> = {}): ServiceJSON => ({
  url,
  majorApiVersion,
  validFor: { start },
  operator: 'sigstore.dev',
  ...extra,
});

function config(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    mediaType: SIGNING_CONFIG_V02_MEDIA_TYPE,
    caUrls: [svc('https://fulcio.example', 1, '2023-01-01T00:00:00Z')],
    oidcUrls: [],
    rekorTlogUrls: [svc('https://rekor.example', 1, '2021-01-12T11:53:27Z')],
    rekorTlogConfig: { selector: 'ANY' },
    tsaUrls: [svc('https://tsa.example/api/v1/timestamp', 1, '2025-04-09T00:00:00Z')],
    tsaConfig: { selector: 'ANY' },
    ...over,
  });
}

const select = (text: string, options: Partial<Parameters<typeof selectServices>[1]> = {}) => selectServices(parseSigningConfig(text, 'sc.json'), { now: NOW, ...options });

function throwsCode(fn: () => unknown, code: string, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isProvenantError(e), String(e));
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe('parseSigningConfig', () => {
  it('reads v0.2 and refuses other media types, naming what it expected', () => {
    assert.equal(parseSigningConfig(config()).caUrls.length, 1);
    throwsCode(() => parseSigningConfig(config({ mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.1+json' })), 'SIGNING_CONFIG_INVALID', /v0\.1\+json, expected .*v0\.2\+json/);
    throwsCode(() => parseSigningConfig('[]'), 'SIGNING_CONFIG_INVALID', /mediaType missing/);
    throwsCode(() => parseSigningConfig('{'), 'SIGNING_CONFIG_INVALID', /not JSON/);
  });

  it('names the bad field', () => {
    throwsCode(() => parseSigningConfig(config({ caUrls: [{ url: 'ftp://x', majorApiVersion: 1 }] }), 'sc.json'), 'SIGNING_CONFIG_INVALID', /^sc\.json: caUrls\.0\.url: /);
    throwsCode(() => parseSigningConfig(config({ tsaUrls: [svc('https://t', 1, 'yesterday')] })), 'SIGNING_CONFIG_INVALID', /tsaUrls\.0\.validFor\.start/);
  });

  it('accepts selectors as numbers, as protobuf JSON parsers do', () => {
    assert.equal(parseSigningConfig(config({ rekorTlogConfig: { selector: 1 } })).rekorTlogConfig?.selector, 'ALL');
  });
});

describe('selectServices', () => {
  it('selects the one Fulcio, Rekor and TSA of a simple config (TSA URL kept whole)', () => {
    assert.deepEqual(select(config()), {
      fulcioURL: 'https://fulcio.example',
      tlogs: [{ url: 'https://rekor.example', majorApiVersion: 1 }],
      tsas: [{ url: 'https://tsa.example/api/v1/timestamp' }],
    });
  });

  it('skips services outside their validity window (inclusive ends) and picks the newest start', () => {
    const text = config({
      caUrls: [
        svc('https://expired', 1, '2020-01-01T00:00:00Z', { validFor: { start: '2020-01-01T00:00:00Z', end: '2026-05-31T23:59:59Z' } }),
        svc('https://future', 1, '2026-06-01T00:00:01Z'),
        svc('https://older', 1, '2022-01-01T00:00:00Z'),
        svc('https://ends-now', 1, '2024-01-01T00:00:00Z', { validFor: { start: '2024-01-01T00:00:00Z', end: '2026-06-01T00:00:00Z' } }),
      ],
    });
    assert.equal(select(text).fulcioURL, 'https://ends-now');
  });

  it('uses only the highest API version it speaks: Rekor v2 over v1, never an unknown v3', () => {
    const text = config({
      rekorTlogUrls: [
        svc('https://log2030.rekor.example', 3, '2026-01-01T00:00:00Z'),
        svc('https://log2025.rekor.example', 2, '2025-09-01T00:00:00Z'),
        svc('https://rekor.example', 1, '2025-12-01T00:00:00Z'),
      ],
    });
    assert.deepEqual(select(text).tlogs, [{ url: 'https://log2025.rekor.example', majorApiVersion: 2 }]);
    // --rekor-version 1 narrows the choice to v1 logs.
    assert.deepEqual(select(text, { rekorVersion: 1 }).tlogs, [{ url: 'https://rekor.example', majorApiVersion: 1 }]);
  });

  it('takes at most one service per operator, as many as ALL / EXACT ask', () => {
    const logs = [
      svc('https://a1', 1, '2025-01-01T00:00:00Z', { operator: 'a.example' }),
      svc('https://a2', 1, '2025-06-01T00:00:00Z', { operator: 'a.example' }),
      svc('https://b1', 1, '2024-01-01T00:00:00Z', { operator: 'b.example' }),
    ];
    assert.deepEqual(
      select(config({ rekorTlogUrls: logs, rekorTlogConfig: { selector: 'ALL' } })).tlogs.map((t) => t.url),
      ['https://a2', 'https://b1'],
    );
    assert.deepEqual(select(config({ rekorTlogUrls: logs, rekorTlogConfig: { selector: 'ANY' } })).tlogs.map((t) => t.url), ['https://a2']);
    assert.deepEqual(select(config({ rekorTlogUrls: logs, rekorTlogConfig: { selector: 'EXACT', count: 2 } })).tlogs.length, 2);
    throwsCode(() => select(config({ rekorTlogUrls: logs, rekorTlogConfig: { selector: 'EXACT', count: 3 } })), 'SIGNING_CONFIG_INVALID', /asks for 3 .* 2 are usable/);
  });

  it('refuses configs it cannot follow', () => {
    throwsCode(() => select(config({ caUrls: [svc('https://f', 2, '2025-01-01T00:00:00Z')] })), 'SIGNING_CONFIG_INVALID', /no Fulcio service with API version 1/);
    throwsCode(() => select(config({ rekorTlogConfig: undefined })), 'SIGNING_CONFIG_INVALID', /rekorTlogConfig\.selector\) is not set/);
    throwsCode(() => select(config({ rekorTlogUrls: [svc('https://r', 1, '2027-01-01T00:00:00Z')] })), 'SIGNING_CONFIG_INVALID', /rekorTlogUrls has no service/);
    // Rekor v2 entries carry no time: without a TSA the bundle could never verify.
    throwsCode(() => select(config({ rekorTlogUrls: [svc('https://r', 2, '2025-01-01T00:00:00Z')], tsaUrls: [] })), 'SIGNING_CONFIG_INVALID', /Rekor v2 .* no TSA/);
  });

  it('--no-tlog drops the logs and then needs a TSA', () => {
    assert.deepEqual(select(config(), { tlog: false }).tlogs, []);
    throwsCode(() => select(config({ tsaUrls: [] }), { tlog: false }), 'USAGE', /--no-tlog/);
  });
});
