import { PackageURL } from 'packageurl-js';
import type { ResolvedPackage, SourceKind } from './model.ts';
import { lockfileInvalid } from './lockfile-json.ts';

const GIT_COMMIT = /^[0-9a-f]{40}$/;
const SOURCE_SECTIONS = new Set(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE']);

/** One spec (`    name (version[-platform])`) of a source section. */
interface GemSpec {
  name: string;
  version: string;
  platform: string | undefined;
  section: string;
  remote: string | undefined;
  revision: string | undefined;
  deps: string[];
}

/**
 * Parses a Gemfile.lock. Hand-written: Bundler's lockfile is an indentation-based line format
 * (Bundler::LockfileParser) with no maintained JavaScript parser.
 *
 * - Packages are the specs of the GEM, GIT, PATH and PLUGIN SOURCE sections, except a PATH with
 *   `remote: .`: that is the project's own gemspec (`gemspec` in the Gemfile), whose dependencies
 *   are direct. A platform-specific gem (`nokogiri (1.16.0-x86_64-linux)`) is its own package, with
 *   a `platform` purl qualifier: each platform is a different file with its own checksum.
 * - DEPENDENCIES names the Gemfile's direct dependencies. Gemfile.lock does not record groups
 *   (`:development`, `:test`), and the Gemfile is Ruby code that is not evaluated here: every gem
 *   is `prod`.
 * - Edges are the specs' dependency lines; a name resolved on several platforms links to each.
 * - CHECKSUMS (Bundler 2.5+) gives `sha256`; a GIT source's revision gives `gitCommit`.
 */
export function parseGemfileLock(text: string, source: string): { lockfileVersion: string | undefined; packages: ResolvedPackage[]; roots: string[] } {
  const specs: GemSpec[] = [];
  const directNames = new Set<string>();
  const checksums = new Map<string, string>();
  let bundledWith: string | undefined;
  let section = '';
  let remote: string | undefined;
  let revision: string | undefined;
  let current: GemSpec | undefined;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      section = line.trim();
      remote = undefined;
      revision = undefined;
      current = undefined;
      continue;
    }
    const where = () => `line ${n + 1}`;
    if (SOURCE_SECTIONS.has(section)) {
      const option = /^ {2}([a-z_]+): ?(.*)$/.exec(line);
      if (option) {
        if (option[1] === 'remote') remote = option[2];
        if (option[1] === 'revision') revision = option[2];
        continue;
      }
      if (/^ {4}\S/.test(line)) {
        const { name, version } = nameAndVersion(line.trim(), source, where);
        if (version === undefined) throw lockfileInvalid(source, `${where()}: spec ${name} has no version`);
        const dash = version.indexOf('-');
        current = {
          name,
          version: dash < 0 ? version : version.slice(0, dash),
          platform: dash < 0 ? undefined : version.slice(dash + 1),
          section,
          remote,
          revision,
          deps: [],
        };
        specs.push(current);
      } else if (/^ {6}\S/.test(line)) {
        if (!current) throw lockfileInvalid(source, `${where()}: dependency line outside a spec`);
        current.deps.push(nameAndVersion(line.trim(), source, where).name);
      }
      // `  specs:` and anything else at two spaces is structure, not data.
    } else if (section === 'DEPENDENCIES' && /^ {2}\S/.test(line)) {
      directNames.add(nameAndVersion(line.trim().replace(/!$/, ''), source, where).name);
    } else if (section === 'CHECKSUMS' && /^ {2}\S/.test(line)) {
      const match = /^ {2}(\S+ \([^)]+\))(?: (.*))?$/.exec(line);
      if (!match) throw lockfileInvalid(source, `${where()}: malformed checksum line`);
      const sha256 = (match[2] ?? '').split(',').find((c) => c.startsWith('sha256='));
      if (sha256 !== undefined) {
        const hex = sha256.slice('sha256='.length);
        if (!/^[0-9a-f]{64}$/.test(hex)) throw lockfileInvalid(source, `${where()}: malformed sha256 checksum`);
        checksums.set(match[1]!, hex);
      }
    } else if (section === 'BUNDLED WITH') {
      bundledWith = line.trim();
    }
  }

  // The project's own gemspec (PATH with remote `.`) is the root, not a dependency.
  const own = new Set(specs.filter((s) => s.section === 'PATH' && (s.remote === '.' || s.remote === './')));
  for (const spec of own) for (const dep of spec.deps) directNames.add(dep);
  const gems = specs.filter((s) => !own.has(s));
  const byName = new Map<string, GemSpec[]>();
  for (const g of gems) {
    const list = byName.get(g.name);
    if (list) list.push(g);
    else byName.set(g.name, [g]);
  }
  const purls = new Map(gems.map((g) => [g, gemPurl(g, source)]));
  const byPurl = new Map<string, ResolvedPackage>();
  for (const g of gems) {
    const purl = purls.get(g)!;
    if (byPurl.has(purl)) continue; // the same gem listed under two sources: Bundler uses one
    const full = g.platform === undefined ? g.version : `${g.version}-${g.platform}`;
    const checksum = checksums.get(`${g.name} (${full})`);
    byPurl.set(purl, {
      ecosystem: 'gem',
      name: g.name,
      version: g.version,
      purl,
      ...sourceFacts(g, full, checksum),
      scope: 'prod',
      direct: directNames.has(g.name),
      dependencies: [...new Set(g.deps.flatMap((d) => (byName.get(d) ?? []).map((t) => purls.get(t)!)))].sort(),
    });
  }
  const packages = [...byPurl.values()].sort((a, b) =>
    a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.version !== b.version ? (a.version < b.version ? -1 : 1) : a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0,
  );
  const roots = packages.filter((p) => p.direct).map((p) => p.purl);
  return { lockfileVersion: bundledWith, packages, roots };
}

function nameAndVersion(text: string, source: string, where: () => string): { name: string; version: string | undefined } {
  const match = /^([^\s()]+)(?: \(([^)]*)\))?$/.exec(text);
  if (!match) throw lockfileInvalid(source, `${where()}: cannot read ${JSON.stringify(text.slice(0, 80))}`);
  return { name: match[1]!, version: match[2] };
}

function sourceFacts(g: GemSpec, full: string, checksum: string | undefined): { digest: Record<string, string>; downloadLocation?: string; sourceKind: SourceKind } {
  if (g.section === 'GIT') {
    const digest: Record<string, string> = g.revision !== undefined && GIT_COMMIT.test(g.revision) ? { gitCommit: g.revision } : {};
    // Only a URL is a download location; a remote may also be a local clone's path.
    const isUrl = g.remote !== undefined && /^([a-z][a-z0-9+.-]*:\/\/|git@)/i.test(g.remote);
    return { digest, ...(isUrl ? { downloadLocation: `git+${g.remote}${g.revision ? `@${g.revision}` : ''}` } : {}), sourceKind: 'git' };
  }
  if (g.section === 'PATH') return { digest: {}, sourceKind: 'file' };
  const digest: Record<string, string> = checksum === undefined ? {} : { sha256: checksum };
  // RubyGems fetches `<remote>/gems/<name>-<version>[-<platform>].gem` from any gem server.
  if (g.remote === undefined || !/^https?:\/\//.test(g.remote)) return { digest, sourceKind: 'registry' };
  return { digest, downloadLocation: `${g.remote.replace(/\/?$/, '/')}gems/${g.name}-${full}.gem`, sourceKind: 'registry' };
}

/** `pkg:gem/<name>@<version>`, with `platform` for a platform-specific gem. */
function gemPurl(g: GemSpec, source: string): string {
  try {
    return new PackageURL('gem', undefined, g.name, g.version, g.platform === undefined ? undefined : { platform: g.platform }).toString();
  } catch (error) {
    throw lockfileInvalid(source, `cannot make a package URL for ${g.name} ${g.version}: ${(error as Error).message}`);
  }
}
