import { isJsonObject } from './lockfile-json.ts';
import { normalizePythonName, requirementName } from './python-names.ts';

/** The project's own dependency names (normalised), by where pyproject.toml declares them. */
export interface PyprojectDependencies {
  /** `[project].dependencies`, `[tool.poetry.dependencies]` (less `python`), poetry group `main`. */
  main: Set<string>;
  /** `[project.optional-dependencies]` (extras). */
  optional: Set<string>;
  /** PEP 735 `[dependency-groups]`, `[tool.uv].dev-dependencies`, poetry dev-dependencies and non-main groups. */
  dev: Set<string>;
}

/**
 * Reads the dependency declarations of a parsed pyproject.toml: PEP 621, PEP 735 and Poetry's
 * own tables. Entries that are not well-formed are skipped: the manifest only refines `direct`
 * and `scope`, the lockfile stays the source of truth.
 */
export function pyprojectDependencies(data: Record<string, unknown>): PyprojectDependencies {
  const out: PyprojectDependencies = { main: new Set(), optional: new Set(), dev: new Set() };
  const project = data['project'];
  if (isJsonObject(project)) {
    addRequirements(out.main, project['dependencies']);
    const extras = project['optional-dependencies'];
    if (isJsonObject(extras)) for (const list of Object.values(extras)) addRequirements(out.optional, list);
  }
  const groups = data['dependency-groups'];
  if (isJsonObject(groups)) for (const list of Object.values(groups)) addRequirements(out.dev, list);
  const tool = isJsonObject(data['tool']) ? data['tool'] : {};
  const uv = tool['uv'];
  if (isJsonObject(uv)) addRequirements(out.dev, uv['dev-dependencies']);
  const poetry = tool['poetry'];
  if (isJsonObject(poetry)) {
    addNames(out.main, poetry['dependencies']);
    addNames(out.dev, poetry['dev-dependencies']);
    const poetryGroups = poetry['group'];
    if (isJsonObject(poetryGroups)) {
      for (const [group, table] of Object.entries(poetryGroups)) {
        if (isJsonObject(table)) addNames(group === 'main' ? out.main : out.dev, table['dependencies']);
      }
    }
  }
  out.main.delete('python');
  out.dev.delete('python');
  return out;
}

function addRequirements(into: Set<string>, list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    // `{ include-group = "…" }` entries name a group, not a package.
    const name = typeof item === 'string' ? requirementName(item) : undefined;
    if (name !== undefined) into.add(name);
  }
}

function addNames(into: Set<string>, table: unknown): void {
  if (!isJsonObject(table)) return;
  for (const key of Object.keys(table)) into.add(normalizePythonName(key));
}
