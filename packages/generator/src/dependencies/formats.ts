import type { LockfileFormat } from './lockfile-format.ts';

/**
 * A format whose parser (and the YAML/TOML/yarn parsing libraries behind it) is loaded only when
 * a lockfile of that kind is actually found: `provenant attest` in an npm project never pays for
 * the Cargo or pnpm parsers. formats.test.ts checks each entry against the real format object.
 */
function lazy(manager: LockfileFormat['manager'], ecosystem: LockfileFormat['ecosystem'], fileNames: readonly string[], load: () => Promise<LockfileFormat>): LockfileFormat {
  return { manager, ecosystem, fileNames, parse: async (input) => (await load()).parse(input) };
}

/**
 * Every lockfile format provenant reads. Discovery matches a file by its exact name; when one
 * directory holds several names of one manager, the first listed in `fileNames` wins (npm reads
 * npm-shrinkwrap.json before package-lock.json).
 */
export const LOCKFILE_FORMATS: readonly LockfileFormat[] = [
  lazy('npm', 'npm', ['npm-shrinkwrap.json', 'package-lock.json'], async () => (await import('./npm-format.ts')).npmFormat),
  lazy('pnpm', 'npm', ['pnpm-lock.yaml'], async () => (await import('./pnpm-format.ts')).pnpmFormat),
  lazy('yarn', 'npm', ['yarn.lock'], async () => (await import('./yarn-format.ts')).yarnFormat),
  lazy('bun', 'npm', ['bun.lock'], async () => (await import('./bun-format.ts')).bunFormat),
  lazy('cargo', 'cargo', ['Cargo.lock'], async () => (await import('./cargo-format.ts')).cargoFormat),
  lazy('go', 'golang', ['go.sum'], async () => (await import('./go-format.ts')).goFormat),
  lazy('poetry', 'pypi', ['poetry.lock'], async () => (await import('./poetry-format.ts')).poetryFormat),
  lazy('uv', 'pypi', ['uv.lock'], async () => (await import('./uv-format.ts')).uvFormat),
  lazy('pipenv', 'pypi', ['Pipfile.lock'], async () => (await import('./pipenv-format.ts')).pipenvFormat),
  lazy('pip', 'pypi', ['requirements.txt'], async () => (await import('./requirements-format.ts')).requirementsFormat),
  lazy('bundler', 'gem', ['Gemfile.lock', 'gems.locked'], async () => (await import('./bundler-format.ts')).bundlerFormat),
  lazy('composer', 'composer', ['composer.lock'], async () => (await import('./composer-format.ts')).composerFormat),
];
