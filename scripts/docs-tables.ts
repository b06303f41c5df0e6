/**
 * Writes docs/models-table.md: every neuron model, model kind, spike source and synapse rule with its parameters,
 * units and defaults, from their definitions (src/scenario/catalogue.ts, the same as `chronoprop models`). Run after
 * changing a model or rule: `npm run docs:tables`. tests/docs/models-table.test.ts fails while the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { catalogueRegistries } from '../src/registry.js';
import { catalogue, catalogueMarkdown, MODELS_TABLE_FILE } from '../src/scenario/catalogue.js';

writeFileSync(MODELS_TABLE_FILE, catalogueMarkdown(catalogue(catalogueRegistries)));
console.log(`wrote ${MODELS_TABLE_FILE}`);
