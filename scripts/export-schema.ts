/**
 * Writes the scenario JSON Schema (with each experiment's settings, src/api.ts) to scenarios/scenario.schema.json (run after changing src/scenario/schema.ts;
 * tests/scenario/json-schema.test.ts fails while the committed file is stale), and the sweep file's to
 * scenarios/sweep.schema.json (src/scenario/sweep/schema.ts; tests/scenario/sweep.test.ts). Bundled to dist/export-schema.js by
 * scripts/build.mjs; run with `npm run build && node dist/export-schema.js`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinDir } from '../src/scenario/load.js';
import { SCHEMA_FILE } from '../src/scenario/json-schema.js';
import { scenarioJsonSchemaText } from '../src/api.js';
import { SWEEP_SCHEMA_FILE, sweepJsonSchemaText } from '../src/scenario/sweep/schema.js';

for (const [file, text] of [[SCHEMA_FILE, scenarioJsonSchemaText()], [SWEEP_SCHEMA_FILE, sweepJsonSchemaText()]]) {
  const path = join(builtinDir(), file);
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
