import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultTufCachePath } from './refresh-trusted-root.ts';

describe('defaultTufCachePath: provenant/tuf under the OS cache directory', () => {
  const home = join('/', 'home', 'dev');
  const cases: [platform: NodeJS.Platform, env: Record<string, string>, expected: string][] = [
    ['linux', {}, join(home, '.cache', 'provenant', 'tuf')],
    ['linux', { XDG_CACHE_HOME: join('/', 'var', 'cache', 'dev') }, join('/', 'var', 'cache', 'dev', 'provenant', 'tuf')],
    ['linux', { XDG_CACHE_HOME: '' }, join(home, '.cache', 'provenant', 'tuf')],
    ['darwin', { XDG_CACHE_HOME: '/ignored' }, join(home, 'Library', 'Caches', 'provenant', 'tuf')],
    ['win32', { LOCALAPPDATA: join('/', 'appdata') }, join('/', 'appdata', 'provenant', 'tuf')],
    ['win32', {}, join(home, 'AppData', 'Local', 'provenant', 'tuf')],
  ];
  for (const [platform, env, expected] of cases) {
    it(`${platform} ${JSON.stringify(env)} -> ${expected}`, () => assert.equal(defaultTufCachePath(env, platform, home), expected));
  }
});
