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
