import { createHash } from 'node:crypto';
import { INTOTO_PAYLOAD_TYPE, type LoadedAttestation, isSubjectAlgorithm } from '@provenant/core/verification';
import { parsePayloadJson } from '../read-payload.ts';
import { toSignedContent } from '../signed-content.ts';

/**
 * The artifact digests an attestation claims to be about, as `alg:hex` keys: the subjects of an
 * in-toto statement, a message signature's digest, or the digest of a DSSE payload that is not a
 * statement (a signed blob). Read from the unverified payload only to find which artifacts to
 * verify it against: nothing here is trusted, verifyAttestation checks everything again.
 */
export function candidateDigests(att: LoadedAttestation): string[] {
  const extracted = toSignedContent(att);
  if (!('content' in extracted)) return [];
  const content = extracted.content;
  if (content.kind === 'message') {
    const { algorithm, digest } = content.message;
    return algorithm === undefined || digest.length === 0 ? [] : [`${algorithm}:${digest.toString('hex')}`];
  }
  const { payloadType, payload } = content.envelope;
  if (payloadType !== INTOTO_PAYLOAD_TYPE) return [`sha256:${createHash('sha256').update(payload).digest('hex')}`];
  const subjects = subjectArrays(payload) ?? wholeParse(payload);
  const keys = new Set<string>();
  for (const s of subjects.flat()) {
    const digest = (s as { digest?: unknown } | null)?.digest;
    if (digest === null || typeof digest !== 'object') continue;
    for (const [alg, hex] of Object.entries(digest)) {
      if (isSubjectAlgorithm(alg) && typeof hex === 'string') keys.add(`${alg}:${hex.toLowerCase()}`);
    }
  }
  return [...keys];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LETTER_S = 0x73;
/** `"subject"` without its first two bytes: a search that starts with a quote stops at every string of the payload, and is ~5x slower. */
const KEY_TAIL = Buffer.from('ubject"');
const KEY_LENGTH = '"subject"'.length;

/**
 * Every array written as the value of a `"subject"` key, parsed alone: the verifier parses the
 * whole payload again anyway, and a statement's subjects are a few hundred bytes of a payload that
 * may be a hundred kB. Structural characters are ASCII, so the scan works on the UTF-8 bytes. A
 * `"subject"` key nested in the predicate only adds candidates (each verified, and failing, like
 * any other); undefined (parse the whole payload) when no such array is found.
 */
export function subjectArrays(payload: Buffer): unknown[][] | undefined {
  const found: unknown[][] = [];
  for (let tail = payload.indexOf(KEY_TAIL, 2); tail !== -1; tail = payload.indexOf(KEY_TAIL, tail + KEY_TAIL.length)) {
    if (payload[tail - 1] !== LETTER_S || payload[tail - 2] !== QUOTE) continue;
    let i = skipSpace(payload, tail - 2 + KEY_LENGTH);
    if (payload[i] !== 0x3a) continue; // ':'
    i = skipSpace(payload, i + 1);
    if (payload[i] !== 0x5b) continue; // '['
    const end = closingBracket(payload, i);
    if (end === undefined) return undefined;
    try {
      const value: unknown = JSON.parse(payload.subarray(i, end + 1).toString('utf8'));
      if (Array.isArray(value)) found.push(value);
    } catch {
      return undefined;
    }
  }
  return found.length === 0 ? undefined : found;
}

function wholeParse(payload: Buffer): unknown[][] {
  const json = parsePayloadJson(payload);
  const subjects = json.ok ? (json.value as { subject?: unknown } | null)?.subject : undefined;
  return Array.isArray(subjects) ? [subjects] : [];
}

function skipSpace(bytes: Buffer, i: number): number {
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return i;
}

/** The index of the `]` closing the array that opens at `start`, skipping strings; undefined when unbalanced. */
function closingBracket(bytes: Buffer, start: number): number | undefined {
  let depth = 0;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) {
      for (i++; i < bytes.length && bytes[i] !== QUOTE; i++) if (bytes[i] === BACKSLASH) i++;
    } else if (b === 0x5b || b === 0x7b) depth++;
    else if (b === 0x5d || b === 0x7d) {
      depth--;
      if (depth === 0) return b === 0x5d ? i : undefined;
    }
  }
  return undefined;
}
