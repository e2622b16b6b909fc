/** DSSE (Dead Simple Signing Envelope) v1: https://github.com/secure-systems-lab/dsse/blob/master/protocol.md */

/** The payload type of an in-toto statement inside DSSE. */
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/**
 * Pre-Authentication Encoding: what a DSSE signature is computed over.
 * PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal bytes.
 */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  const head = Buffer.from(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `, 'utf8');
  return Buffer.concat([head, payload]);
}

/** A DSSE envelope as it appears in JSON (payload and signatures base64-encoded). */
export interface DsseEnvelopeJson {
  payloadType: string;
  payload: string;
  signatures: { keyid?: string; sig: string }[];
}
