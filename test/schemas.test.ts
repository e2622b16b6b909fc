import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderSchemas } from '../scripts/schemas.ts';

const dir = join(import.meta.dirname, '..', 'schemas');

test('schemas/ matches the zod sources (run `npm run schemas` after changing a schema)', async () => {
  const expected = renderSchemas();
  const committed = (await readdir(dir)).filter((f) => f.endsWith('.schema.json')).sort();
  assert.deepEqual(committed, Object.keys(expected).sort(), 'the set of schema files differs');
  for (const [file, text] of Object.entries(expected)) {
    assert.equal(await readFile(join(dir, file), 'utf8'), text, `schemas/${file} is stale`);
  }
});
