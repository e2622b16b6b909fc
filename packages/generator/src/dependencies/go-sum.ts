import { lockfileInvalid } from './lockfile-json.ts';

/** What go.sum records for one module@version. */
export interface GoSumEntry {
  /** dirHash (hex) of the module's zip, from its `h1:` line; undefined when only go.mod was hashed. */
  zip: string | undefined;
  /** dirHash (hex) of the module's go.mod alone, from its `/go.mod h1:` line. */
  mod: string | undefined;
}

// h1: is base64 of a SHA-256: 43 characters and one '=' of padding.
const H1 = /^h1:([A-Za-z0-9+/]{43}=)$/;

/**
 * Parses go.sum: `<module> <version>[/go.mod] <hash>` per line, keyed `module@version`.
 * Hand-written: a three-field line format. The `h1:` hash (base64 SHA-256 of Go's dirhash) is
 * turned into the in-toto `dirHash` encoding, lowercase hex; hashes of another algorithm (none
 * exist yet) are skipped, as the go command skips them.
 */
export function parseGoSum(text: string, source: string): Map<string, GoSumEntry> {
  const out = new Map<string, GoSumEntry>();
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '') continue;
    const fields = line.split(/\s+/);
    if (fields.length !== 3) throw lockfileInvalid(source, `line ${n + 1}: expected "<module> <version> <hash>", got ${fields.length} fields`);
    const [path, rawVersion, hash] = fields as [string, string, string];
    const isMod = rawVersion.endsWith('/go.mod');
    const version = isMod ? rawVersion.slice(0, -'/go.mod'.length) : rawVersion;
    if (!version.startsWith('v')) throw lockfileInvalid(source, `line ${n + 1}: ${JSON.stringify(rawVersion.slice(0, 80))} is not a module version`);
    if (!hash.startsWith('h1:')) continue;
    const match = H1.exec(hash);
    if (!match) throw lockfileInvalid(source, `line ${n + 1}: malformed h1: hash`);
    const hex = Buffer.from(match[1]!, 'base64').toString('hex');
    const key = `${path}@${version}`;
    const entry = out.get(key) ?? { zip: undefined, mod: undefined };
    if (isMod) entry.mod = hex;
    else entry.zip = hex;
    out.set(key, entry);
  }
  return out;
}
