// Shared vitest settings. Workspace packages resolve to their TypeScript sources through the
// `source` export condition, so tests run in a fresh clone before anything is built.
import { defineConfig } from 'vitest/config';

export const sharedConfig = defineConfig({
  ssr: {
    resolve: {
      conditions: ['source', 'module', 'node', 'development|production'],
    },
  },
  resolve: {
    conditions: ['source', 'module', 'node', 'development|production'],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
