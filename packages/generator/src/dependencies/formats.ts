import { bundlerFormat } from './bundler-format.ts';
import { bunFormat } from './bun-format.ts';
import { cargoFormat } from './cargo-format.ts';
import { composerFormat } from './composer-format.ts';
import { goFormat } from './go-format.ts';
import type { LockfileFormat } from './lockfile-format.ts';
import { npmFormat } from './npm-format.ts';
import { pipenvFormat } from './pipenv-format.ts';
import { pnpmFormat } from './pnpm-format.ts';
import { poetryFormat } from './poetry-format.ts';
import { requirementsFormat } from './requirements-format.ts';
import { uvFormat } from './uv-format.ts';
import { yarnFormat } from './yarn-format.ts';

/**
 * Every lockfile format provenant reads. Discovery matches a file by its exact name; when one
 * directory holds several names of one manager, the first listed in `fileNames` wins (npm reads
 * npm-shrinkwrap.json before package-lock.json).
 */
export const LOCKFILE_FORMATS: readonly LockfileFormat[] = [
  npmFormat,
  pnpmFormat,
  yarnFormat,
  bunFormat,
  cargoFormat,
  goFormat,
  poetryFormat,
  uvFormat,
  pipenvFormat,
  requirementsFormat,
  bundlerFormat,
  composerFormat,
];
