import { z } from 'zod';
import { DigestSetSchema, ResourceDescriptorSchema } from './resource-descriptor.ts';
import { STATEMENT_V1_TYPE, STATEMENT_V01_TYPE } from '../type-uris.ts';

export { STATEMENT_V1_TYPE, STATEMENT_V01_TYPE };

/** A subject of a v1 statement: a ResourceDescriptor that must carry a non-empty digest. */
export const SubjectSchema = ResourceDescriptorSchema.refine(
  (rd) => rd.digest !== undefined && Object.keys(rd.digest).length > 0,
  { message: 'a subject needs a non-empty digest' },
);

/** in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md). */
export const StatementV1Schema = z
  .looseObject({
    _type: z.literal(STATEMENT_V1_TYPE),
    subject: z.array(SubjectSchema).min(1),
    predicateType: z.string().min(1),
    predicate: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'StatementV1', description: 'in-toto Statement v1' });

/** in-toto Statement v0.1: read for compatibility, never written. */
export const StatementV01Schema = z.looseObject({
  _type: z.literal(STATEMENT_V01_TYPE),
  subject: z.array(z.looseObject({ name: z.string().optional(), digest: DigestSetSchema })).min(1),
  predicateType: z.string().min(1),
  predicate: z.record(z.string(), z.unknown()).optional(),
});

export type StatementV1 = z.infer<typeof StatementV1Schema>;
export type StatementV01 = z.infer<typeof StatementV01Schema>;
