import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GITHUB_ENV } from '../../../generator/src/collectors/testing/ci-env.ts';
import { fakeContext } from '../../../generator/src/testing/fake-context.ts';
import type { Io } from '../output.ts';
import { type DoctorFlags, doctorOptions, runDoctorCommand } from './doctor.ts';

const FLAGS: DoctorFlags = { subject: [], subjectDigest: [], subjectChecksums: [], cwd: '/work/project', lockfile: [] };
const LINE = /^(OK|WARN|FAIL) [a-z-]+: .+$/;

function capture(): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
    stderrIsTTY: false,
  };
  return io;
}

describe('provenant doctor', () => {
  test('no FAIL: exit 0, one line per check on stdout, nothing on stderr', async () => {
    const io = capture();
    const status = await runDoctorCommand({ ...FLAGS, key: 'release.key' }, io, fakeContext({ files: { 'package-lock.json': '{}' } }));
    assert.equal(status, 0, io.out);
    const lines = io.out.trimEnd().split('\n');
    assert.equal(lines.length, 6);
    for (const line of lines) assert.match(line, LINE);
    assert.equal(io.err, '');
  });

  test('any FAIL: exit 1', async () => {
    const env: Record<string, string> = { ...GITHUB_ENV };
    delete env['ACTIONS_ID_TOKEN_REQUEST_URL'];
    const io = capture();
    assert.equal(await runDoctorCommand(FLAGS, io, fakeContext({ env })), 1);
    assert.match(io.out, /^FAIL id-token: .* — add `permissions: id-token: write` to the job$/m);
  });

  test('attest\'s signing flags become the signing intent; a token file is only noted, never read', () => {
    assert.deepEqual(doctorOptions({ ...FLAGS, identityToken: '@/nonexistent/token', signingConfig: 'sc.json', tlog: false }).signing, {
      key: false,
      identityToken: true,
      ownSigstore: true,
      noTlog: true,
    });
    assert.deepEqual(doctorOptions({ ...FLAGS, lockfile: ['a/yarn.lock'], subject: ['dist/'] }).lockfiles, ['a/yarn.lock']);
  });
});
