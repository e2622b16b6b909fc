import { readFile, stat } from 'node:fs/promises';
import type { Bundle } from '@sigstore/bundle';
import { bundleFromJSON } from '@sigstore/bundle';
import { ProvenantError } from './errors.ts';

/** A DSSE envelope with its payload and signatures decoded to bytes. */
export interface DecodedEnvelope {
  payloadType: string;
  payload: Buffer;
  signatures: { keyid: string; sig: Buffer }[];
}

/** One attestation read from a file: a Sigstore bundle, or a bare DSSE envelope (`.intoto.jsonl`). */
export type LoadedAttestation =
  | { kind: 'bundle'; bundle: Bundle; mediaType: string }
  | { kind: 'envelope'; envelope: DecodedEnvelope };

/**
 * Sigstore bundle media types: v0.1–v0.3 and any later v0.x minor version, which is read as the
 * latest known (v0.3), as sigstore-js does — minor versions stay compatible, and whatever cannot be
 * verified still fails. Another major version (`version=1.0`, `99.9`) is refused.
 */
const BUNDLE_MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.bundle(?:\.v0\.[1-9]\d*)?\+json(?:;version=0\.[1-9]\d*)?$/;

/** A Sigstore bundle media type provenant reads (also an OCI artifact type: registries store bundles under it). */
export function isSigstoreBundleMediaType(mediaType: string): boolean {
  return BUNDLE_MEDIA_TYPE.test(mediaType);
}

/** Bundles larger than this are refused before parsing: real ones are a few kB to a few MB. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

/** Reads a bundle file from disk (size-capped) and parses it with parseAttestations. */
export async function readAttestationFile(path: string): Promise<LoadedAttestation[]> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new ProvenantError('FILE_UNREADABLE', `not a regular file: ${path}`);
    size = st.size;
  } catch (err) {
    if (err instanceof ProvenantError) throw err;
    throw new ProvenantError('FILE_UNREADABLE', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
  }
  if (size > MAX_BUNDLE_BYTES) {
    throw new ProvenantError('FILE_TOO_LARGE', `${path} is ${size} bytes; bundles over ${MAX_BUNDLE_BYTES} bytes are refused`);
  }
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ProvenantError('FILE_UNREADABLE', `cannot read ${path}: ${err.code ?? 'error'}`, { cause: err });
  });
  return parseAttestations(text, path);
}

/**
 * Parses attestation text: one JSON document (a Sigstore bundle v0.1–v0.3 or a DSSE envelope), or
 * JSON Lines holding several (as `.intoto.jsonl` and `gh attestation download` write).
 * Throws BUNDLE_MALFORMED with the line number on anything else.
 */
export function parseAttestations(text: string, source = 'input'): LoadedAttestation[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new ProvenantError('BUNDLE_MALFORMED', `${source} is empty`);
  const whole = tryJson(trimmed);
  if (whole.ok) return [toAttestation(whole.value, source)];
  const out: LoadedAttestation[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = tryJson(line);
    if (!parsed.ok) throw new ProvenantError('BUNDLE_MALFORMED', `${source}:${i + 1}: not JSON (${parsed.error})`);
    out.push(toAttestation(parsed.value, `${source}:${i + 1}`));
  });
  return out;
}

function toAttestation(value: unknown, where: string): LoadedAttestation {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProvenantError('BUNDLE_MALFORMED', `${where}: expected a JSON object`);
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.mediaType === 'string') {
    if (!BUNDLE_MEDIA_TYPE.test(obj.mediaType)) {
      throw new ProvenantError('BUNDLE_MALFORMED', `${where}: unsupported bundle mediaType ${JSON.stringify(obj.mediaType).slice(0, 100)}`);
    }
    try {
      return { kind: 'bundle', bundle: bundleOf(obj), mediaType: obj.mediaType };
    } catch (err) {
      throw new ProvenantError('BUNDLE_MALFORMED', `${where}: invalid Sigstore bundle: ${(err as Error).message}`, { cause: err });
    }
  }
  if ('payloadType' in obj || 'payload' in obj || 'signatures' in obj) {
    return { kind: 'envelope', envelope: decodeEnvelope(obj, where) };
  }
  throw new ProvenantError('BUNDLE_MALFORMED', `${where}: neither a Sigstore bundle (no mediaType) nor a DSSE envelope`);
}

/**
 * bundleFromJSON, with a DSSE payload decoded once: @sigstore/protobuf-specs copies it three times
 * (base64 to Buffer, Uint8Array.from, Buffer again), most of the cost of reading a bundle whose
 * statement lists hundreds of dependencies. The library parses a one-byte stand-in instead (it
 * checks only that the payload is not empty) and gets the same decoded bytes back after.
 */
function bundleOf(obj: Record<string, unknown>): Bundle {
  const envelope = obj.dsseEnvelope;
  const encoded = envelope !== null && typeof envelope === 'object' ? (envelope as { payload?: unknown }).payload : undefined;
  const payload = typeof encoded === 'string' ? Buffer.from(encoded, 'base64') : undefined;
  if (payload === undefined || payload.length === 0) return bundleFromJSON(obj);
  const bundle = bundleFromJSON({ ...obj, dsseEnvelope: { ...(envelope as object), payload: 'AA==' } });
  if (bundle.content.$case === 'dsseEnvelope') bundle.content.dsseEnvelope.payload = payload;
  return bundle;
}

const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** Decodes a DSSE envelope's JSON form; rejects anything that is not exactly base64 text. */
export function decodeEnvelope(obj: Record<string, unknown>, where = 'envelope'): DecodedEnvelope {
  const { payloadType, payload, signatures } = obj;
  if (typeof payloadType !== 'string' || payloadType === '') throw new ProvenantError('BUNDLE_MALFORMED', `${where}: DSSE envelope has no payloadType`);
  if (typeof payload !== 'string' || !BASE64.test(payload)) throw new ProvenantError('BUNDLE_MALFORMED', `${where}: DSSE payload is not base64`);
  if (!Array.isArray(signatures) || signatures.length === 0) throw new ProvenantError('BUNDLE_MALFORMED', `${where}: DSSE envelope has no signatures`);
  return {
    payloadType,
    payload: Buffer.from(payload, 'base64'),
    signatures: signatures.map((s, i) => {
      const sig = (s as Record<string, unknown>)?.sig;
      const keyid = (s as Record<string, unknown>)?.keyid;
      if (typeof sig !== 'string' || sig === '' || !BASE64.test(sig)) throw new ProvenantError('BUNDLE_MALFORMED', `${where}: DSSE signature ${i} is not base64`);
      return { keyid: typeof keyid === 'string' ? keyid : '', sig: Buffer.from(sig, 'base64') };
    }),
  };
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: (err as Error).message.split('\n')[0]! };
  }
}
