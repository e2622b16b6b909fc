import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { DOCKER_HUB, formatImageReference, imageName, parseImageReference, withDigest } from './image-reference.ts';

const HEX = 'a'.repeat(64);
const DIGEST = `sha256:${HEX}`;

function invalid(text: string): (err: unknown) => boolean {
  return (err) => {
    assert.ok(isProvenantError(err), `expected a ProvenantError for ${JSON.stringify(text)}`);
    assert.equal(err.code, 'IMAGE_REFERENCE_INVALID');
    assert.doesNotMatch(err.message, /\n/, 'the message is one line');
    assert.doesNotMatch(err.message, /\bat .+:\d+:\d+/, 'the message carries no stack');
    return true;
  };
}

describe('parseImageReference', () => {
  // Docker Hub normalisation as in github.com/distribution/reference normalize.go
  // (ParseNormalizedNamed: docker.io, `library/` for one-component names, `latest` by default).
  const cases: [string, { registry: string; repository: string; tag?: string; digest?: string }][] = [
    ['alpine', { registry: DOCKER_HUB, repository: 'library/alpine', tag: 'latest' }],
    ['alpine:3.20', { registry: DOCKER_HUB, repository: 'library/alpine', tag: '3.20' }],
    ['owner/app', { registry: DOCKER_HUB, repository: 'owner/app', tag: 'latest' }],
    ['my_org/app', { registry: DOCKER_HUB, repository: 'my_org/app', tag: 'latest' }],
    ['docker.io/alpine', { registry: DOCKER_HUB, repository: 'library/alpine', tag: 'latest' }],
    ['docker.io/library/alpine:edge', { registry: DOCKER_HUB, repository: 'library/alpine', tag: 'edge' }],
    // distribution folds the legacy index.docker.io into docker.io.
    ['index.docker.io/alpine', { registry: DOCKER_HUB, repository: 'library/alpine', tag: 'latest' }],
    ['ghcr.io/acme/app:v1.2.3', { registry: 'ghcr.io', repository: 'acme/app', tag: 'v1.2.3' }],
    ['registry.example.com:5000/team/sub/app', { registry: 'registry.example.com:5000', repository: 'team/sub/app', tag: 'latest' }],
    ['127.0.0.1:5000/app:dev', { registry: '127.0.0.1:5000', repository: 'app', tag: 'dev' }],
    // A port makes the first component a host even without a dot; so does `localhost`.
    ['myhost:5000/app', { registry: 'myhost:5000', repository: 'app', tag: 'latest' }],
    ['localhost/app', { registry: 'localhost', repository: 'app', tag: 'latest' }],
    ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app', tag: 'latest' }],
    // Without a slash `localhost:5000` is a Docker Hub name with a tag, as in Docker.
    ['localhost:5000', { registry: DOCKER_HUB, repository: 'library/localhost', tag: '5000' }],
    ['[::1]:5000/app', { registry: '[::1]:5000', repository: 'app', tag: 'latest' }],
    ['[fe80::1]/app:x', { registry: '[fe80::1]', repository: 'app', tag: 'x' }],
    ['oci://ghcr.io/acme/app:v1', { registry: 'ghcr.io', repository: 'acme/app', tag: 'v1' }],
    [`ghcr.io/acme/app:v1@${DIGEST}`, { registry: 'ghcr.io', repository: 'acme/app', tag: 'v1', digest: DIGEST }],
    [`ghcr.io/acme/app@${DIGEST}`, { registry: 'ghcr.io', repository: 'acme/app', digest: DIGEST }],
    [`alpine@${DIGEST}`, { registry: DOCKER_HUB, repository: 'library/alpine', digest: DIGEST }],
    // Separators: `.`, `_`, `__`, and any run of `-` between alphanumerics.
    ['ghcr.io/a.b_c__d---e/f', { registry: 'ghcr.io', repository: 'a.b_c__d---e/f', tag: 'latest' }],
    // Tags: word characters first, then up to 127 of [\w.-].
    [`ghcr.io/a/b:_${'x'.repeat(127)}`, { registry: 'ghcr.io', repository: 'a/b', tag: `_${'x'.repeat(127)}` }],
    ['ghcr.io/a/b:V1.0-RC_1', { registry: 'ghcr.io', repository: 'a/b', tag: 'V1.0-RC_1' }],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`, () => {
      assert.deepEqual(parseImageReference(text), expected);
    });
  }

  it('adds no `latest` tag to a digest reference', () => {
    const ref = parseImageReference(`ghcr.io/acme/app@${DIGEST}`);
    assert.equal(ref.tag, undefined);
    assert.equal('tag' in ref, false);
  });

  const bad: [string, string][] = [
    ['', 'empty'],
    ['oci://', 'empty after the scheme'],
    ['ghcr.io/Acme/App', 'uppercase repository'],
    ['ALPINE', 'uppercase Docker Hub name'],
    ['Owner/app', 'uppercase first component that is not a host'],
    ['a//b', 'empty path component'],
    ['/alpine', 'leading slash'],
    ['alpine/', 'trailing slash'],
    ['ghcr.io/a/b@sha256:abc', 'short digest'],
    [`ghcr.io/a/b@sha256:${'A'.repeat(64)}`, 'uppercase digest hex'],
    [`ghcr.io/a/b@sha512:${'a'.repeat(128)}`, 'digest algorithm other than sha256'],
    [`ghcr.io/a/b@${DIGEST}0`, 'digest too long'],
    ['ghcr.io/a/b:', 'empty tag'],
    ['ghcr.io/a/b:-x', 'tag starting with a dash'],
    [`ghcr.io/a/b:${'x'.repeat(129)}`, 'tag over 128 characters'],
    ['ghcr.io/a-/b', 'component ending in a separator'],
    ['ghcr.io/a/b c', 'space'],
    ['ghcr.io/a/b\n', 'newline'],
    ['https://ghcr.io/a/b', 'URL scheme other than oci://'],
    ['[::1/app', 'unclosed IPv6 bracket'],
    [`ghcr.io/${'a'.repeat(5000)}`, 'over-long'],
  ];
  for (const [text, why] of bad) {
    it(`refuses ${why}`, () => {
      assert.throws(() => parseImageReference(text), invalid(text));
    });
  }

  it('quotes at most 200 characters of an over-long reference and hints at the cause', () => {
    assert.throws(
      () => parseImageReference(`ghcr.io/${'a'.repeat(5000)}`),
      (err: Error) => err.message.length < 300 && err.message.includes('…'),
    );
    assert.throws(() => parseImageReference('ghcr.io/Acme/app'), /repository names are lowercase/);
    assert.throws(() => parseImageReference('ghcr.io/a/b@sha256:abc'), /64 lowercase hex/);
  });

  it('answers quickly on adversarial input (no catastrophic backtracking)', () => {
    const started = performance.now();
    for (const text of ['a'.repeat(4000) + '!', 'a.'.repeat(2000) + '/x!', 'a-'.repeat(2000) + '!', 'a/'.repeat(2000) + '!', 'a__'.repeat(1300) + '!']) {
      assert.throws(() => parseImageReference(text), invalid(text));
    }
    assert.ok(performance.now() - started < 500);
  });
});

describe('formatImageReference, imageName, withDigest', () => {
  it('round-trips every normalised reference', () => {
    for (const text of ['alpine', 'owner/app:v1', `ghcr.io/acme/app:v1@${DIGEST}`, `localhost:5000/app@${DIGEST}`, '[::1]:5000/app:t', 'oci://registry.example.com:5000/a/b/c']) {
      const ref = parseImageReference(text);
      assert.deepEqual(parseImageReference(formatImageReference(ref)), ref);
    }
  });

  it('writes the normalised form', () => {
    assert.equal(formatImageReference(parseImageReference('alpine')), 'docker.io/library/alpine:latest');
    assert.equal(formatImageReference(parseImageReference(`oci://ghcr.io/a/b:v1@${DIGEST}`)), `ghcr.io/a/b:v1@${DIGEST}`);
    assert.equal(formatImageReference(parseImageReference(`ghcr.io/a/b@${DIGEST}`)), `ghcr.io/a/b@${DIGEST}`);
  });

  it('names an image registry/repository, without tag or digest', () => {
    assert.equal(imageName(parseImageReference(`alpine:3@${DIGEST}`)), 'docker.io/library/alpine');
    assert.equal(imageName(parseImageReference('localhost:5000/app:dev')), 'localhost:5000/app');
  });

  it('pins to a digest and drops the tag', () => {
    const pinned = withDigest(parseImageReference('ghcr.io/acme/app:v1'), DIGEST);
    assert.deepEqual(pinned, { registry: 'ghcr.io', repository: 'acme/app', digest: DIGEST });
    assert.equal(formatImageReference(pinned), `ghcr.io/acme/app@${DIGEST}`);
  });
});
