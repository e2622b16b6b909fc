import type { ResourceDescriptor } from '@provenant/core';
import type { ResolvedPackage } from './model.ts';

/**
 * A resolved package as a SLSA resolvedDependencies entry. Keys in a fixed order (uri, digest,
 * name, downloadLocation, annotations; digest algorithms sorted) so serialised provenance is
 * byte-stable; an empty digest and a missing downloadLocation are left out rather than written empty.
 */
export function toResourceDescriptor(pkg: ResolvedPackage): ResourceDescriptor {
  const descriptor: ResourceDescriptor = { uri: pkg.purl };
  const algorithms = Object.keys(pkg.digest).sort();
  if (algorithms.length > 0) descriptor.digest = Object.fromEntries(algorithms.map((alg) => [alg, pkg.digest[alg]!]));
  descriptor.name = pkg.name;
  if (pkg.downloadLocation !== undefined) descriptor.downloadLocation = pkg.downloadLocation;
  descriptor.annotations = { ecosystem: pkg.ecosystem, scope: pkg.scope, direct: pkg.direct, sourceKind: pkg.sourceKind };
  return descriptor;
}
