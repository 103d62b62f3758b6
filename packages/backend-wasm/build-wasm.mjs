// Compiles the AssemblyScript kernels (assembly/) into the modules that ship in dist/: kiln.wasm
// over an ordinary imported memory, and kiln-mt.wasm over an imported shared memory (threads on)
// for sessions with a worker pool. Runs after tsup, whose `clean` would otherwise delete them.
// SIMD128 is on; no runtime, no allocator, no abort import: kernels only read and write the
// buffers the session planned. It also writes dist/kiln-worker.js, the browser worker's script,
// for pages that may not start workers from blob: URLs (browser-workers.ts).
import { writeFile } from 'node:fs/promises';
import asc from 'assemblyscript/asc';
import { WORKER_SCRIPT } from './dist/browser.js';

const common = [
  'assembly/index.ts',
  '--optimizeLevel',
  '3',
  '--shrinkLevel',
  '0',
  '--runtime',
  'stub',
  '--noAssert',
  '--uncheckedBehavior',
  'always',
  '--importMemory',
  '--use',
  'abort=',
];
const text = process.argv.includes('--text');
const builds = [
  { out: 'dist/kiln.wasm', flags: ['--enable', 'simd'] },
  {
    out: 'dist/kiln-mt.wasm',
    flags: [
      '--enable',
      'simd',
      '--enable',
      'threads',
      '--sharedMemory',
      '--maximumMemory',
      '65536',
    ],
  },
];

for (const { out, flags } of builds) {
  const args = [...common, ...flags, '--outFile', out];
  if (text) args.push('--textFile', out.replace(/\.wasm$/, '.wat'));
  const { error, stderr } = await asc.main(args);
  if (error) {
    console.error(stderr.toString());
    console.error(`asc failed on ${out}: ${error.message}`);
    process.exit(1);
  }
}

await writeFile('dist/kiln-worker.js', WORKER_SCRIPT);
