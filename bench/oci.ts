// Verifying an image with 5 attestations through a local registry (Debian's docker-registry on
// 127.0.0.1, as in the tests): the whole verifyImage against the same 5 bundles verified in memory
// in the same run, and the share of the time spent in registry round trips.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '@provenant/cli';
import { parseAttestations } from '@provenant/core';
import { RegistryClient, clientFor, discoverAttestations, parseImageReference, pushImage, resolveImage } from '@provenant/oci';
import { buildTestImage, startRegistry } from '@provenant/testkit';
import { createTrust, verifyImage, verifyLoaded } from '@provenant/verifier';
import { type Row, printTable, timeAsync } from './harness.ts';

const RUNS = 30;

export async function benchOci({ work }: { work: string }): Promise<void> {
  let registry: Awaited<ReturnType<typeof startRegistry>>;
  try {
    registry = await startRegistry();
  } catch (err) {
    console.log(`\n## Container image verification\nskipped: no local registry (${(err as Error).message.split('\n')[0]}); install Debian's docker-registry`);
    return;
  }
  try {
    process.env.DOCKER_CONFIG = join(work, 'no-docker-config');
    const quiet = { stdout: () => {}, stderr: () => {}, stderrIsTTY: false };
    const digest = await pushImage(new RegistryClient(registry.host, 'bench'), buildTestImage({ seed: 'bench', layers: 3 }), 'v1');
    const key = join(work, 'oci-bench');
    await main(['keygen', '--out', key], quiet);
    const ref = `${registry.host}/bench@${digest}`;
    // 3 provenance + 2 SBOM attestations.
    for (const [i, extra] of [['--sbom'], ['--sbom'], []].entries()) {
      const status = await main(['attest', '--cwd', work, '--no-deps', '--key', `${key}.key`, '--subject-image', ref, '--push', '--out', join(work, `oci-${i}.sigstore.json`), ...extra], quiet);
      if (status !== 0) throw new Error(`attest for the OCI bench exited ${status}`);
    }
    const trust = createTrust({ publicKeys: [await readFile(`${key}.pub`, 'utf8')] });
    const check = await verifyImage({ reference: ref, trust, policy: {} });
    if (!check.ok || check.attestations.length !== 5) throw new Error(`OCI bench setup: expected 5 attestations and PASSED, got ${check.attestations.length}, ${check.ok}`);

    // Baseline: the same five bundles, already in memory, through the same verification.
    const parsed = parseImageReference(ref);
    const client = await clientFor(parsed);
    const texts = (await discoverAttestations(client, digest)).attestations.map((a) => a.text!);
    const inMemory = await timeAsync(async () => {
      const attestations = texts.flatMap((t) => parseAttestations(t));
      verifyLoaded({ attestations, artifact: { sha256: digest.slice(7) }, trust, policy: {} });
    }, RUNS);
    const total = await timeAsync(() => verifyImage({ reference: ref, trust, policy: {} }), RUNS);
    // Registry part alone: resolving and discovering (every GET of index, manifests and blobs).
    let exchanges = 0;
    const registryOnly = await timeAsync(async () => {
      const counted = await clientFor(parsed, { onExchange: () => exchanges++ });
      await resolveImage(parsed, counted);
      await discoverAttestations(counted, digest);
    }, RUNS);
    const perRun = Math.round(exchanges / (RUNS + 1));
    const byTag = await timeAsync(() => verifyImage({ reference: `${registry.host}/bench:v1`, trust, policy: {} }), RUNS);
    const rows: Row[] = [
      { name: 'verifyImage, 5 attestations, by digest', value: `${total.toFixed(1)} ms`, baseline: `${inMemory.toFixed(1)} ms in memory`, ratio: `${(total / inMemory).toFixed(2)}×` },
      { name: 'verifyImage by tag (+1 manifest GET)', value: `${byTag.toFixed(1)} ms`, baseline: `${total.toFixed(1)} ms by digest`, ratio: `${(byTag / total).toFixed(2)}×` },
      { name: `registry round trips (${perRun} HTTP exchanges)`, value: `${registryOnly.toFixed(1)} ms`, baseline: `${total.toFixed(1)} ms total`, ratio: `${((registryOnly / total) * 100).toFixed(0)}% of the time` },
    ];
    printTable(`Container image verification (local distribution registry, median of ${RUNS})`, rows);
  } finally {
    await registry.stop();
  }
}
