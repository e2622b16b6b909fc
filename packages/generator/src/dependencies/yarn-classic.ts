import { integrityToDigestSet } from '@provenant/core';
import { parse as parseClassic } from '@yarnpkg/lockfile';
import type { ResolvedPackage, SourceKind } from './model.ts';
import { type GraphEdge, type GraphNode, packagesOfGraph } from './npm-lockfile-graph.ts';
import { isJsonObject, jsonType, lockfileInvalid } from './lockfile-json.ts';
import { npmPurl } from './npm-lockfile-resolve.ts';
import { classifySource, isGitUrl, registryTarballUrl } from './npm-lockfile-source.ts';
import { declaredDependencies } from './yarn-manifests.ts';

/**
 * Parses a yarn classic (v1) yarn.lock. Pure: no I/O.
 *
 * The file maps descriptors (`name@range`, several sharing one entry) to what they resolved to,
 * with each entry's dependencies as descriptors: the graph's edges. It records neither the
 * projects' own dependencies nor any dev/optional flag, nor even the workspace members, so
 * `manifests` (the root's package.json and the members' that could be read) supply the roots
 * and their scopes; scopes of the rest follow from the graph. A descriptor that no entry
 * requires and no manifest given declares can only come from a project we could not read (a
 * member behind a workspace glob): it is counted as a direct production dependency rather than
 * dropped.
 *
 * Aliases (`my-ms@npm:ms@2.1.3`) are recorded as the real package. A dependency on a workspace
 * member has no entry (yarn links the member) and makes no edge. Yarn classic installs no peer
 * dependencies and records none.
 *
 * @throws ProvenantError LOCKFILE_INVALID when the file does not parse, has unresolved merge
 * conflicts, or an entry is malformed.
 */
export function parseYarnClassicLockfile(
  text: string,
  source: string,
  manifests: ReadonlyArray<Record<string, unknown>>,
): { packages: ResolvedPackage[]; roots: string[] } {
  const loop = tokenizerTrap(text);
  if (loop !== undefined) throw lockfileInvalid(source, loop);
  let parsed: ReturnType<typeof parseClassic>;
  try {
    parsed = parseClassic(text);
  } catch (error) {
    throw lockfileInvalid(source, `not a valid yarn lockfile (${(error as Error)?.message ?? String(error)})`);
  }
  if (parsed.type === 'conflict') throw lockfileInvalid(source, 'has unresolved merge conflicts');
  const object: unknown = parsed.object;
  if (!isJsonObject(object)) throw lockfileInvalid(source, 'expected a mapping of descriptors');

  // Descriptors that share an entry share its object: one node per object.
  const nodeOf = new Map<string, string>();
  const idOfEntry = new Map<object, string>();
  const nodes = new Map<string, GraphNode>();
  const entries: Array<[string, Record<string, unknown>]> = [];
  for (const [descriptor, entry] of Object.entries(object)) {
    const where = `entry ${JSON.stringify(descriptor)}`;
    if (!isJsonObject(entry)) throw lockfileInvalid(source, `${where} must be a mapping, got ${jsonType(entry)}`);
    let id = idOfEntry.get(entry);
    if (id === undefined) {
      id = descriptor;
      idOfEntry.set(entry, id);
      nodes.set(id, toNode(descriptor, entry, source, where));
      entries.push([id, entry]);
    }
    nodeOf.set(descriptor, id);
  }

  const required = new Set<string>();
  for (const [id, entry] of entries) {
    const edges: GraphEdge[] = [];
    for (const [field, kind] of [['dependencies', 'prod'], ['optionalDependencies', 'optional']] as const) {
      for (const descriptor of descriptorsOf(entry, field, source, `entry ${JSON.stringify(id)}`)) {
        required.add(descriptor);
        const to = nodeOf.get(descriptor);
        if (to !== undefined) edges.push({ to, kind });
      }
    }
    nodes.get(id)!.edges = edges;
  }

  const roots: GraphEdge[] = [];
  const declared = new Set<string>();
  for (const manifest of manifests) {
    for (const { name, range, scope } of declaredDependencies(manifest)) {
      const descriptor = `${name}@${range}`;
      declared.add(descriptor);
      const to = nodeOf.get(descriptor);
      if (to !== undefined) roots.push({ to, kind: scope });
    }
  }
  for (const [descriptor, to] of nodeOf) {
    if (!required.has(descriptor) && !declared.has(descriptor)) roots.push({ to, kind: 'prod' });
  }
  return packagesOfGraph({ nodes, roots });
}

/**
 * @yarnpkg/lockfile's tokenizer never stops on two inputs: a string whose closing quote never
 * comes, and a comment with no newline after it. It reads past the end, appending "undefined"
 * until the string exceeds V8's maximum length (seconds of CPU and gigabytes of memory for a
 * 30-byte file). This walks the token boundaries the way that tokenizer does, in one linear
 * pass, and says what would trap it; undefined when the file is safe to hand over.
 */
export function tokenizerTrap(text: string): string | undefined {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n' || c === '\r') {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else if (c === '#') {
      const end = text.indexOf('\n', i + 1);
      if (end < 0) return `a comment at offset ${i} is not followed by a newline`;
      i = end;
    } else if (c === ' ' || c === ':' || c === ',') {
      i++;
    } else if (c === '"') {
      let k = i + 1;
      for (; k < n; k++) if (text[k] === '"' && !(text[k - 1] === '\\' && text[k - 2] !== '\\')) break;
      if (k >= n) return `the string at offset ${i} is never closed`;
      i = k + 1;
    } else if (c >= '0' && c <= '9') {
      while (i < n && text[i]! >= '0' && text[i]! <= '9') i++;
    } else if (text.startsWith('true', i)) {
      i += 4;
    } else if (text.startsWith('false', i)) {
      i += 5;
    } else if (/[a-zA-Z/-]/.test(c)) {
      while (i < n && !': \n\r,'.includes(text[i]!)) i++;
    } else {
      // Anything else is an invalid token, on which the parser throws: nothing after it is read.
      return undefined;
    }
  }
  return undefined;
}

function toNode(descriptor: string, entry: Record<string, unknown>, source: string, where: string): GraphNode {
  const { name, range } = splitDescriptor(descriptor, source, where);
  const version = entry['version'];
  if (typeof version !== 'string') throw lockfileInvalid(source, `${where}.version must be a string, got ${jsonType(version)}`);
  const resolved = optionalString(entry, 'resolved', source, where);
  const integrity = optionalString(entry, 'integrity', source, where);
  const digest = integrity === undefined ? {} : integrityToDigestSet(integrity);
  const realName = aliasTarget(range) ?? name;

  let sourceKind: SourceKind;
  let downloadLocation: string | undefined;
  if (resolved !== undefined && resolved !== '') {
    sourceKind = classifySource(resolved);
    const hash = resolved.lastIndexOf('#');
    if (sourceKind === 'git' || hash < 0) {
      downloadLocation = resolved;
    } else {
      // Yarn appends the tarball's sha1 as the URL fragment: a digest, not part of the address.
      downloadLocation = resolved.slice(0, hash);
      const sha1 = resolved.slice(hash + 1);
      if (/^[0-9a-f]{40}$/.test(sha1)) digest['sha1'] ??= sha1;
    }
  } else if (range.startsWith('file:') || range.startsWith('link:')) {
    // A local folder: yarn copies (`file:`) or links (`link:`) it and records no resolved.
    sourceKind = range.startsWith('file:') ? 'file' : 'link';
    downloadLocation = range;
  } else {
    sourceKind = isGitUrl(range) ? 'git' : 'registry';
    if (sourceKind === 'registry') downloadLocation = registryTarballUrl(realName, version);
  }
  const node: GraphNode = { name: realName, version, purl: npmPurl(realName, version, descriptor, source), digest, sourceKind, edges: [] };
  if (downloadLocation !== undefined) node.downloadLocation = downloadLocation;
  return node;
}

/** `name@range` -> its parts; the name may be scoped (`@scope/name@range`). */
export function splitDescriptor(descriptor: string, source: string, where: string): { name: string; range: string } {
  const at = descriptor.indexOf('@', 1);
  if (at <= 0) throw lockfileInvalid(source, `${where}: ${JSON.stringify(descriptor.slice(0, 200))} is not name@range`);
  return { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

/** The real package of an npm alias range (`npm:ms@2.1.3`, `npm:@scope/x`), else undefined. */
export function aliasTarget(range: string): string | undefined {
  if (!range.startsWith('npm:')) return undefined;
  const spec = range.slice('npm:'.length);
  const at = spec.indexOf('@', 1);
  const name = at > 0 ? spec.slice(0, at) : spec;
  // `npm:^1.2.3` (berry's way of writing a plain range) names no other package.
  return /^(?:@[^/@\s]+\/)?[^/@\s:^~<>=*|]+$/.test(name) && !/^\d/.test(name) ? name : undefined;
}

function descriptorsOf(entry: Record<string, unknown>, field: string, source: string, where: string): string[] {
  const deps = entry[field];
  if (deps === undefined) return [];
  if (!isJsonObject(deps)) throw lockfileInvalid(source, `${where}.${field} must be a mapping, got ${jsonType(deps)}`);
  return Object.entries(deps).map(([name, range]) => {
    if (typeof range !== 'string') throw lockfileInvalid(source, `${where}.${field}[${JSON.stringify(name)}] must be a string`);
    return `${name}@${range}`;
  });
}

function optionalString(entry: Record<string, unknown>, key: string, source: string, where: string): string | undefined {
  const value = entry[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw lockfileInvalid(source, `${where}.${key} must be a string, got ${jsonType(value)}`);
  return value;
}
