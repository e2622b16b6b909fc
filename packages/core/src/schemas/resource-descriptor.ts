import { z } from 'zod';

/** in-toto DigestSet: algorithm name -> encoded digest (lowercase hex for the hash algorithms). */
export const DigestSetSchema = z
  .record(z.string().min(1), z.string().min(1))
  .meta({ id: 'DigestSet', description: 'in-toto DigestSet: algorithm -> digest value' });

/**
 * in-toto ResourceDescriptor v1
 * (https://github.com/in-toto/attestation/blob/main/spec/v1/resource_descriptor.md).
 * At least one of uri, digest or content must be set. Unknown fields are kept: consumers must ignore them.
 */
export const ResourceDescriptorSchema = z
  .looseObject({
    uri: z.string().min(1).optional(),
    digest: DigestSetSchema.optional(),
    content: z.base64().optional(),
    name: z.string().min(1).optional(),
    downloadLocation: z.string().min(1).optional(),
    mediaType: z.string().min(1).optional(),
    annotations: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((rd) => rd.uri !== undefined || rd.digest !== undefined || rd.content !== undefined, {
    message: 'a ResourceDescriptor needs at least one of uri, digest or content',
  })
  .meta({ id: 'ResourceDescriptor', description: 'in-toto ResourceDescriptor v1' });

export type ResourceDescriptor = z.infer<typeof ResourceDescriptorSchema>;
