/**
 * Whether a download location lies under a registry base URL: same scheme, same host and port
 * (compared as URLs: case and default ports do not matter), and the registry's path is the
 * location's path or a prefix of it ending at a `/`. So `https://registry.npmjs.org` admits
 * `https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz` but not `https://registry.npmjs.org.evil.com/…`,
 * `http://registry.npmjs.org/…` or `https://registry.npmjs.organic/…`, and
 * `https://npm.pkg.github.com/acme` admits `/acme/…` but not `/acme-evil/…`.
 */
export function isUnderRegistry(location: string, registry: string): boolean {
  let loc: URL;
  let reg: URL;
  try {
    loc = new URL(location);
    reg = new URL(registry);
  } catch {
    return false;
  }
  if (loc.protocol !== reg.protocol || loc.host !== reg.host) return false;
  const base = reg.pathname.endsWith('/') ? reg.pathname : `${reg.pathname}/`;
  return loc.pathname === reg.pathname || loc.pathname.startsWith(base);
}
