import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { digestFile } from '@provenant/core';
import { type Row, printTable, timeAsync, timeCommand } from './harness.ts';

interface Ctx {
  root: string;
  work: string;
  bigFile: string;
  sizeMiB: number;
}

/** Hashing throughput against openssl (SHA instructions: the hardware limit here) and sha256sum; attest end to end. */
export async function benchHashing({ root, work, bigFile, sizeMiB }: Ctx): Promise<void> {
  const runs = 5;
  const openssl = timeCommand('openssl', ['dgst', '-sha256', bigFile], runs);
  const sha256sum = timeCommand('sha256sum', [bigFile], 3);
  const inProcess = await timeAsync(() => digestFile(bigFile, ['sha256']), runs);
  const both = await timeAsync(() => digestFile(bigFile, ['sha256', 'sha512']), 3);
  const mibps = (ms: number) => `${((sizeMiB / ms) * 1000).toFixed(0)} MiB/s`;

  const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
  const key = join(work, 'bench');
  const keygen = spawnSync(process.execPath, [bin, 'keygen', '--out', key]);
  if (keygen.status !== 0) throw new Error(`keygen failed: ${keygen.stderr}`);
  const attest = timeCommand(process.execPath, [bin, 'attest', '--subject', bigFile.slice(work.length + 1), '--cwd', work, '--no-deps', '--key', `${key}.key`, '--out', join(work, 'big.sigstore.json')], runs, { cwd: work });

  const rows: Row[] = [
    { name: 'sha256 in-process (digestFile)', value: mibps(inProcess), baseline: `${mibps(openssl)} openssl`, ratio: `${(openssl / inProcess).toFixed(2)}x of openssl speed` },
    { name: 'sha256 in-process vs sha256sum', value: mibps(inProcess), baseline: `${mibps(sha256sum)} sha256sum`, ratio: `${(sha256sum / inProcess).toFixed(2)}x faster` },
    { name: 'sha256+sha512 one read', value: mibps(both), baseline: `${mibps(openssl)} openssl sha256`, ratio: `${(both / openssl).toFixed(2)}x time` },
    {
      name: `provenant attest ${sizeMiB} MiB (wall, start-up incl.)`,
      value: `${attest.toFixed(0)} ms`,
      baseline: `${openssl.toFixed(0)} ms openssl`,
      ratio: `${(attest / openssl).toFixed(2)}x time`,
      target: '<= 1.25x',
    },
  ];
  printTable('hashing and attest', rows);
}
