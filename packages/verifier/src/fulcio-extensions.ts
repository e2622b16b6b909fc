/**
 * The Fulcio certificate extensions an identity can constrain (sigstore/fulcio docs/oid-info.md),
 * named as sigstore-go's certificate summary names them. 1.2–1.6 are GitHub-only and deprecated,
 * written as raw bytes; 1.9 onwards are provider-generic DER UTF8Strings.
 */
export const FULCIO_EXTENSIONS = [
  { name: 'githubWorkflowTrigger', oid: '1.3.6.1.4.1.57264.1.2', encoding: 'raw' },
  { name: 'githubWorkflowSHA', oid: '1.3.6.1.4.1.57264.1.3', encoding: 'raw' },
  { name: 'githubWorkflowName', oid: '1.3.6.1.4.1.57264.1.4', encoding: 'raw' },
  { name: 'githubWorkflowRepository', oid: '1.3.6.1.4.1.57264.1.5', encoding: 'raw' },
  { name: 'githubWorkflowRef', oid: '1.3.6.1.4.1.57264.1.6', encoding: 'raw' },
  { name: 'buildSignerURI', oid: '1.3.6.1.4.1.57264.1.9', encoding: 'der' },
  { name: 'buildSignerDigest', oid: '1.3.6.1.4.1.57264.1.10', encoding: 'der' },
  { name: 'runnerEnvironment', oid: '1.3.6.1.4.1.57264.1.11', encoding: 'der' },
  { name: 'sourceRepositoryURI', oid: '1.3.6.1.4.1.57264.1.12', encoding: 'der' },
  { name: 'sourceRepositoryDigest', oid: '1.3.6.1.4.1.57264.1.13', encoding: 'der' },
  { name: 'sourceRepositoryRef', oid: '1.3.6.1.4.1.57264.1.14', encoding: 'der' },
  { name: 'sourceRepositoryIdentifier', oid: '1.3.6.1.4.1.57264.1.15', encoding: 'der' },
  { name: 'sourceRepositoryOwnerURI', oid: '1.3.6.1.4.1.57264.1.16', encoding: 'der' },
  { name: 'sourceRepositoryOwnerIdentifier', oid: '1.3.6.1.4.1.57264.1.17', encoding: 'der' },
  { name: 'buildConfigURI', oid: '1.3.6.1.4.1.57264.1.18', encoding: 'der' },
  { name: 'buildConfigDigest', oid: '1.3.6.1.4.1.57264.1.19', encoding: 'der' },
  { name: 'buildTrigger', oid: '1.3.6.1.4.1.57264.1.20', encoding: 'der' },
  { name: 'runInvocationURI', oid: '1.3.6.1.4.1.57264.1.21', encoding: 'der' },
  { name: 'sourceRepositoryVisibilityAtSigning', oid: '1.3.6.1.4.1.57264.1.22', encoding: 'der' },
  { name: 'deploymentEnvironment', oid: '1.3.6.1.4.1.57264.1.23', encoding: 'der' },
] as const;

/** The name of a Fulcio extension, e.g. `sourceRepositoryURI`. */
export type FulcioExtensionName = (typeof FULCIO_EXTENSIONS)[number]['name'];

/** Values of Fulcio extensions by name. */
export type FulcioExtensions = Partial<Record<FulcioExtensionName, string>>;

/** The OIDC issuer: 1.8 (DER UTF8String), or the deprecated raw 1.1 on older certificates. */
export const ISSUER_OID_V2 = '1.3.6.1.4.1.57264.1.8';
export const ISSUER_OID_V1 = '1.3.6.1.4.1.57264.1.1';
/** A username SAN (GeneralName otherName), used by Fulcio for some identity providers. */
export const OTHERNAME_SAN_OID = '1.3.6.1.4.1.57264.1.7';

const NAMES: ReadonlySet<string> = new Set(FULCIO_EXTENSIONS.map((e) => e.name));

/** True for the name of a Fulcio extension an identity can constrain. */
export function isFulcioExtensionName(name: string): name is FulcioExtensionName {
  return NAMES.has(name);
}
