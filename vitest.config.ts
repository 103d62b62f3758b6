import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from './tooling/vitest.shared.ts';

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      include: [
        'packages/*/src/**/*.test.ts',
        'packages/*/test/**/*.test.ts',
        'apps/*/src/**/*.test.ts',
        'apps/*/test/**/*.test.ts',
        'test/**/*.test.ts',
      ],
    },
  }),
);
