import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressReporter } from './collect-options.ts';
import type { Io } from './output.ts';

function io(tty: boolean): Io & { err: string } {
  const out = { err: '', stdout: () => {}, stderrIsTTY: tty, stderr: (s: string) => {
    out.err += s;
  } };
  return out;
}

describe('progress line', () => {
  it('appears on a terminal only after hashing has taken a second, and ends with a newline', () => {
    const term = io(true);
    let now = 0;
    const report = progressReporter(term, () => now)!;
    report(10 * 1048576, 100 * 1048576);
    assert.equal(term.err, '', 'nothing in the first second');
    now = 1500;
    report(50 * 1048576, 100 * 1048576);
    assert.equal(term.err, '\rhashing 50 / 100 MiB (50%)');
    now = 1600;
    report(100 * 1048576, 100 * 1048576);
    assert.match(term.err, /\rhashing 100 \/ 100 MiB \(100%\)\n$/);
  });

  it('is off when stderr is not a terminal (CI logs stay clean)', () => {
    assert.equal(progressReporter(io(false)), undefined);
  });
});
