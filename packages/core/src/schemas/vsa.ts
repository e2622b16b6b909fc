import { z } from 'zod';
import { DigestSetSchema } from './resource-descriptor.ts';
import { SLSA_VSA_V1 } from '../type-uris.ts';

export { SLSA_VSA_V1 };

/** SLSA Verification Summary Attestation v1 predicate (https://slsa.dev/spec/v1.0/verification_summary). */
export const VsaV1Schema = z
  .looseObject({
    verifier: z.looseObject({ id: z.string().min(1), version: z.record(z.string(), z.string()).optional() }),
    timeVerified: z.iso.datetime({ offset: true }).optional(),
    resourceUri: z.string().min(1),
    policy: z.looseObject({ uri: z.string().optional(), digest: DigestSetSchema.optional() }),
    inputAttestations: z.array(z.looseObject({ uri: z.string().optional(), digest: DigestSetSchema })).optional(),
    verificationResult: z.enum(['PASSED', 'FAILED']),
    verifiedLevels: z.array(z.string().min(1)),
    dependencyLevels: z.record(z.string(), z.number().int().nonnegative()).optional(),
    slsaVersion: z.string().optional(),
  })
  .meta({ id: 'SlsaVerificationSummaryV1', description: 'SLSA Verification Summary Attestation v1 predicate' });

export type VsaV1 = z.infer<typeof VsaV1Schema>;
