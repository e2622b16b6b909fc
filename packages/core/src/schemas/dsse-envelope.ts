import { z } from 'zod';

/** A DSSE envelope in its JSON form (https://github.com/secure-systems-lab/dsse/blob/master/envelope.md). */
export const DsseEnvelopeSchema = z
  .looseObject({
    payloadType: z.string().min(1),
    payload: z.base64(),
    signatures: z.array(z.looseObject({ keyid: z.string().optional(), sig: z.base64().min(1) })).min(1),
  })
  .meta({ id: 'DsseEnvelope', description: 'DSSE envelope (JSON serialization)' });
