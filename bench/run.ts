// npm run bench: every number is measured in this run against a baseline measured in the same run,
// and printed as a ratio. Nothing here is asserted: benchmarks report, tests decide.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchBatch } from './batch.ts';
import { benchHashing } from './hashing.ts';
import { benchLockfiles } from './lockfiles.ts';
import { benchOci } from './oci.ts';
import { benchRealBundles } from './real-bundles.ts';
import { benchVerify } from './verify.ts';

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'provenant-bench-'));
const sizeMiB = Number(process.env.BENCH_FILE_MIB ?? 1024);

try {
  console.log(`# provenant benchmarks (node ${process.version}, ${sizeMiB} MiB test file, medians)`);
  const bigFile = join(work, 'artifact.bin');
  writeTestFile(bigFile, sizeMiB);
  await benchHashing({ root, work, bigFile, sizeMiB });
  await benchVerify({ root, work });
  await benchRealBundles({ root });
  await benchBatch({ work });
  await benchLockfiles();
  await benchOci({ work });
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** A file of pseudo-random bytes (one random MiB repeated with a counter, so nothing compresses it away). */
function writeTestFile(path: string, mib: number): void {
  const block = Buffer.from(execFileSync(process.execPath, ['-e', 'process.stdout.write(require("node:crypto").randomBytes(1<<20))'], { maxBuffer: 2 << 20 }));
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < mib; i++) {
      block.writeUInt32LE(i, 0);
      writeSync(fd, block);
    }
  } finally {
    closeSync(fd);
  }
}
