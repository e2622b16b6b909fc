import type { LocalIssuer } from './local-issuer.ts';

/**
 * A fetch that serves a fixed public issuer (Buildkite's, a CircleCI organization's) from a local
 * issuer on 127.0.0.1, so a profile whose issuer never comes from the environment can be tested
 * offline. Discovery is rewritten to name `issuer`; any other URL is refused, so a test that would
 * reach the network fails instead.
 */
export function fixedIssuerFetch(local: LocalIssuer, issuer: string): typeof globalThis.fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(`${issuer}/`)) throw new TypeError(`offline test: no route to ${url}`);
    const response = await fetch(`${local.issuer}${url.slice(issuer.length)}`, init);
    if (!response.ok || !url.endsWith('/.well-known/openid-configuration')) return response;
    const doc = (await response.json()) as { jwks_uri?: string };
    return Response.json({ ...doc, issuer, jwks_uri: String(doc.jwks_uri).replace(local.issuer, issuer) });
  };
}
