import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ResourceDescriptorSchema, isProvenantError } from '@provenant/core';
import { escapeModulePath, goFormat } from './go-format.ts';
import { compareGoVersions } from './go-mod.ts';
import { parseGoSum } from './go-sum.ts';
import { toResourceDescriptor } from './resource-descriptor.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/go/', import.meta.url));

async function load(dir: string, withMod = true) {
  return goFormat.parse({
    text: await readFile(join(FIXTURES, dir, 'go.sum'), 'utf8'),
    path: `${dir}/go.sum`,
    readSibling: async (name) => (withMod ? readFile(join(FIXTURES, dir, name), 'utf8').catch(() => undefined) : undefined),
  });
}

describe('goFormat', () => {
  test('fzf: 11 packages = the 11 requires of go.mod, each with its zip hash; the 65 module versions go.sum has only a /go.mod hash for are not dependencies', async () => {
    const { packages, roots } = await load('fzf');
    assert.equal(packages.length, 11);
    assert.ok(packages.every((p) => p.digest['dirHash']?.length === 64 && p.scope === 'prod' && p.sourceKind === 'registry'));
    assert.equal(packages.filter((p) => p.direct).length, 7);
    assert.equal(roots?.length, 7);
    const tcell = packages.find((p) => p.name === 'github.com/gdamore/tcell/v2');
    assert.equal(tcell?.purl, 'pkg:golang/github.com/gdamore/tcell/v2@v2.8.1');
    assert.equal(tcell?.downloadLocation, 'https://proxy.golang.org/github.com/gdamore/tcell/v2/@v/v2.8.1.zip');
    // h1:KPNxyqclpWpWQlPLx6Xui1pMk8S+7+R37h3g07997NU= as hex
    assert.equal(tcell?.digest['dirHash'], Buffer.from('KPNxyqclpWpWQlPLx6Xui1pMk8S+7+R37h3g07997NU=', 'base64').toString('hex'));
    assert.equal(packages.find((p) => p.name === 'golang.org/x/text')?.direct, false);
    assert.ok(!packages.some((p) => p.name === 'golang.org/x/crypto'), 'only a /go.mod hash: not in the build');
    for (const p of packages) assert.ok(ResourceDescriptorSchema.safeParse(toResourceDescriptor(p)).success, p.purl);
  });

  test('replace: a module replaced by a module is that module; one replaced by a directory is not a dependency', async () => {
    const { packages } = await load('replace');
    assert.deepEqual(
      packages.map((p) => `${p.name}@${p.version}`),
      ['example.com/fork@v1.0.1', 'example.com/greet@v1.1.0', 'example.com/util@v0.2.0'],
    );
    assert.ok(packages.every((p) => p.direct && p.digest['dirHash'] !== undefined));
  });

  test('without go.mod: every module with a zip hash counts, none direct', async () => {
    const { packages } = await load('fzf', false);
    assert.equal(packages.length, 11);
    assert.ok(packages.every((p) => !p.direct));
  });

  test('before go 1.17 go.sum adds what go.mod leaves out, the highest version per path', async () => {
    const sum = (await readFile(join(FIXTURES, 'fzf/go.sum'), 'utf8')) + 'golang.org/x/text v0.3.0 h1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=\n';
    const mod = 'module m\n\ngo 1.16\n\nrequire github.com/mattn/go-isatty v0.0.20\n';
    const { packages } = await goFormat.parse({ text: sum, path: 'go.sum', readSibling: async () => mod });
    assert.equal(packages.length, 11);
    assert.equal(packages.find((p) => p.name === 'golang.org/x/text')?.version, 'v0.21.0');
    assert.deepEqual(
      packages.filter((p) => p.direct).map((p) => p.name),
      ['github.com/mattn/go-isatty'],
    );
  });

  test('a required module with only a /go.mod hash is kept, without a digest', async () => {
    const mod = 'module m\n\ngo 1.21\n\nrequire golang.org/x/crypto v0.23.0 // indirect\n';
    const sum = 'golang.org/x/crypto v0.23.0/go.mod h1:CKFgDieR+mRhux2Lsu27y0fO304Db0wZe70UKqHu0v8=\n';
    const { packages } = await goFormat.parse({ text: sum, path: 'go.sum', readSibling: async () => mod });
    assert.deepEqual(packages.map((p) => [p.name, p.direct, p.digest]), [['golang.org/x/crypto', false, {}]]);
  });

  test('dirHash is the in-toto encoding of h1: (spec example: the empty tree)', () => {
    const sums = parseGoSum('example.com/m v1.0.0 h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n', 'go.sum');
    assert.equal(sums.get('example.com/m@v1.0.0')?.zip, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  test('version order and the proxy case encoding', () => {
    assert.ok(compareGoVersions('v1.10.0', 'v1.9.9') > 0);
    assert.ok(compareGoVersions('v1.0.0-rc.1', 'v1.0.0') < 0);
    assert.ok(compareGoVersions('v0.0.0-20250127100254-2aa3b3277741', 'v0.0.0-20170201023540-14207d285c6c') > 0);
    assert.equal(compareGoVersions('v2.0.0+incompatible', 'v2.0.0'), 0);
    assert.equal(escapeModulePath('github.com/BurntSushi/toml'), 'github.com/!burnt!sushi/toml');
  });

  const invalid: Record<string, [string, string]> = {
    'a go.sum line with two fields': ['example.com/m v1.0.0\n', ''],
    'a malformed h1 hash': ['example.com/m v1.0.0 h1:abc\n', ''],
    'a version without v': ['example.com/m 1.0.0 h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n', ''],
    'a require without version': ['', 'module m\nrequire example.com/m\n'],
    'an unterminated block': ['', 'module m\nrequire (\n\texample.com/m v1.0.0\n'],
    'a replace without =>': ['', 'module m\nreplace example.com/m example.com/n v1.0.0\n'],
  };
  for (const [what, [sum, mod]] of Object.entries(invalid)) {
    test(`LOCKFILE_INVALID: ${what}`, async () => {
      await assert.rejects(
        goFormat.parse({ text: sum, path: 'go.sum', readSibling: async () => mod || undefined }),
        (e) => isProvenantError(e) && e.code === 'LOCKFILE_INVALID' && /^go\.(sum|mod): /.test(e.message),
      );
    });
  }
});
