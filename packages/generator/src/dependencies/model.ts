/**
 * The shared shape of resolved dependencies, whatever lockfile they came from. Each lockfile
 * format is one parser module in this folder producing ResolvedPackage[]; the statement and the
 * SBOM are built from these alone.
 */

/** The package ecosystem: also the purl type (`pkg:<ecosystem>/...`). */
export type Ecosystem = 'npm' | 'cargo' | 'golang' | 'pypi' | 'gem' | 'composer';

/** The tool whose lockfile was read. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun' | 'cargo' | 'go' | 'poetry' | 'uv' | 'pipenv' | 'pip' | 'bundler' | 'composer';

/**
 * The tree a package is installed for, strongest first: `prod` is always installed, `optional`
 * survives a production install, `peer` goes only when peers are omitted, `dev` is dropped by a
 * production install. A package reached several ways gets the strongest.
 */
export type DependencyScope = 'prod' | 'dev' | 'optional' | 'peer';

/** Where a package's bytes came from. */
export type SourceKind = 'registry' | 'git' | 'file' | 'link' | 'remote-tarball';

/** One resolved package: one per distinct (ecosystem, name, version) in a lockfile. */
export interface ResolvedPackage {
  ecosystem: Ecosystem;
  /** The real package name (npm `@scope/name`, Go module path, Python normalised name, ...). */
  name: string;
  /** Empty when the lockfile does not record one. */
  version: string;
  /** Package URL of the right type for the ecosystem, built with packageurl-js. */
  purl: string;
  /** In-toto DigestSet: `sha512`/`sha1`/`sha256` hex, or `dirHash` for Go's `h1:`; `{}` when absent. */
  digest: Record<string, string>;
  /** Where the package was downloaded from, when the lockfile says or the registry URL is derivable. */
  downloadLocation?: string;
  scope: DependencyScope;
  /** A direct dependency of the root project or of a workspace member. */
  direct: boolean;
  sourceKind: SourceKind;
  /** Graph edges: purls of the packages this one depends on (resolved), sorted. Absent when unknown. */
  dependencies?: string[];
}

/** The packages of one lockfile. */
export interface DependencyFacts {
  /** Path of the lockfile relative to the collector's cwd, posix separators. */
  lockfile: string;
  ecosystem: Ecosystem;
  manager: PackageManager;
  /** The lockfile's own format version, when it has one. */
  lockfileVersion?: number | string;
  packages: ResolvedPackage[];
  /** Purls of the root project's and workspace members' direct dependencies (graph roots), sorted. */
  roots?: string[];
}

/** The strongest of two scopes (prod > optional > peer > dev). */
export function strongerScope(a: DependencyScope, b: DependencyScope): DependencyScope {
  const rank: Record<DependencyScope, number> = { prod: 0, optional: 1, peer: 2, dev: 3 };
  return rank[a] <= rank[b] ? a : b;
}
