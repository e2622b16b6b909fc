// Regenerates schemas/*.schema.json from the zod sources. test/schemas.test.ts fails when they drift.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderSchemas } from './schemas.ts';

const dir = join(import.meta.dirname, '..', 'schemas');
for (const [file, text] of Object.entries(renderSchemas())) {
  await writeFile(join(dir, file), text);
  console.log(`wrote schemas/${file}`);
}
