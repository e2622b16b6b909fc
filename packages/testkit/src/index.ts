export {
  FULCIO_CERT_LIFETIME_MS,
  SIGNING_CONFIG_MEDIA_TYPE,
  STACK_OPERATOR,
  TRUSTED_ROOT_MEDIA_TYPE,
  type CertificateAuthorityJSON,
  type RequestRecord,
  type ServiceJSON,
  type SigningConfigJSON,
  type SigstoreStack,
  type SigstoreStackOptions,
  type StackConfiguration,
  type TimeRangeJSON,
  type TransparencyLogJSON,
  type TrustedRootJSON,
  startSigstoreStack,
} from './stack.ts';
export { DEFAULT_ISSUER, DEFAULT_SUBJECT, type IdentityClaims, TOKEN_AUDIENCE, TOKEN_LIFETIME_SECONDS } from './oidc.ts';
export { type SignKeylessOptions, signKeyless } from './sign.ts';
export {
  type LocalRegistry,
  REGISTRY_BASIC_REALM,
  REGISTRY_TOKEN_ISSUER,
  REGISTRY_TOKEN_SERVICE,
  type RegistryAuth,
  type RegistryOptions,
  startRegistry,
} from './registry/registry.ts';
export {
  REGISTRY_TOKEN_LIFETIME_SECONDS,
  type RegistryCredentials,
  type RegistryTokenService,
  type TokenRequestRecord,
} from './registry/token-server.ts';
export {
  type Intercept,
  type InterceptDecision,
  type InterceptResponse,
  type ProxiedRequest,
  type ProxyRequestRecord,
  type RegistryProxy,
  type RegistryProxyOptions,
  registryErrorResponse,
  startRegistryProxy,
} from './registry/proxy.ts';
export {
  buildTestImage,
  OCI_CONFIG_MEDIA_TYPE,
  OCI_INDEX_MEDIA_TYPE,
  OCI_LAYER_TAR_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  type TestBlob,
  type TestImage,
  type TestImageOptions,
  type TestManifest,
  type TestPlatform,
} from './registry/test-image.ts';
