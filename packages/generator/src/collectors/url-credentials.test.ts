import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCredentialUserinfo, parseUrlParts, stripUrlCredentials } from './url-credentials.ts';

describe('stripUrlCredentials', () => {
  const cases: Array<[string, string, string]> = [
    ['user and token', 'https://user:ghp_tok3n@github.com/o/r.git', 'https://github.com/o/r.git'],
    ['token as user name', 'https://glpat-abcdefghij@gitlab.com', 'https://gitlab.com'],
    ['x-access-token', 'https://x-access-token:abc123@github.com/o/r', 'https://github.com/o/r'],
    ['GitLab CI clone URL', 'https://gitlab-ci-token:[MASKED]@gitlab.example.com/g/p.git', 'https://gitlab.example.com/g/p.git'],
    ['empty user, password only', 'https://:secret@host.example/x', 'https://host.example/x'],
    ['http with port', 'http://u:p@localhost:8080/repo', 'http://localhost:8080/repo'],
    ['git protocol', 'git://u:p@example.org/repo.git', 'git://example.org/repo.git'],
    ['password with unencoded @', 'https://user:p@ss@host.example/r', 'https://host.example/r'],
    ['password with ? and #', 'https://user:p?s#s@host.example/r', 'https://host.example/r'],
    ['percent-encoded password', 'https://user:p%40ss@host.example/r', 'https://host.example/r'],
    ['query token dropped', 'https://gitlab.example.com/g/p.git?private_token=abc', 'https://gitlab.example.com/g/p.git'],
    ['fragment dropped', 'https://host.example/r.git#main', 'https://host.example/r.git'],
    ['query and fragment dropped', 'https://host.example/r?a=1#frag', 'https://host.example/r'],
    ['credentials and query', 'https://u:p@host.example/r?sig=xyz', 'https://host.example/r'],
    ['ssh login kept', 'ssh://git@github.com/o/r.git', 'ssh://git@github.com/o/r.git'],
    ['ssh password dropped, login kept', 'ssh://user:pass@host.example/r', 'ssh://user@host.example/r'],
    ['ssh password only', 'ssh://:pass@host.example/r', 'ssh://host.example/r'],
    ['git+ssh login kept', 'git+ssh://git@host.example:2222/r.git', 'git+ssh://git@host.example:2222/r.git'],
    ['scheme case preserved', 'HTTPS://u:p@Host.Example/R', 'HTTPS://Host.Example/R'],
    ['no credentials, no trailing slash added', 'https://github.com', 'https://github.com'],
    ['plain URL unchanged', 'https://github.com/octo-org/octo-repo.git', 'https://github.com/octo-org/octo-repo.git'],
    ['scp-like kept as is', 'git@github.com:o/r.git', 'git@github.com:o/r.git'],
    ['scp-like without user', 'github.com:o/r.git', 'github.com:o/r.git'],
    ['local path', '/srv/git/repo.git', '/srv/git/repo.git'],
    ['relative path', '../upstream', '../upstream'],
    ['file URL', 'file:///srv/git/repo.git', 'file:///srv/git/repo.git'],
    ['@ in path is not userinfo', 'https://registry.example/@scope/pkg', 'https://registry.example/@scope/pkg'],
  ];
  for (const [label, input, expected] of cases) {
    test(label, () => {
      assert.equal(stripUrlCredentials(input), expected);
    });
  }

  test('never returns the secret part of any credentialed URL above', () => {
    for (const url of ['https://user:S3cr3t@h/x', 'ssh://user:S3cr3t@h/x', 'https://S3cr3t@h', 'https://h/x?token=S3cr3t']) {
      assert.ok(!stripUrlCredentials(url).includes('S3cr3t'), url);
    }
  });
});

describe('parseUrlParts', () => {
  test('splits without normalising', () => {
    assert.deepEqual(parseUrlParts('https://u:p@Host:443/a/b?x=1&y=2#f'), {
      scheme: 'https',
      userinfo: 'u:p',
      hostAndPath: 'Host:443/a/b',
      query: 'x=1&y=2',
    });
  });

  test('no userinfo and no query', () => {
    assert.deepEqual(parseUrlParts('https://example.org'), {
      scheme: 'https',
      userinfo: undefined,
      hostAndPath: 'example.org',
      query: undefined,
    });
  });

  test('a fragment before any query leaves no query', () => {
    assert.equal(parseUrlParts('https://h/p#frag?not=query')?.query, undefined);
  });

  test('not a scheme URL', () => {
    assert.equal(parseUrlParts('git@github.com:o/r.git'), undefined);
    assert.equal(parseUrlParts('C:\\repo'), undefined);
  });
});

describe('isCredentialUserinfo', () => {
  const cases: Array<[string, string | undefined, boolean]> = [
    ['https', undefined, false],
    ['https', 'token', true],
    ['https', 'user:pass', true],
    ['ssh', 'git', false],
    ['SSH', 'git', false],
    ['ssh', 'user:pass', true],
    ['git+ssh', 'git', false],
  ];
  for (const [scheme, userinfo, expected] of cases) {
    test(`${scheme} with ${userinfo ?? 'no userinfo'} -> ${expected}`, () => {
      assert.equal(isCredentialUserinfo(scheme, userinfo), expected);
    });
  }
});
