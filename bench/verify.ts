import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LoadedAttestation, digestBytes, loadPublicKey, readAttestationFile } from '@provenant/core';
import { createTrust, verifyAttestation } from '@provenant/verifier';
import { bundleFromJSON } from '@sigstore/bundle';
import { PublicKeyDetails, type TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { type Row, opsPerSecond, printTable, timeCommand } from './harness.ts';

interface Ctx {
  root: string;
  work: string;
}

const EMPTY_ROOT: TrustedRoot = { mediaType: 'application/vnd.dev.sigstore.trustedroot.v0.2+json', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] };

/** Cold CLI verification against bare Node start-up; in-process throughput against @sigstore/verify. */
export async function benchVerify({ root, work }: Ctx): Promise<void> {
  const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
  const key = join(work, 'verify');
  const artifact = join(work, 'app.tgz');
  const bundlePath = join(work, 'app.sigstore.json');
  writeFileSync(artifact, 'a small artifact\n');
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: root });
    if (r.status !== 0) throw new Error(`provenant ${args[0]} failed: ${r.stderr}`);
  };
  cli('keygen', '--out', key);
  cli('attest', '--subject', 'app.tgz', '--cwd', work, '--key', `${key}.key`, '--out', bundlePath);

  const runs = 15;
  const bare = timeCommand(process.execPath, ['-e', '0'], runs);
  const cold = timeCommand(process.execPath, [bin, 'verify', artifact, '--bundle', bundlePath, '--key', `${key}.pub`, '--max-age', '1h'], runs);

  // In-process: the same bundle and key through both verifiers; keys and bundles parsed once.
  const pem = (await import('node:fs')).readFileSync(`${key}.pub`, 'utf8');
  const trust = createTrust({ publicKeys: [pem] });
  const [att] = (await readAttestationFile(bundlePath)) as [LoadedAttestation & { kind: 'bundle' }];
  const digests = digestBytes(Buffer.from('a small artifact\n'), ['sha256', 'sha512']);
  const now = new Date();
  const policy = { maxAge: '1h' };
  const check = verifyAttestation(att, digests, trust, policy, now);
  if (!check.ok) throw new Error(`benchmark bundle does not verify: ${JSON.stringify(check.findings)}`);
  const ours = opsPerSecond(() => verifyAttestation(att, digests, trust, policy, now));

  const keyId = trust.publicKeys[0]!.keyId;
  const spki = loadPublicKey(pem).export({ type: 'spki', format: 'der' });
  const sigstore = new Verifier(toTrustMaterial(EMPTY_ROOT, { [keyId]: { rawBytes: spki, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256 } }), {
    tlogThreshold: 0,
    ctlogThreshold: 0,
    timestampThreshold: 0,
  });
  const bundle = bundleFromJSON(JSON.parse((await import('node:fs')).readFileSync(bundlePath, 'utf8')));
  sigstore.verify(toSignedEntity(bundle));
  const theirs = opsPerSecond(() => sigstore.verify(toSignedEntity(bundle)));

  const rows: Row[] = [
    { name: 'cold `provenant verify` (wall)', value: `${cold.toFixed(0)} ms`, baseline: `${bare.toFixed(0)} ms node -e 0`, ratio: `${(cold / bare).toFixed(2)}x time` },
    {
      name: 'in-process verifications/s (P-256, policy incl.)',
      value: `${ours.toFixed(0)}/s`,
      baseline: `${theirs.toFixed(0)}/s @sigstore/verify`,
      ratio: `${(ours / theirs).toFixed(2)}x throughput`,
      target: '>= 0.9x',
    },
  ];
  printTable('verify', rows);
}
