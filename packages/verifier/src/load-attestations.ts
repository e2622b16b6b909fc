/**
 * Attestations as core reads them: Sigstore bundles (v0.1–v0.3, and a later v0.x minor version read
 * as v0.3), bare DSSE envelopes, and JSON Lines of either. Named here for the verifier's callers.
 */
export { readAttestationFile as loadAttestationFile, parseAttestations as parseAttestationText } from '@provenant/core/verification';
