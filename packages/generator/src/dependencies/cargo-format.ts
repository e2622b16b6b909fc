import { parse as parseToml } from 'smol-toml';
import { type CargoManifestHints, parseCargoLockfile } from './cargo-lockfile.ts';
import type { LockfileFormat } from './lockfile-format.ts';
import { isJsonObject } from './lockfile-json.ts';

/**
 * Cargo's Cargo.lock. The lockfile itself records which crates the workspace members depend on,
 * so `direct` and the roots need no manifest; Cargo.toml beside it only tells which of the root
 * package's dependencies are dev-dependencies. Without it (or when it does not parse) every crate
 * is `prod`.
 */
export const cargoFormat: LockfileFormat = {
  manager: 'cargo',
  ecosystem: 'cargo',
  fileNames: ['Cargo.lock'],
  async parse({ text, path, readSibling }) {
    const manifest = await readSibling('Cargo.toml');
    const hints = manifest === undefined ? undefined : cargoManifestHints(manifest);
    const { lockfileVersion, packages, roots } = parseCargoLockfile(text, path, hints);
    return { ecosystem: 'cargo', manager: 'cargo', ...(lockfileVersion === undefined ? {} : { lockfileVersion }), packages, roots };
  },
};

const NORMAL_TABLES = ['dependencies', 'build-dependencies'] as const;

/**
 * The root package's name and the crates it lists only as dev-dependencies (in `[dev-dependencies]`
 * or a `[target.<cfg>.dev-dependencies]`), by real crate name (`foo = { package = "bar" }` is bar).
 * Undefined when the manifest is not valid TOML: a broken manifest only means "scope unknown".
 */
export function cargoManifestHints(manifest: string): CargoManifestHints | undefined {
  let data: Record<string, unknown>;
  try {
    data = parseToml(manifest) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const pkg = data['package'];
  const packageName = isJsonObject(pkg) && typeof pkg['name'] === 'string' ? pkg['name'] : undefined;
  const sections: Record<string, unknown>[] = [data];
  const target = data['target'];
  if (isJsonObject(target)) for (const cfg of Object.values(target)) if (isJsonObject(cfg)) sections.push(cfg);
  const normal = new Set<string>();
  const dev = new Set<string>();
  for (const section of sections) {
    for (const table of NORMAL_TABLES) for (const name of crateNames(section[table])) normal.add(name);
    for (const name of crateNames(section['dev-dependencies'])) dev.add(name);
  }
  return { packageName, devOnly: new Set([...dev].filter((name) => !normal.has(name))) };
}

function crateNames(table: unknown): string[] {
  if (!isJsonObject(table)) return [];
  return Object.entries(table).map(([key, spec]) => (isJsonObject(spec) && typeof spec['package'] === 'string' ? spec['package'] : key));
}
