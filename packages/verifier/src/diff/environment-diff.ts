/** One environment value that changed: `node`, `os`, `toolchains.go`, `container.image`, ... */
export interface EnvironmentChange {
  key: string;
  old?: string;
  new?: string;
}

/** The fields compared, in the order they are reported; toolchains follow, by name. */
const FIELDS: readonly (readonly [key: string, path: readonly string[]])[] = [
  ['os', ['os']],
  ['arch', ['arch']],
  ['node', ['node']],
  ['npm', ['npm']],
  ['container.runtime', ['container', 'runtime']],
  ['container.image', ['container', 'image']],
];

/**
 * The build environment of a SLSA v1 statement as provenant records it
 * (`predicate.buildDefinition.internalParameters.environment`, see docs/buildtype-ci-v1.md);
 * undefined for statements that have none. Read from the raw statement: the view does not carry
 * internal parameters, which are informational and build-type specific.
 */
export function environmentOf(statement: unknown): Record<string, unknown> | undefined {
  const env = dig(statement, ['predicate', 'buildDefinition', 'internalParameters', 'environment']);
  return env !== null && typeof env === 'object' && !Array.isArray(env) ? (env as Record<string, unknown>) : undefined;
}

/**
 * What changed between two environments: OS, architecture, node and npm, the container, and each
 * toolchain (gcc, go, rustc, ...). The kernel release and variables are left out: they change
 * between any two hosted runners and say little about the build. A side without an environment
 * makes every value it lacks `undefined`.
 */
export function diffEnvironment(oldEnv: Record<string, unknown> | undefined, newEnv: Record<string, unknown> | undefined): EnvironmentChange[] {
  const changes: EnvironmentChange[] = [];
  const push = (key: string, o: unknown, n: unknown) => {
    const a = typeof o === 'string' ? o : undefined;
    const b = typeof n === 'string' ? n : undefined;
    if (a === b) return;
    const change: EnvironmentChange = { key };
    if (a !== undefined) change.old = a;
    if (b !== undefined) change.new = b;
    changes.push(change);
  };
  for (const [key, path] of FIELDS) push(key, dig(oldEnv, path), dig(newEnv, path));
  const oldTools = toolchains(oldEnv);
  const newTools = toolchains(newEnv);
  for (const name of [...new Set([...Object.keys(oldTools), ...Object.keys(newTools)])].sort()) push(`toolchains.${name}`, oldTools[name], newTools[name]);
  return changes;
}

function toolchains(env: Record<string, unknown> | undefined): Record<string, unknown> {
  const t = env?.['toolchains'];
  return t !== null && typeof t === 'object' && !Array.isArray(t) ? (t as Record<string, unknown>) : {};
}

function dig(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}
