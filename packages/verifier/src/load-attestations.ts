import { type LoadedAttestation, ProvenantError, isProvenantError, parseAttestations, readAttestationFile } from '@provenant/core';
import { bundleFromJSON } from '@sigstore/bundle';
import { readFile } from 'node:fs/promises';

/** A later v0.x minor version than the v0.1–v0.3 that core reads. */
const LATER_MINOR = /^application\/vnd\.dev\.sigstore\.bundle(?:\+json;version=0\.(\d+)|\.v0\.(\d+)\+json)$/;

/**
 * Reads attestations as core does (bundle v0.1–v0.3, DSSE envelope, JSON Lines), and also a
 * single bundle of a later v0.x minor version, read as the latest version known (v0.3), as
 * sigstore-js does: minor versions stay compatible, and anything it cannot verify still fails.
 * Another major version (`version=99.9`) stays refused (BUNDLE_MALFORMED).
 */
export async function loadAttestationFile(path: string): Promise<LoadedAttestation[]> {
  try {
    return await readAttestationFile(path);
  } catch (err) {
    // Core read the file (it checks the size first) and refused only the media type.
    if (!isLaterMinorRefusal(err)) throw err;
    return laterMinor(await readFile(path, 'utf8'), path, err);
  }
}

/** parseAttestations, with the same allowance as loadAttestationFile. */
export function parseAttestationText(text: string, source?: string): LoadedAttestation[] {
  try {
    return parseAttestations(text, source);
  } catch (err) {
    if (!isLaterMinorRefusal(err)) throw err;
    return laterMinor(text, source ?? 'input', err);
  }
}

function isLaterMinorRefusal(err: unknown): err is ProvenantError {
  return isProvenantError(err) && err.code === 'BUNDLE_MALFORMED' && /unsupported bundle mediaType "application\/vnd\.dev\.sigstore\.bundle(\+json;version=0\.|\.v0\.)\d+/.test(err.message);
}

function laterMinor(text: string, source: string, refusal: ProvenantError): LoadedAttestation[] {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw refusal;
  }
  const mediaType = typeof json?.mediaType === 'string' ? json.mediaType : '';
  const m = LATER_MINOR.exec(mediaType);
  if (!m || Number(m[1] ?? m[2]) <= 3) throw refusal;
  try {
    return [{ kind: 'bundle', bundle: bundleFromJSON(json), mediaType }];
  } catch (err) {
    throw new ProvenantError('BUNDLE_MALFORMED', `${source}: invalid Sigstore bundle: ${(err as Error).message}`, { cause: err });
  }
}
