/** ScenarioError, defined at the bottom of the tree (src/errors.ts) and re-exported here for scenario code. */
export { ScenarioError } from '../errors.js';
