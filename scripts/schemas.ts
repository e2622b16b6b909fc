import { DsseEnvelopeSchema, ProvenanceV1Schema, ResourceDescriptorSchema, StatementV1Schema, VsaV1Schema } from '@provenant/core';
import { PolicyFileSchema } from '@provenant/verifier';
import { z } from 'zod';

/** The JSON Schemas in schemas/, generated from the zod sources: file name -> schema. */
export function renderSchemas(): Record<string, string> {
  const sources: Record<string, { schema: z.ZodType; title: string }> = {
    'in-toto-statement-v1.schema.json': { schema: StatementV1Schema, title: 'in-toto Statement v1' },
    'in-toto-resource-descriptor-v1.schema.json': { schema: ResourceDescriptorSchema, title: 'in-toto ResourceDescriptor v1' },
    'slsa-provenance-v1.schema.json': { schema: ProvenanceV1Schema, title: 'SLSA Provenance v1 predicate' },
    'slsa-vsa-v1.schema.json': { schema: VsaV1Schema, title: 'SLSA Verification Summary Attestation v1 predicate' },
    'dsse-envelope.schema.json': { schema: DsseEnvelopeSchema, title: 'DSSE envelope' },
    'provenant-policy-v1.schema.json': { schema: PolicyFileSchema, title: 'provenant policy file (apiVersion provenant.dev/v1)' },
  };
  const out: Record<string, string> = {};
  for (const [file, { schema, title }] of Object.entries(sources)) {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
    const withHeader = { $schema: json.$schema, $id: `https://provenant.dev/schemas/${file}`, title, ...json };
    out[file] = `${JSON.stringify(withHeader, null, 2)}\n`;
  }
  return out;
}
