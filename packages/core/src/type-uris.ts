// The type URIs provenant reads and writes, apart from the zod schemas that validate them, so that
// code which only compares types (the verification path, batch workers) need not load zod.
export const STATEMENT_V1_TYPE = 'https://in-toto.io/Statement/v1';
export const STATEMENT_V01_TYPE = 'https://in-toto.io/Statement/v0.1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
export const SLSA_VSA_V1 = 'https://slsa.dev/verification_summary/v1';
