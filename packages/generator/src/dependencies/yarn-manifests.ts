import type { DependencyScope } from './model.ts';
import { isJsonObject } from './lockfile-json.ts';

// A package.json's dependency fields, by the scope they give. Peers are left out: yarn installs
// none of its own accord, so a project's peer names nothing that it brought in.
const MANIFEST_FIELDS: ReadonlyArray<[string, DependencyScope]> = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
];

/** Each `name -> range` a manifest declares, with the scope of the field it is in, strongest field first. */
export function declaredDependencies(manifest: Record<string, unknown>): Array<{ name: string; range: string; scope: DependencyScope }> {
  const out: Array<{ name: string; range: string; scope: DependencyScope }> = [];
  for (const [field, scope] of MANIFEST_FIELDS) {
    const deps = manifest[field];
    if (!isJsonObject(deps)) continue;
    for (const [name, range] of Object.entries(deps)) if (typeof range === 'string') out.push({ name, range, scope });
  }
  return out;
}

/** Parses a manifest's text; anything that is not a JSON object is treated as absent. */
export function parseManifest(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A workspace pattern that names one folder rather than a glob, normalised (`./packages/a/` -> `packages/a`). */
export function literalWorkspaceFolder(pattern: string): string | undefined {
  if (/[*?[\]{}!]/.test(pattern)) return undefined;
  const folder = pattern.replace(/^\.\/+/, '').replace(/\/+$/, '');
  // Only folders below the lockfile: a manifest is read through readSibling, never from elsewhere.
  if (folder === '' || folder === '.' || folder.startsWith('/') || folder.split('/').includes('..')) return undefined;
  return folder;
}

/** The workspace patterns of a root manifest (`workspaces: [...]` or `workspaces: { packages: [...] }`). */
export function workspacePatterns(manifest: Record<string, unknown>): string[] {
  const field = manifest['workspaces'];
  const list = isJsonObject(field) ? field['packages'] : field;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
}
