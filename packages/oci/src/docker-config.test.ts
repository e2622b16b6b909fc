import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isProvenantError } from '@provenant/core';
import { canonicalRegistry, dockerCredentials } from './docker-config.ts';

const root = mkdtempSync(join(tmpdir(), 'provenant-oci-docker-config-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A fresh directory holding `config.json` with `config` (a string is written as is). */
function configDir(config: unknown): string {
  const dir = join(root, `cfg-${counter++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

/** A home directory whose `.docker/config.json` holds `config`. */
function homeWith(config: unknown): string {
  const home = join(root, `home-${counter++}`);
  mkdirSync(join(home, '.docker'), { recursive: true });
  writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify(config));
  return home;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

function credentialsError(err: unknown): boolean {
  return isProvenantError(err) && err.code === 'REGISTRY_CREDENTIALS_INVALID';
}

describe('dockerCredentials: where the config is read', () => {
  it('reads ~/.docker/config.json from the injected home', async () => {
    const home = homeWith({ auths: { 'ghcr.io': { auth: b64('home-user:home-pass') } } });
    assert.deepEqual(await dockerCredentials('ghcr.io', { env: {}, home }), { username: 'home-user', password: 'home-pass' });
  });

  it('prefers $DOCKER_CONFIG over the home directory', async () => {
    const home = homeWith({ auths: { 'ghcr.io': { auth: b64('home-user:home-pass') } } });
    const dir = configDir({ auths: { 'ghcr.io': { auth: b64('env-user:env-pass') } } });
    assert.deepEqual(await dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: dir }, home }), { username: 'env-user', password: 'env-pass' });
  });

  it('ignores an empty $DOCKER_CONFIG', async () => {
    const home = homeWith({ auths: { 'ghcr.io': { auth: b64('home-user:home-pass') } } });
    assert.equal((await dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: '' }, home }))?.username, 'home-user');
  });

  it('is undefined when there is no config file', async () => {
    const empty = join(root, `empty-${counter++}`);
    mkdirSync(empty);
    assert.equal(await dockerCredentials('ghcr.io', { env: {}, home: empty }), undefined);
    assert.equal(await dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: join(empty, 'missing') }, home: empty }), undefined);
  });

  it('is undefined when the config has no entry for the registry', async () => {
    const dir = configDir({ auths: { 'quay.io': { auth: b64('u:p') } } });
    assert.equal(await dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: dir } }), undefined);
    assert.equal(await dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: configDir({}) } }), undefined);
  });
});

describe('dockerCredentials: auths entries', () => {
  it('splits `auth` at the first colon, so a password may contain colons', async () => {
    const dir = configDir({ auths: { 'ghcr.io': { auth: b64('user:pa:ss:word') } } });
    assert.deepEqual(await dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: dir } }), { username: 'user', password: 'pa:ss:word' });
  });

  it('reads separate username and password fields', async () => {
    const dir = configDir({ auths: { 'ghcr.io': { username: 'u', password: 'p' } } });
    assert.deepEqual(await dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: dir } }), { username: 'u', password: 'p' });
  });

  it('uses identitytoken as the password (ACR, `docker login` with a token)', async () => {
    const dir = configDir({ auths: { 'acr.example.io': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'refresh-token' } } });
    assert.deepEqual(await dockerCredentials('acr.example.io', { env: { DOCKER_CONFIG: dir } }), {
      username: '00000000-0000-0000-0000-000000000000',
      password: 'refresh-token',
    });
  });

  it('treats an entry with nothing in it as no credentials', async () => {
    const dir = configDir({ auths: { 'ghcr.io': {} } });
    assert.equal(await dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: dir } }), undefined);
  });

  it('serves docker.io from any of Docker Hub\'s keys', async () => {
    for (const key of ['https://index.docker.io/v1/', 'index.docker.io', 'registry-1.docker.io', 'docker.io']) {
      const dir = configDir({ auths: { [key]: { auth: b64('hub:secret') } } });
      assert.deepEqual(await dockerCredentials('docker.io', { env: { DOCKER_CONFIG: dir } }), { username: 'hub', password: 'secret' }, key);
      assert.equal((await dockerCredentials('index.docker.io', { env: { DOCKER_CONFIG: dir } }))?.username, 'hub', key);
    }
  });

  it('matches keys written as URLs with a scheme and path', async () => {
    const dir = configDir({ auths: { 'https://registry.example.com:5000/v2/': { auth: b64('u:p') } } });
    assert.equal((await dockerCredentials('registry.example.com:5000', { env: { DOCKER_CONFIG: dir } }))?.username, 'u');
  });

  it('matches registries exactly: no credentials for a parent, a suffix-extended name or another port', async () => {
    const dir = configDir({ auths: { 'registry.example.com': { auth: b64('u:p') } } });
    const env = { DOCKER_CONFIG: dir };
    assert.equal((await dockerCredentials('registry.example.com', { env }))?.username, 'u');
    assert.equal((await dockerCredentials('REGISTRY.example.com', { env }))?.username, 'u');
    for (const other of ['example.com', 'registry.example.com.evil', 'evil-registry.example.com', 'registry.example.com:5000', 'example.com/registry.example.com']) {
      assert.equal(await dockerCredentials(other, { env }), undefined, other);
    }
  });
});

describe('dockerCredentials: malformed configs', () => {
  const SECRET = 'hunter2-very-secret';

  it('refuses a config that is not JSON, without quoting it', async () => {
    const dir = configDir(`{"auths":{"ghcr.io":{"auth":"${b64(`u:${SECRET}`)}", "password": "${SECRET}"`);
    await assert.rejects(dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: dir } }), (err: Error) => {
      assert.ok(credentialsError(err));
      assert.ok(!err.message.includes(SECRET) && !err.message.includes(b64(`u:${SECRET}`)), err.message);
      return true;
    });
  });

  it('refuses JSON that is not an object', async () => {
    for (const text of ['null', '42', '"x"']) {
      await assert.rejects(dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: configDir(text) } }), credentialsError, text);
    }
  });

  it('refuses an `auth` without a colon, without quoting it', async () => {
    const dir = configDir({ auths: { 'ghcr.io': { auth: b64(SECRET) } } });
    await assert.rejects(dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: dir } }), (err: Error) => {
      assert.ok(credentialsError(err));
      assert.ok(!err.message.includes(SECRET) && !err.message.includes(b64(SECRET)), err.message);
      return true;
    });
  });

  it('refuses an auths entry that is not an object', async () => {
    const dir = configDir({ auths: { 'ghcr.io': 'u:p' } });
    await assert.rejects(dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: dir } }), credentialsError);
  });

  it('refuses a config directory it cannot read as a file', async () => {
    const dir = join(root, `dir-${counter++}`);
    mkdirSync(join(dir, 'config.json'), { recursive: true });
    await assert.rejects(dockerCredentials('ghcr.io', { env: { DOCKER_CONFIG: dir } }), credentialsError);
  });
});

describe('dockerCredentials: credential helpers', () => {
  // A fake `docker-credential-NAME`: logs its arguments and stdin, then answers with `script`.
  function helper(name: string, script: string): { bin: string; log: string } {
    const bin = join(root, `bin-${counter++}`);
    mkdirSync(bin);
    const log = join(bin, 'calls.log');
    const path = join(bin, `docker-credential-${name}`);
    writeFileSync(path, `#!/bin/sh\nprintf '%s|' "$@" >> '${log}'\ncat >> '${log}'\nprintf '\\n' >> '${log}'\n${script}\n`);
    chmodSync(path, 0o755);
    return { bin, log };
  }
  const answer = (user: string, secret: string) => `printf '%s' '${JSON.stringify({ ServerURL: 'x', Username: user, Secret: secret })}'`;
  const envFor = (dir: string, bin: string) => ({ DOCKER_CONFIG: dir, PATH: `${bin}:/usr/bin:/bin` });

  it('runs credHelpers[registry] with `get` and the server on stdin', async () => {
    const { bin, log } = helper('test', answer('helper-user', 'helper-secret'));
    const dir = configDir({ credHelpers: { 'registry.example.com': 'test' }, auths: { 'registry.example.com': { auth: b64('auths:ignored') } } });
    assert.deepEqual(await dockerCredentials('registry.example.com', { env: envFor(dir, bin) }), { username: 'helper-user', password: 'helper-secret' });
    assert.equal(readFileSync(log, 'utf8'), 'get|registry.example.com\n');
  });

  it('gives Docker Hub helpers the server URL docker uses', async () => {
    const { bin, log } = helper('test', answer('hub', 's'));
    const dir = configDir({ credHelpers: { 'https://index.docker.io/v1/': 'test' } });
    assert.equal((await dockerCredentials('docker.io', { env: envFor(dir, bin) }))?.username, 'hub');
    assert.equal(readFileSync(log, 'utf8'), 'get|https://index.docker.io/v1/\n');
  });

  it('runs credsStore for registries without a credHelpers entry', async () => {
    const { bin, log } = helper('test', answer('store-user', 'store-secret'));
    const dir = configDir({ credsStore: 'test', credHelpers: { 'other.example.com': 'missing-helper' } });
    assert.deepEqual(await dockerCredentials('ghcr.io', { env: envFor(dir, bin) }), { username: 'store-user', password: 'store-secret' });
    assert.equal(readFileSync(log, 'utf8'), 'get|ghcr.io\n');
  });

  it('treats "credentials not found" as no credentials, then reads auths', async () => {
    const { bin } = helper('test', `echo 'credentials not found in native keychain'\nexit 1`);
    assert.equal(await dockerCredentials('ghcr.io', { env: envFor(configDir({ credsStore: 'test' }), bin) }), undefined);
    const withAuths = configDir({ credsStore: 'test', auths: { 'ghcr.io': { auth: b64('fallback:p') } } });
    assert.equal((await dockerCredentials('ghcr.io', { env: envFor(withAuths, bin) }))?.username, 'fallback');
  });

  it('refuses a helper that is not on PATH', async () => {
    const { bin } = helper('test', answer('u', 'p'));
    const dir = configDir({ credHelpers: { 'ghcr.io': 'absent' } });
    await assert.rejects(dockerCredentials('ghcr.io', { env: envFor(dir, bin) }), (err: Error) => credentialsError(err) && /docker-credential-absent not found on PATH/.test(err.message));
  });

  it('refuses a helper that fails, without quoting its output', async () => {
    const { bin } = helper('test', `echo 'boom: token=s3cr3t-out' >&2\nexit 3`);
    const dir = configDir({ credsStore: 'test' });
    await assert.rejects(dockerCredentials('ghcr.io', { env: envFor(dir, bin) }), (err: Error) => credentialsError(err) && !err.message.includes('s3cr3t'));
  });

  it('refuses a helper answer without Username and Secret, without quoting it', async () => {
    const { bin } = helper('test', `printf '{"Username":"u","Password":"s3cr3t-pw"}'`);
    const dir = configDir({ credsStore: 'test' });
    await assert.rejects(dockerCredentials('ghcr.io', { env: envFor(dir, bin) }), (err: Error) => credentialsError(err) && !err.message.includes('s3cr3t'));
  });

  it('survives helpers that exit without reading stdin (EPIPE is not a crash)', async () => {
    const bin = join(root, `bin-${counter++}`);
    mkdirSync(bin);
    writeFileSync(join(bin, 'docker-credential-quick'), `#!/bin/sh\nprintf '%s' '{"Username":"quick","Secret":"s"}'\n`);
    writeFileSync(join(bin, 'docker-credential-gone'), '#!/bin/sh\nexit 3\n');
    chmodSync(join(bin, 'docker-credential-quick'), 0o755);
    chmodSync(join(bin, 'docker-credential-gone'), 0o755);
    const dir = configDir({ credHelpers: { 'quick.example.com': 'quick', 'gone.example.com': 'gone' } });
    for (let i = 0; i < 5; i++) {
      assert.equal((await dockerCredentials('quick.example.com', { env: envFor(dir, bin) }))?.username, 'quick');
      await assert.rejects(dockerCredentials('gone.example.com', { env: envFor(dir, bin) }), credentialsError);
    }
  });

  it('refuses helper names that are not plain names, running nothing', async () => {
    const { bin, log } = helper('test', answer('u', 'p'));
    for (const name of ['../bin/test', `${bin}/test`, 'a b', 'x;rm']) {
      const dir = configDir({ credsStore: name });
      await assert.rejects(dockerCredentials('ghcr.io', { env: envFor(dir, bin) }), (err: Error) => credentialsError(err) && /not a plain name/.test(err.message), name);
    }
    assert.throws(() => readFileSync(log), { code: 'ENOENT' });
  });
});

describe('canonicalRegistry', () => {
  const cases: [string, string][] = [
    ['docker.io', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['https://index.docker.io/v1/', 'docker.io'],
    ['HTTPS://Index.Docker.IO/v1/', 'docker.io'],
    ['ghcr.io', 'ghcr.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['http://localhost:5000/v2/', 'localhost:5000'],
    ['Registry.Example.com:443', 'registry.example.com:443'],
    ['registry.example.com/some/path', 'registry.example.com'],
    ['[::1]:5000', '[::1]:5000'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => assert.equal(canonicalRegistry(input), expected));
  }
});
