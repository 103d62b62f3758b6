import { defineConfig } from 'tsup';
import base from '../../tooling/tsup.base.ts';

// Two entries: Node (Dawn's `webgpu` package) and browser (an injected GPU, no Node built-ins).
export default defineConfig({
  ...base,
  entry: ['src/index.ts', 'src/browser.ts'],
  external: ['webgpu'],
});
