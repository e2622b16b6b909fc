/**
 * provenant's buildType: what its externalParameters and internalParameters hold is documented in
 * docs/buildtype-ci-v1.md. A change of meaning needs a new version of this URI.
 */
export const PROVENANT_BUILD_TYPE = 'https://provenant.dev/buildtypes/ci/v1';
