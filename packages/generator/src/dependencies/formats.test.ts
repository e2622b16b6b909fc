import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bundlerFormat } from './bundler-format.ts';
import { bunFormat } from './bun-format.ts';
import { cargoFormat } from './cargo-format.ts';
import { composerFormat } from './composer-format.ts';
import { LOCKFILE_FORMATS } from './formats.ts';
import { goFormat } from './go-format.ts';
import { npmFormat } from './npm-format.ts';
import { pipenvFormat } from './pipenv-format.ts';
import { pnpmFormat } from './pnpm-format.ts';
import { poetryFormat } from './poetry-format.ts';
import { requirementsFormat } from './requirements-format.ts';
import { uvFormat } from './uv-format.ts';
import { yarnFormat } from './yarn-format.ts';

test('each lazily loaded format names the same manager, ecosystem and files as the format it loads', () => {
  const real = [npmFormat, pnpmFormat, yarnFormat, bunFormat, cargoFormat, goFormat, poetryFormat, uvFormat, pipenvFormat, requirementsFormat, bundlerFormat, composerFormat];
  assert.deepEqual(
    LOCKFILE_FORMATS.map((f) => [f.manager, f.ecosystem, [...f.fileNames]]),
    real.map((f) => [f.manager, f.ecosystem, [...f.fileNames]]),
  );
});
