/** A distribution file of a Python package as a lockfile lists it. */
export interface PythonDistribution {
  /** File name or URL; tells an sdist (`.tar.gz`, `.zip`, …) from a wheel (`.whl`). */
  file: string | undefined;
  /** `<algorithm>:<hex>` as lockfiles write it. */
  hash: string;
}

const HASH = /^(sha256|sha384|sha512):([0-9a-fA-F]+)$/;
const HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const SDIST = /\.(tar\.gz|tar\.bz2|tar\.xz|zip|tgz|tar)$/i;

/** `sha256:<hex>` as an in-toto DigestSet entry; undefined for anything else. */
export function parsePythonHash(hash: string): { algorithm: string; hex: string } | undefined {
  const match = HASH.exec(hash);
  if (!match || match[2]!.length !== HEX_LENGTH[match[1]!]) return undefined;
  return { algorithm: match[1]!, hex: match[2]!.toLowerCase() };
}

/**
 * The digest of a package version that has several distribution files (an sdist and wheels for
 * each platform). A DigestSet holds one value per algorithm, and which wheel gets installed
 * depends on the machine, so:
 *
 * - the sdist's hash when the lockfile says which file is the sdist: it is the one artifact that
 *   stands for the release on every platform;
 * - otherwise the hash when there is exactly one file;
 * - otherwise none (`{}`): several hashes of unnamed files cannot be told apart.
 */
export function pickDistributionDigest(files: readonly PythonDistribution[]): Record<string, string> {
  const sdist = files.find((f) => f.file !== undefined && SDIST.test(f.file.split(/[?#]/)[0]!));
  const chosen = sdist ?? (files.length === 1 ? files[0] : undefined);
  const parsed = chosen === undefined ? undefined : parsePythonHash(chosen.hash);
  return parsed === undefined ? {} : { [parsed.algorithm]: parsed.hex };
}

