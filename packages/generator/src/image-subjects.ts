import { type ImageSubject, type RegistryClient, type RegistryOptions, type ResolvedImage, clientFor, imageSubjects, parseImageReference } from '@provenant/oci';

/** One `--subject-image`: the image pinned to a digest and the subjects to record for it. */
export interface ResolvedImageSubjects {
  image: ResolvedImage;
  subjects: ImageSubject[];
  /** The client used, for pushing attestations to the same repository afterwards. */
  client: RegistryClient;
}

/**
 * Resolves image references for attestation: `name@sha256:...` is taken as is; a tag is resolved
 * once to the digest of its manifest (or index) bytes. With `platforms`, an index's platform
 * manifests become subjects too. Credentials come from the Docker config unless given.
 */
export async function resolveImageSubjects(references: readonly string[], options: { platforms?: boolean; registry?: RegistryOptions } = {}): Promise<ResolvedImageSubjects[]> {
  return Promise.all(
    references.map(async (text) => {
      const ref = parseImageReference(text);
      const client = await clientFor(ref, options.registry);
      return { ...(await imageSubjects(ref, client, options.platforms === true)), client };
    }),
  );
}
