import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeContext } from '../testing/fake-context.ts';
import { npmVersionFromInstall } from './npm-version.ts';

describe('npmVersionFromInstall', () => {
  it('reads the version from the package.json of the npm on PATH', async () => {
    const ctx = fakeContext({
      env: { PATH: '/nothing:/opt/npm/bin' },
      files: { '/opt/npm/bin/npm': '#!/usr/bin/env node', '/opt/npm/package.json': '{"name":"npm","version":"11.19.1"}' },
    });
    assert.equal(await npmVersionFromInstall(ctx), '11.19.1');
  });

  it('is undefined when npm is not on PATH or its package.json is not npm\'s', async () => {
    assert.equal(await npmVersionFromInstall(fakeContext({ env: { PATH: '/usr/bin' } })), undefined);
    const other = fakeContext({ env: { PATH: '/x/bin' }, files: { '/x/bin/npm': '', '/x/package.json': '{"name":"evil","version":"1.0.0"}' } });
    assert.equal(await npmVersionFromInstall(other), undefined);
  });
});
