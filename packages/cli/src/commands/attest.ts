import { ProvenantError, preloadSigning, writeFileAtomic } from '@provenant/core';
import { CYCLONEDX_PREDICATE_TYPE, type ResolvedImageSubjects, buildCycloneDxSbom, generateProvenance, statementForSbom } from '@provenant/generator';
import { type CollectFlags, toGenerateOptions } from '../collect-options.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../output.ts';
import { type RegistryFlags, registryOptionsFromFlags } from '../registry-options.ts';
import { type SbomFlags, writeSbomAttestation } from '../sbom-output.ts';
import { type SignFlags, prepareSigning, signAndWrite } from '../signing.ts';

interface ImageFlags extends RegistryFlags {
  subjectImage?: string[];
  subjectImagePlatforms?: boolean;
  push?: boolean;
}

export async function run(flags: CollectFlags & SignFlags & SbomFlags & ImageFlags & { statementOut?: string }, _cmd: unknown, io: Io): Promise<number> {
  const imageRefs = flags.subjectImage ?? [];
  if (flags.push === true && imageRefs.length === 0) throw new ProvenantError('USAGE', '--push stores the attestation beside an image: give --subject-image');
  if (flags.push === true && flags.format !== 'sigstore') throw new ProvenantError('USAGE', '--push needs --format sigstore: registries hold Sigstore bundles');
  if (flags.subjectImagePlatforms === true && imageRefs.length === 0) throw new ProvenantError('USAGE', '--subject-image-platforms needs --subject-image');
  // Before hashing: a bad key, a missing id-token permission or a bad signing config fails at once.
  const signing = await prepareSigning(flags);
  const images = await resolveImages(imageRefs, flags, io);
  const options = toGenerateOptions(flags, io);
  options.subjects = { ...options.subjects, images: images.flatMap((i) => i.subjects) };
  const { statement, payload, dependencies } = await generateProvenance({
    ...options,
    whileHashing: flags.format === 'sigstore' ? preloadSigning : undefined,
  });
  const { signedBy, written: bundleText } = await signAndWrite(payload, signing, flags);
  if (flags.statementOut) await writeFileAtomic(flags.statementOut, payload);
  io.stderr(`wrote ${flags.out}: ${statement.subject.length} subject(s), signed ${signedBy}\n`);
  // What was written, kept for --push rather than read back from disk.
  const written = [{ path: flags.out, text: bundleText, predicateType: statement.predicateType }];
  if (flags.sbom || flags.sbomOut !== undefined) {
    let sbomText = '';
    const sbom = await writeSbomAttestation({ statement, dependencies }, flags, { buildCycloneDxSbom, statementForSbom }, async (bytes, out) => {
      sbomText = (await signAndWrite(bytes, signing, { ...flags, out })).written;
    });
    io.stderr(`wrote ${sbom.path}: CycloneDX SBOM of ${sbom.components} component(s), signed the same way\n`);
    written.push({ path: sbom.path, text: sbomText, predicateType: CYCLONEDX_PREDICATE_TYPE });
  }
  if (flags.push === true) await pushAll(images, written, io);
  return EXIT.OK;
}

async function resolveImages(refs: readonly string[], flags: ImageFlags, io: Io): Promise<ResolvedImageSubjects[]> {
  if (refs.length === 0) return [];
  const { resolveImageSubjects } = await import('@provenant/generator');
  const images = await resolveImageSubjects(refs, { platforms: flags.subjectImagePlatforms === true, registry: await registryOptionsFromFlags(flags) });
  for (const { image, subjects } of images) {
    const name = `${image.reference.registry}/${image.reference.repository}`;
    // Said once, so that whoever reads the log knows which image the tag meant at this moment.
    if (image.resolvedTag !== undefined) io.stderr(`resolved ${name}:${image.resolvedTag} to ${image.digest}\n`);
    for (const s of subjects) if (s.platform !== undefined) io.stderr(`  platform ${s.platform}: ${s.digest}\n`);
  }
  return images;
}

/** Each written bundle, beside each image subject (index and platform manifests alike). */
async function pushAll(images: readonly ResolvedImageSubjects[], written: readonly { path: string; text: string; predicateType: string }[], io: Io): Promise<void> {
  const { attachBundle } = await import('@provenant/oci');
  for (const { path, text, predicateType } of written) {
    const bundle = Buffer.from(text, 'utf8');
    for (const { image, subjects, client } of images) {
      for (const subject of subjects) {
        const result = await attachBundle({ image: image.reference, imageDigest: subject.digest, bundle, predicateType, client });
        const where = `${subject.name}@${subject.digest}`;
        io.stderr(result.pushed ? `pushed ${path} to ${where} (${result.manifestDigest})\n` : `${path} is already stored for ${where} (${result.manifestDigest}); nothing pushed\n`);
      }
    }
  }
}
