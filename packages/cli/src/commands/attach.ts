import { MAX_BUNDLE_BYTES, ProvenantError, parseAttestations } from '@provenant/core';
import { attachBundle, clientFor, parseImageReference, resolveImage } from '@provenant/oci';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { type RegistryFlags, registryOptionsFromFlags } from '../registry-options.ts';
import { readBytes } from '../verify-options.ts';

/** `provenant attach IMAGE --bundle FILE...`: store bundles made elsewhere beside an image. */
export async function run(reference: string, flags: RegistryFlags & { bundle: string[] }, _cmd: unknown, io: Io): Promise<number> {
  // Every bundle is read and checked before anything is pushed: a bad one pushes none.
  const bundles = await Promise.all(flags.bundle.map(readBundle));
  const ref = parseImageReference(reference);
  const client = await clientFor(ref, await registryOptionsFromFlags(flags));
  const { image } = await resolveImage(ref, client);
  if (image.resolvedTag !== undefined) io.stderr(`resolved ${ref.registry}/${ref.repository}:${image.resolvedTag} to ${image.digest}\n`);
  for (const { path, bytes, predicateType } of bundles) {
    const result = await attachBundle({ image: ref, imageDigest: image.digest, bundle: bytes, client, ...(predicateType === undefined ? {} : { predicateType }) });
    io.stderr(result.pushed ? `pushed ${path} (${result.manifestDigest})\n` : `${path} is already stored (${result.manifestDigest}); nothing pushed\n`);
  }
  return EXIT.OK;
}

/** A file holding exactly one Sigstore bundle; its (unverified) predicate type is only an annotation. */
async function readBundle(path: string): Promise<{ path: string; bytes: Buffer; predicateType?: string }> {
  const bytes = await readBytes(path, 'bundle', MAX_BUNDLE_BYTES);
  const loaded = parseAttestations(bytes.toString('utf8'), path);
  const only = loaded[0];
  if (loaded.length !== 1 || only?.kind !== 'bundle') throw new ProvenantError('BUNDLE_MALFORMED', `${path}: a registry stores one Sigstore bundle per artifact, not a bare envelope or JSON Lines`);
  // For the registry annotation only; nothing here is verified.
  const { inspectAttestation } = await import('@provenant/verifier');
  const type = (inspectAttestation(only).statement as { predicateType?: unknown } | undefined)?.predicateType;
  const predicateType = typeof type === 'string' ? type : undefined;
  return { path, bytes, ...(predicateType === undefined ? {} : { predicateType }) };
}
