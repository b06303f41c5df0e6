/**
 * Writes the scenario JSON Schema to scenarios/scenario.schema.json (run after changing src/scenario/schema.ts;
 * tests/scenario/json-schema.test.ts fails while the committed file is stale). Bundled to dist/export-schema.js by
 * scripts/build.mjs; run with `npm run build && node dist/export-schema.js`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinDir } from '../src/scenario/load.js';
import { SCHEMA_FILE, scenarioJsonSchemaText } from '../src/scenario/json-schema.js';

const path = join(builtinDir(), SCHEMA_FILE);
writeFileSync(path, scenarioJsonSchemaText());
console.log(`wrote ${path}`);
