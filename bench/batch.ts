import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { KeySigner, digestBytes, generateKeyPair, loadPrivateKey, loadPublicKey, serializeBundle, signStatementToBundle } from '@provenant/core';
import { type BatchWorkers, createTrust, resolveBatchTargets, startBatchWorkers, verifyBatch } from '@provenant/verifier';
import { bundleFromJSON } from '@sigstore/bundle';
import { PublicKeyDetails, type TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { type Row, median, printTable } from './harness.ts';

interface Ctx {
  work: string;
}

const EMPTY_ROOT: TrustedRoot = { mediaType: 'application/vnd.dev.sigstore.trustedroot.v0.2+json', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] };
const BUILDER_ID = 'https://provenant.dev/builders/github-actions@v1';

/**
 * Batch verification of 1,000 key-signed attestations (BENCH_BATCH_COUNT), each naming one
 * artifact, against a single-threaded loop over @sigstore/verify that is told which bundle belongs
 * to which artifact (no index to build) and checks signature and subject only, no policy.
 * provenant runs `verifyBatch` as a process's first batch does (`verify --batch`: up to a thread
 * per core, as many as the estimated work repays, workers started inside the measurement), as a
 * long-lived process's later batches do (workers from startBatchWorkers, kept between batches), and
 * on one thread. Each statement carries BENCH_BATCH_DEPS resolved dependencies (default 190, as
 * provenant's own build records), since that is what real provenance weighs. Wall time; runs
 * alternate between the four measurements, median of 7 each.
 */
export async function benchBatch({ work }: Ctx): Promise<void> {
  const count = Number(process.env.BENCH_BATCH_COUNT ?? 1000);
  const deps = Number(process.env.BENCH_BATCH_DEPS ?? 190);
  const dir = join(work, 'batch');
  const { pem, keyId } = await writeFixture(dir, count, deps);

  const artifacts = await resolveBatchTargets(join(dir, 'dist'), { cwd: dir });
  const policy = { builder: { ids: [BUILDER_ID] }, source: { uris: ['https://github.com/acme/app'] }, maxAge: '1d' };
  let threads = 0;
  // As `provenant verify --batch` runs without --jobs: up to one thread per core, as many as the work repays.
  const ours = async (n?: number, workers?: BatchWorkers) => {
    const report = await verifyBatch({ artifacts, attestations: join(dir, 'att'), trust: { publicKeys: [pem] }, policy, compileCache: true, ...(n === undefined ? {} : { threads: n }), ...(workers === undefined ? {} : { workers }) });
    if (!report.ok || report.passed !== count) throw new Error(`benchmark batch does not verify: ${JSON.stringify(report.items.find((i) => !i.ok))}`);
    if (n === undefined) threads = report.threads;
  };
  // A long-lived process (a service verifying batch after batch) keeps its workers: started once,
  // each batch sends them its own trust and policy.
  const kept = startBatchWorkers({ compileCache: true });

  const spki = loadPublicKey(pem).export({ type: 'spki', format: 'der' });
  const verifier = new Verifier(toTrustMaterial(EMPTY_ROOT, { [keyId]: { rawBytes: spki, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256 } }), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  const theirs = async () => {
    for (let i = 0; i < count; i++) {
      const bundle = bundleFromJSON(JSON.parse(readFileSync(join(dir, 'att', `a${i}.sigstore.json`), 'utf8')));
      verifier.verify(toSignedEntity(bundle));
      const hex = createHash('sha256').update(readFileSync(join(dir, 'dist', `a${i}.bin`))).digest('hex');
      const envelope = bundle.content.$case === 'dsseEnvelope' ? bundle.content.dsseEnvelope : undefined;
      const statement = JSON.parse(Buffer.from(envelope?.payload ?? []).toString('utf8')) as { subject: { digest: { sha256?: string } }[] };
      if (!statement.subject.some((s) => s.digest.sha256 === hex)) throw new Error(`baseline: subject mismatch for a${i}`);
    }
  };

  // Interleaved, one run of each per round, so that the machine's drift (other tenants, clock
  // changes; the same loop varies ±30% between minutes here) hits all three alike.
  const runs = 7;
  await ours(1);
  await ours();
  await ours(undefined, kept);
  await theirs();
  const times = { single: [] as number[], parallel: [] as number[], kept: [] as number[], baseline: [] as number[] };
  try {
    for (let r = 0; r < runs; r++) {
      times.single.push(await timed(() => ours(1)));
      times.parallel.push(await timed(() => ours()));
      times.kept.push(await timed(() => ours(undefined, kept)));
      times.baseline.push(await timed(theirs));
    }
  } finally {
    await kept.close();
  }
  const single = median(times.single);
  const parallel = median(times.parallel);
  const warm = median(times.kept);
  const baseline = median(times.baseline);
  const rows: Row[] = [
    {
      name: `batch verify ${count} attestations (wall, ${deps} deps each)`,
      value: `${parallel.toFixed(0)} ms, ${threads} of ${availableParallelism()} threads`,
      baseline: `${baseline.toFixed(0)} ms @sigstore/verify loop`,
      ratio: `${(baseline / parallel).toFixed(2)}x faster`,
      target: '>= 1.7x on 2 cores',
    },
    {
      name: '  the same, workers kept from the batch before',
      value: `${warm.toFixed(0)} ms, startBatchWorkers`,
      baseline: `${baseline.toFixed(0)} ms @sigstore/verify loop`,
      ratio: `${(baseline / warm).toFixed(2)}x faster`,
    },
    {
      name: '  the same on one thread (scaling)',
      value: `${single.toFixed(0)} ms, 1 thread`,
      baseline: `${parallel.toFixed(0)} ms, ${threads} thread${threads === 1 ? '' : 's'}`,
      ratio: `${(single / parallel).toFixed(2)}x from threads`,
    },
  ];
  printTable('batch', rows);
}

/** `count` artifacts in dir/dist and one key-signed bundle each in dir/att, shaped like provenant's own provenance. */
async function writeFixture(dir: string, count: number, deps: number): Promise<{ pem: string; keyId: string }> {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  mkdirSync(join(dir, 'att'), { recursive: true });
  const keys = generateKeyPair('ecdsa-p256');
  const signer = new KeySigner(loadPrivateKey(keys.privateKeyPem));
  const dependencies = Array.from({ length: deps }, (_, i) => ({
    uri: `pkg:npm/dep-${i}@1.${i}.0`,
    digest: { sha512: createHash('sha512').update(`dep ${i}`).digest('hex') },
    downloadLocation: `https://registry.npmjs.org/dep-${i}/-/dep-${i}-1.${i}.0.tgz`,
    annotations: { ecosystem: 'npm', scope: 'prod', direct: i < 20, sourceKind: 'registry' },
  }));
  const finishedOn = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.from(`artifact ${i}\n`.repeat(256));
    writeFileSync(join(dir, 'dist', `a${i}.bin`), bytes);
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: `a${i}.bin`, digest: digestBytes(bytes, ['sha256']) }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: {
          buildType: 'https://provenant.dev/buildtypes/ci/v1',
          externalParameters: { source: { repository: 'https://github.com/acme/app', ref: 'refs/heads/main', commit: '0'.repeat(40) } },
          resolvedDependencies: [{ uri: 'git+https://github.com/acme/app@refs/heads/main', digest: { gitCommit: '0'.repeat(40) } }, ...dependencies],
        },
        runDetails: { builder: { id: BUILDER_ID }, metadata: { invocationId: `run-${i}`, finishedOn } },
      },
    };
    writeFileSync(join(dir, 'att', `a${i}.sigstore.json`), serializeBundle(await signStatementToBundle(Buffer.from(JSON.stringify(statement)), signer)));
  }
  return { pem: keys.publicKeyPem, keyId: createTrust({ publicKeys: [keys.publicKeyPem] }).publicKeys[0]!.keyId };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
