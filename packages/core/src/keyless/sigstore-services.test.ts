import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProvenantError } from '../errors.ts';
import { PUBLIC_GOOD_FULCIO_URL, PUBLIC_GOOD_REKOR_URL, servicesFromFlags } from './sigstore-services.ts';

const usage = (re: RegExp) => (e: unknown) => isProvenantError(e) && e.code === 'USAGE' && re.test(e.message);

describe('servicesFromFlags', () => {
  it('defaults to the public-good Fulcio and Rekor v1, and no TSA', () => {
    assert.deepEqual(servicesFromFlags({}), { fulcioURL: PUBLIC_GOOD_FULCIO_URL, tlogs: [{ url: PUBLIC_GOOD_REKOR_URL, majorApiVersion: 1 }], tsas: [] });
  });

  it('takes explicit URLs (trailing slashes dropped: the clients append API paths)', () => {
    const s = servicesFromFlags({ fulcioURL: 'http://127.0.0.1:1/', rekorURL: 'http://127.0.0.1:2', rekorVersion: 2, tsaURL: 'http://127.0.0.1:3' });
    assert.deepEqual(s, { fulcioURL: 'http://127.0.0.1:1', tlogs: [{ url: 'http://127.0.0.1:2', majorApiVersion: 2 }], tsas: [{ url: 'http://127.0.0.1:3' }] });
  });

  it('refuses what could never verify, and bad URLs', () => {
    assert.throws(() => servicesFromFlags({ tlog: false }), usage(/--no-tlog needs --tsa-url/));
    assert.throws(() => servicesFromFlags({ tlog: false, tsaURL: 'https://t', rekorURL: 'https://r' }), usage(/cannot be combined/));
    assert.throws(() => servicesFromFlags({ rekorVersion: 2, rekorURL: 'https://r' }), usage(/needs --tsa-url/));
    assert.throws(() => servicesFromFlags({ rekorVersion: 2, tsaURL: 'https://t' }), usage(/needs --rekor-url/));
    assert.throws(() => servicesFromFlags({ fulcioURL: 'fulcio.example' }), usage(/--fulcio-url: not a URL/));
    assert.throws(() => servicesFromFlags({ rekorURL: 'file:///etc/passwd' }), usage(/not an http\(s\) URL/));
    assert.throws(() => servicesFromFlags({ tsaURL: 'https://user:pw@tsa.example' }), (e: unknown) => usage(/credentials/)(e) && !(e as Error).message.includes('pw@'));
  });

  it('--no-tlog with a TSA signs with no log', () => {
    assert.deepEqual(servicesFromFlags({ tlog: false, tsaURL: 'https://t' }).tlogs, []);
  });
});
