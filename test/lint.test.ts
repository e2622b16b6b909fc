// `provenant lint` through the CLI, on provenant's own output, on hand-made statements, and on
// every bundle of ../shared/corpus/real-bundles that its producer's tests verify: real producers
// must lint without errors (warnings allowed), or a rule is stricter than the specs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, test } from 'node:test';
import type { LintIssue } from '@provenant/verifier';
import { type CliResult, errorCode, runCli, runCliInProcess, tempDir } from './support/cli.ts';

const corpus = join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'real-bundles');

interface LintJson {
  ok: boolean;
  errors: number;
  warnings: number;
  issues: LintIssue[];
}

const explain = (r: CliResult) => `status ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

function statement(change: (s: Record<string, unknown> & { predicate: Record<string, Record<string, unknown>> }) => void = () => {}): string {
  const s = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app.tgz', digest: { sha256: 'a'.repeat(64) } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: { buildType: 'https://example.com/build/v1', externalParameters: { ref: 'refs/heads/main' } },
      runDetails: { builder: { id: 'https://example.com/builder' }, metadata: { finishedOn: '2025-06-01T12:00:00Z' } },
    },
  };
  change(s);
  return JSON.stringify(s, null, 2);
}

describe('provenant lint', () => {
  it('finds nothing in what provenant attest writes from a git checkout, bundle or JSON Lines', async (t) => {
    const dir = await tempDir(t);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
    git('init', '-q', '-b', 'main');
    git('remote', 'add', 'origin', 'https://github.com/acme/app.git');
    await writeFile(join(dir, 'app.js'), 'console.log(1)\n');
    git('add', '.');
    git('commit', '-q', '-m', 'init');
    const keys = join(await tempDir(t), 'release');
    assert.equal((await runCli(['keygen', '--out', keys])).status, 0);
    const out = await tempDir(t);
    for (const format of ['sigstore', 'intoto-jsonl']) {
      const file = join(out, `app.${format}`);
      const attest = await runCli(['attest', '--cwd', dir, '--subject', 'app.js', '--key', `${keys}.key`, '--out', file, '--format', format, '--no-deps']);
      assert.equal(attest.status, 0, explain(attest));
      const r = await runCliInProcess(['lint', file]);
      assert.equal(r.status, 0, explain(r));
      assert.equal(r.stdout, `no problems in ${file}\n`);
    }
  });

  it('warns about a build outside git, whose provenance records no external parameters', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'app.js'), 'console.log(1)\n');
    assert.equal((await runCli(['keygen', '--out', join(dir, 'release')])).status, 0);
    const file = join(dir, 'app.sigstore.json');
    const attest = await runCli(['attest', '--cwd', dir, '--subject', 'app.js', '--key', join(dir, 'release.key'), '--out', file, '--no-deps']);
    assert.equal(attest.status, 0, explain(attest));
    const r = await runCliInProcess(['lint', file, '--json']);
    assert.equal(r.status, 0, explain(r));
    assert.deepEqual((JSON.parse(r.stdout) as LintJson).issues.map((i) => `${i.code} at ${i.path}`), ['SLSA_EXTERNAL_PARAMETERS_EMPTY at predicate.buildDefinition.externalParameters']);
  });

  it('exits 1 with any error and prints one line per issue with its severity, code and path', async (t) => {
    const file = join(await tempDir(t), 'bad.json');
    const bad = statement((s) => {
      s.predicateType = 'https://slsa.dev/provenance/v1.0';
      s.predicate.runDetails!.metadata = { finishedOn: '2025-06-01T14:00:00+02:00' };
      s.note = 'x';
    });
    await writeFile(file, bad);
    const r = await runCliInProcess(['lint', file]);
    assert.equal(r.status, 1, explain(r));
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(
      lines.slice(0, -1).map((l) => l.replace(/: .*\(at /, ' (at ')),
      ['warning  STATEMENT_FIELD_UNKNOWN (at note)', 'error    PREDICATE_TYPE_NONCANONICAL (at predicateType)', 'error    TIMESTAMP_NOT_UTC (at predicate.runDetails.metadata.finishedOn)'],
    );
    assert.equal(lines.at(-1), `3 problems (2 errors, 1 warning) in ${file}`);
    assert.equal(r.stderr, '');
  });

  it('exits 0 with warnings only, and --json gives the issues', async (t) => {
    const file = join(await tempDir(t), 'warn.json');
    await writeFile(file, statement((s) => (s.subject = [{ digest: { sha256: 'a'.repeat(64), somecoolhash: 'abcd' } }])));
    const r = await runCliInProcess(['lint', file, '--json']);
    assert.equal(r.status, 0, explain(r));
    const json = JSON.parse(r.stdout) as LintJson;
    assert.deepEqual([json.ok, json.errors, json.warnings], [true, 0, 2]);
    assert.deepEqual(json.issues.map((i) => [i.code, i.severity, i.path]), [
      ['DIGEST_ALGORITHM_UNKNOWN', 'warning', 'subject[0].digest.somecoolhash'],
      ['SUBJECT_NAME_MISSING', 'warning', 'subject[0]'],
    ]);
  });

  it('exits 2 for a file it cannot read as an attestation', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'other.json'), '{"name": "a package.json, say"}');
    for (const [args, code] of [
      [['lint', join(dir, 'missing.json')], 'FILE_UNREADABLE'],
      [['lint', dir], 'FILE_UNREADABLE'],
      [['lint', join(dir, 'other.json')], 'BUNDLE_MALFORMED'],
      [['lint'], 'USAGE'],
    ] as const) {
      const r = await runCliInProcess([...args]);
      assert.equal(r.status, 2, explain(r));
      assert.equal(errorCode(r), code, explain(r));
    }
  });
});

if (!existsSync(join(corpus, 'manifest.json'))) {
  test('real bundles lint without errors', { skip: `no corpus at ${corpus} (CI has it): real producers' bundles were not linted` }, () => {});
} else {
  describe('real bundles lint without errors', () => {
    const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as { cases: { bundle: string; expect: 'pass' | 'fail' }[] };
    // A bundle some upstream test verifies; the same file may also appear in a case rejected by policy.
    const passing = [...new Set(manifest.cases.filter((c) => c.expect === 'pass').map((c) => c.bundle))];
    it('has passing bundles to lint', () => assert.ok(passing.length >= 20, `${passing.length}`));
    for (const bundle of passing) {
      it(bundle, async () => {
        const r = await runCliInProcess(['lint', join(corpus, bundle), '--json']);
        assert.equal(r.status, 0, explain(r));
        const json = JSON.parse(r.stdout) as LintJson;
        assert.deepEqual(json.issues.filter((i) => i.severity === 'error'), []);
        // Only DSSE payloads that are not in-toto statements (a signed text/plain blob) draw a warning.
        assert.deepEqual([...new Set(json.issues.map((i) => i.code))].filter((c) => c !== 'PAYLOAD_TYPE_NONSTANDARD'), []);
      });
    }
  });
}
