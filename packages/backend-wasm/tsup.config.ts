import { defineConfig } from 'tsup';
import base from '../../tooling/tsup.base.ts';

// Two entries: Node (reads the shipped .wasm) and browser (no Node built-ins).
export default defineConfig({ ...base, entry: ['src/index.ts', 'src/browser.ts'] });
