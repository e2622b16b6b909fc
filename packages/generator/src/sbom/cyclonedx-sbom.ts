import { createRequire } from 'node:module';
import type * as CycloneDx from '@cyclonedx/cyclonedx-library';
import type { Enums, Models, Serialize } from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import type { DependencyFacts, DependencyScope, ResolvedPackage } from '../dependencies/model.ts';
import type { Subject } from '../subjects.ts';
import { toCycloneDxHashes } from './cyclonedx-hashes.ts';
import { compareCodeUnits, mergePackages } from './merge-packages.ts';
import { contentSerialNumber } from './serial-number.ts';

/** A CycloneDX 1.6 BOM as JSON (the library's normalised shape). */
export type CycloneDxBom = Serialize.JSON.Types.Normalized.Bom;

/** The SBOM, as an object and as its serialisation. */
export interface CycloneDxSbom {
  bom: CycloneDxBom;
  /** Compact JSON; the same facts give the same bytes (lists in a fixed order, no random serial). */
  json: string;
}

/** What the SBOM says about itself. */
export interface SbomMeta {
  /** metadata.timestamp: when the build was recorded (pass the provenance's finishedOn). */
  timestamp: Date;
  /** Version of provenant, recorded as the tool. */
  toolVersion: string;
  /** Name of the root component when there are several subjects (or none); default `build`. */
  name?: string;
}

/** bom-ref of the root component when it stands for several subjects. */
export const BUILD_BOM_REF = 'build';

/** bom-ref of a subject's component. Purls start `pkg:`, so these never collide with a package's. */
export function subjectBomRef(name: string): string {
  return `subject:${name}`;
}

let library: typeof CycloneDx | undefined;

/**
 * @cyclonedx/cyclonedx-library, loaded on first use: only `attest --sbom` builds a BOM, and every
 * other command would otherwise pay for loading it at start-up.
 */
function cyclonedx(): typeof CycloneDx {
  if (library === undefined) library = createRequire(import.meta.url)('@cyclonedx/cyclonedx-library') as typeof CycloneDx;
  return library;
}

// The enum's values (`required`, `optional`, `excluded`), written out for the same reason.
const SCOPES: Record<DependencyScope, Enums.ComponentScope> = {
  prod: 'required' as Enums.ComponentScope,
  optional: 'optional' as Enums.ComponentScope,
  // npm installs peers by default and the package that names a peer needs it at run time; only
  // `--omit=peer` leaves them out, and then the user is expected to provide them.
  peer: 'required' as Enums.ComponentScope,
  dev: 'excluded' as Enums.ComponentScope,
};

/**
 * Builds a CycloneDX 1.6 SBOM of the build's resolved dependencies with @cyclonedx/cyclonedx-library.
 *
 * - `metadata.component` is the subject (type `file`, with its hashes) when there is one; with
 *   several, an `application` named `meta.name` that holds them as nested `file` components.
 * - One `library` component per distinct purl (packages in several lockfiles are merged): bom-ref
 *   and purl are the purl; group/name from the purl's namespace/name; hashes from the DigestSet
 *   (digests CycloneDX has no algorithm for become `provenant:digest:<alg>` properties); scope
 *   prod→required, optional→optional, peer→required, dev→excluded; the download location as an
 *   external reference (`vcs` for git sources, `distribution` otherwise); a non-registry source as
 *   the `provenant:sourceKind` property.
 * - `dependencies`: the root depends on the graph's roots (each lockfile's `roots`, else its direct
 *   packages); each package on its `dependencies` edges. A package whose edges are unknown gets no
 *   entry at all: CycloneDX reads an entry without `dependsOn` as "has no dependencies".
 *
 * Pure: the serial number is derived from the content (see contentSerialNumber).
 */
export function buildCycloneDxSbom(subjects: readonly Subject[], dependencyFacts: readonly DependencyFacts[], meta: SbomMeta): CycloneDxSbom {
  const { Enums: E, Models: M, Serialize: S, Spec: Sp } = cyclonedx();
  const graph = mergePackages(dependencyFacts);
  const components = new Map<string, Models.Component>();
  for (const pkg of graph.packages) components.set(pkg.purl, packageComponent(pkg));

  const root = rootComponent(subjects, meta.name ?? 'build');
  for (const purl of graph.roots ?? []) addEdge(root, components.get(purl));
  for (const pkg of graph.packages) {
    const from = components.get(pkg.purl)!;
    for (const purl of pkg.dependencies ?? []) if (purl !== pkg.purl) addEdge(from, components.get(purl));
  }

  const bom = new M.Bom({
    version: 1,
    metadata: new M.Metadata({
      timestamp: meta.timestamp,
      tools: new M.Tools({ components: new M.ComponentRepository([new M.Component(E.ComponentType.Application, 'provenant', { version: meta.toolVersion })]) }),
      component: root,
    }),
    components: new M.ComponentRepository(components.values()),
  });
  // Repositories keep insertion order and nothing was inserted unsorted, so no `sortLists`: the
  // library sorts with localeCompare, whose order depends on the machine's locale.
  const normalized = new S.JSON.Normalize.Factory(Sp.Spec1dot6).makeForBom().normalize(bom, { sortLists: false });
  const known = new Set(graph.packages.filter((p) => p.dependencies !== undefined).map((p) => p.purl));
  if (graph.roots !== undefined) known.add(root.bomRef.toString());
  normalized.dependencies = (normalized.dependencies ?? []).filter((d) => known.has(d.ref));

  // JSON.parse(JSON.stringify(...)) drops the undefined members the normaliser leaves in.
  const withoutSerial = JSON.parse(JSON.stringify(normalized)) as CycloneDxBom;
  const { $schema, bomFormat, specVersion, version, ...rest } = withoutSerial;
  const finished: CycloneDxBom = { $schema, bomFormat, specVersion, serialNumber: contentSerialNumber(JSON.stringify(withoutSerial)), version, ...rest };
  return { bom: finished, json: JSON.stringify(finished) };
}

function packageComponent(pkg: ResolvedPackage): Models.Component {
  const { Enums: E, Models: M } = cyclonedx();
  const { group, name } = groupAndName(pkg);
  const { hashes, unmapped } = toCycloneDxHashes(pkg.digest);
  const properties = new M.PropertyRepository();
  for (const [alg, value] of unmapped) properties.add(new M.Property(`provenant:digest:${alg}`, value));
  if (pkg.sourceKind !== 'registry') properties.add(new M.Property('provenant:sourceKind', pkg.sourceKind));
  const externalReferences = new M.ExternalReferenceRepository();
  if (pkg.downloadLocation !== undefined) {
    const type = pkg.sourceKind === 'git' ? E.ExternalReferenceType.VCS : E.ExternalReferenceType.Distribution;
    externalReferences.add(new M.ExternalReference(pkg.downloadLocation, type));
  }
  return new M.Component(E.ComponentType.Library, name, {
    bomRef: pkg.purl,
    purl: pkg.purl,
    ...(group === undefined ? {} : { group }),
    ...(pkg.version === '' ? {} : { version: pkg.version }),
    scope: SCOPES[pkg.scope],
    hashes: new M.HashDictionary(hashes),
    externalReferences,
    properties,
  });
}

/** CycloneDX's group is the purl's namespace (`@babel` of `@babel/core`, the path of a Go module). */
function groupAndName(pkg: ResolvedPackage): { group?: string; name: string } {
  try {
    const purl = PackageURL.fromString(pkg.purl);
    return purl.namespace ? { group: purl.namespace, name: purl.name } : { name: purl.name };
  } catch {
    // A purl the parser built but packageurl-js refuses: the recorded name is still right.
    return { name: pkg.name };
  }
}

function rootComponent(subjects: readonly Subject[], name: string): Models.Component {
  const { Enums: E, Models: M } = cyclonedx();
  const files = [...subjects].sort((a, b) => compareCodeUnits(a.name, b.name)).map(subjectComponent);
  if (files.length === 1) return files[0]!;
  return new M.Component(E.ComponentType.Application, name, { bomRef: BUILD_BOM_REF, components: new M.ComponentRepository(files) });
}

function subjectComponent(subject: Subject): Models.Component {
  const { Enums: E, Models: M } = cyclonedx();
  const { hashes } = toCycloneDxHashes(subject.digest);
  return new M.Component(E.ComponentType.File, subject.name, { bomRef: subjectBomRef(subject.name), hashes: new M.HashDictionary(hashes) });
}

function addEdge(from: Models.Component, to: Models.Component | undefined): void {
  // An edge to a purl that is not a component (a parser's dangling reference) cannot be written:
  // CycloneDX requires every dependsOn to name a bom-ref of the BOM.
  if (to !== undefined) from.dependencies.add(to.bomRef);
}
