// The suite's settings, so that `npx vitest run tests/<file>` behaves like `npm test`: the learning and CLI tests
// simulate for tens of seconds, so a test may take up to two minutes (on the 2-core CI machine).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
