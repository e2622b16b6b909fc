import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseSourceUri, sourceUriFromSlsaVerifier, splitGitUri } from './source-uri.ts';

describe('normaliseSourceUri', () => {
  const cases: [string, string][] = [
    ['https://github.com/acme/app', 'https://github.com/acme/app'],
    ['git+https://github.com/acme/app.git', 'https://github.com/acme/app'],
    ['https://GitHub.COM/acme/App/', 'https://github.com/acme/App'],
    ['HTTPS://github.com/acme/app.git/', 'https://github.com/acme/app'],
    ['https://github.com/acme/app.git.git', 'https://github.com/acme/app'],
    ['https://Token@GitHub.com/acme/app', 'https://Token@github.com/acme/app'],
    ['git+ssh://git@github.com/acme/app.git', 'ssh://git@github.com/acme/app'],
    ['https://github.com/acme/app.github.io', 'https://github.com/acme/app.github.io'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} -> ${expected}`, () => assert.equal(normaliseSourceUri(input), expected));
  }
});

describe('splitGitUri', () => {
  const cases: [string, { uri: string; ref?: string }][] = [
    ['git+https://github.com/acme/app@refs/heads/main', { uri: 'https://github.com/acme/app', ref: 'refs/heads/main' }],
    ['git+https://github.com/acme/app.git@refs/tags/v1.0.0', { uri: 'https://github.com/acme/app', ref: 'refs/tags/v1.0.0' }],
    ['git+https://github.com/acme/app', { uri: 'https://github.com/acme/app' }],
    ['git+https://user@github.com/acme/app', { uri: 'https://user@github.com/acme/app' }],
    ['git+https://user@github.com/acme/app@refs/heads/x', { uri: 'https://user@github.com/acme/app', ref: 'refs/heads/x' }],
    ['git+https://github.com/acme/app@', { uri: 'https://github.com/acme/app' }],
  ];
  for (const [input, expected] of cases) {
    it(input, () => assert.deepEqual(splitGitUri(input), expected));
  }
});

describe('sourceUriFromSlsaVerifier (slsa-verifier --source-uri github.com/o/r)', () => {
  const cases: [string, string][] = [
    ['github.com/acme/app', 'https://github.com/acme/app'],
    ['https://github.com/acme/app', 'https://github.com/acme/app'],
    ['git+https://github.com/acme/app', 'git+https://github.com/acme/app'],
    [' github.com/acme/app ', 'https://github.com/acme/app'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${expected}`, () => assert.equal(sourceUriFromSlsaVerifier(input), expected));
  }
});
