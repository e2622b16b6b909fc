import type { PackageURL } from 'packageurl-js';
import { packageUrl } from '../lazy-modules.ts';

/** A package independent of its version: purl type and full name, normalised for comparison. */
export interface PackageId {
  /** purl type: npm, cargo, golang, pypi, gem, composer, ... */
  type: string;
  /** `namespace/name` (npm `@scope/name`, Go module path, Composer `vendor/name`), normalised. */
  name: string;
  /** The purl's version, when it has one. */
  version?: string;
}

/**
 * Reads a purl into the identity policy and advisories compare on; undefined for anything that is
 * not a purl (the build's git source, a plain URL). Qualifiers and subpath do not take part.
 */
export function packageIdOf(purl: string): PackageId | undefined {
  if (!purl.startsWith('pkg:')) return undefined;
  let parsed: PackageURL;
  try {
    parsed = packageUrl().PackageURL.fromString(purl);
  } catch {
    return undefined;
  }
  const id: PackageId = { type: parsed.type, name: normaliseName(parsed.type, parsed.namespace ? `${parsed.namespace}/${parsed.name}` : parsed.name) };
  if (parsed.version) id.version = parsed.version;
  return id;
}

/**
 * Spellings of one package name made equal where the ecosystem says they are one package: PyPI
 * names per PEP 503 (case-insensitive, runs of `-_.` equal), Composer names case-insensitive.
 * npm, Go, Cargo and RubyGems names are compared as written.
 */
export function normaliseName(type: string, name: string): string {
  if (type === 'pypi') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (type === 'composer') return name.toLowerCase();
  return name;
}

/** The map key of a package identity. */
export function packageKey(type: string, name: string): string {
  return `${type}:${normaliseName(type, name)}`;
}
