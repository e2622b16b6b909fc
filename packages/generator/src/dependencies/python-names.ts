import { PackageURL } from 'packageurl-js';
import type { ResolvedPackage } from './model.ts';
import { lockfileInvalid } from './lockfile-json.ts';

/** A project name normalised per PEP 503: runs of `-`, `_` and `.` become one `-`, lower case. */
export function normalizePythonName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** `pkg:pypi/<normalised name>@<version>`; the version is left out when unknown. */
export function pypiPurl(name: string, version: string, source: string): string {
  try {
    return new PackageURL('pypi', undefined, normalizePythonName(name), version || undefined).toString();
  } catch (error) {
    throw lockfileInvalid(source, `cannot make a package URL for ${name} ${version}: ${(error as Error).message}`);
  }
}

// PEP 508: a name is letters/digits with `-_.` inside, optionally followed by `[extras]`.
const PEP508_NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?/;

/** The normalised project name at the start of a PEP 508 requirement (`requests[socks]>=2`), or undefined. */
export function requirementName(requirement: string): string | undefined {
  const match = PEP508_NAME.exec(requirement);
  return match ? normalizePythonName(match[1]!) : undefined;
}

/** Sorts by name then version, and each package's edges, in place; returns the list. */
export function sortPythonPackages(packages: ResolvedPackage[]): ResolvedPackage[] {
  for (const p of packages) if (p.dependencies) p.dependencies = [...new Set(p.dependencies)].sort();
  return packages.sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}
