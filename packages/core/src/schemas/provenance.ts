import { z } from 'zod';
import { DigestSetSchema, ResourceDescriptorSchema } from './resource-descriptor.ts';
import { SLSA_PROVENANCE_V1, SLSA_PROVENANCE_V02 } from '../type-uris.ts';

export { SLSA_PROVENANCE_V1, SLSA_PROVENANCE_V02 };

const Timestamp = z.iso.datetime({ offset: true });

/** SLSA Provenance v1 predicate (https://slsa.dev/spec/v1.0/provenance). */
export const ProvenanceV1Schema = z
  .looseObject({
    buildDefinition: z.looseObject({
      buildType: z.string().min(1),
      externalParameters: z.record(z.string(), z.unknown()),
      internalParameters: z.record(z.string(), z.unknown()).optional(),
      resolvedDependencies: z.array(ResourceDescriptorSchema).optional(),
    }),
    runDetails: z.looseObject({
      builder: z.looseObject({
        id: z.string().min(1),
        version: z.record(z.string(), z.string()).optional(),
        builderDependencies: z.array(ResourceDescriptorSchema).optional(),
      }),
      metadata: z
        .looseObject({
          invocationId: z.string().optional(),
          startedOn: Timestamp.optional(),
          finishedOn: Timestamp.optional(),
        })
        .optional(),
      byproducts: z.array(ResourceDescriptorSchema).optional(),
    }),
  })
  .meta({ id: 'SlsaProvenanceV1', description: 'SLSA Provenance v1 predicate' });

/** SLSA Provenance v0.2 predicate: read for compatibility, never written. */
export const ProvenanceV02Schema = z
  .looseObject({
    builder: z.looseObject({ id: z.string().min(1) }),
    buildType: z.string().min(1),
    invocation: z
      .looseObject({
        configSource: z
          .looseObject({ uri: z.string().optional(), digest: DigestSetSchema.optional(), entryPoint: z.string().optional() })
          .optional(),
        parameters: z.unknown().optional(),
        environment: z.unknown().optional(),
      })
      .optional(),
    buildConfig: z.unknown().optional(),
    metadata: z
      .looseObject({
        buildInvocationId: z.string().optional(),
        buildStartedOn: Timestamp.optional(),
        buildFinishedOn: Timestamp.optional(),
        completeness: z.looseObject({}).optional(),
        reproducible: z.boolean().optional(),
      })
      .optional(),
    materials: z.array(z.looseObject({ uri: z.string().optional(), digest: DigestSetSchema.optional() })).optional(),
  })
  .meta({ id: 'SlsaProvenanceV02', description: 'SLSA Provenance v0.2 predicate' });

export type ProvenanceV1 = z.infer<typeof ProvenanceV1Schema>;
export type ProvenanceV02 = z.infer<typeof ProvenanceV02Schema>;
