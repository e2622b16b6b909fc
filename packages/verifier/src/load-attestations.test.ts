import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { parseAttestationText } from './load-attestations.ts';
import { bundleJson, provenantStatement } from './testing/fixtures.ts';

describe('reading bundles of later versions', () => {
  it('reads a later v0.x minor version as v0.3, keeping its media type', async () => {
    const json = await bundleJson(provenantStatement());
    for (const mediaType of ['application/vnd.dev.sigstore.bundle+json;version=0.4', 'application/vnd.dev.sigstore.bundle.v0.5+json']) {
      const [att] = parseAttestationText(JSON.stringify({ ...json, mediaType }), 'b.json');
      assert.equal(att?.kind, 'bundle');
      assert.equal(att?.kind === 'bundle' && att.mediaType, mediaType);
    }
  });

  it('refuses another major version, and a later minor that is not a valid bundle', async () => {
    const json = await bundleJson(provenantStatement());
    const malformed = (e: unknown) => isProvenantError(e) && e.code === 'BUNDLE_MALFORMED';
    assert.throws(() => parseAttestationText(JSON.stringify({ ...json, mediaType: 'application/vnd.dev.sigstore.bundle+json;version=99.9' })), malformed);
    assert.throws(() => parseAttestationText(JSON.stringify({ ...json, mediaType: 'application/vnd.dev.sigstore.bundle+json;version=1.0' })), malformed);
    const { verificationMaterial: _v, ...rest } = json;
    assert.throws(() => parseAttestationText(JSON.stringify({ ...rest, mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.4' })), malformed);
  });
});
