// Compiles the AssemblyScript kernels (assembly/) to dist/kiln.wasm, which ships in the package.
// Runs after tsup, whose `clean` would otherwise delete it. SIMD128 is on; the memory is imported
// so each session owns one; no runtime, no allocator, no abort import: kernels only read and
// write the buffers the session planned.
import asc from 'assemblyscript/asc';

const args = [
  'assembly/index.ts',
  '--outFile',
  'dist/kiln.wasm',
  '--optimizeLevel',
  '3',
  '--shrinkLevel',
  '0',
  '--runtime',
  'stub',
  '--noAssert',
  '--uncheckedBehavior',
  'always',
  '--enable',
  'simd',
  '--importMemory',
  '--use',
  'abort=',
];
if (process.argv.includes('--text')) args.push('--textFile', 'dist/kiln.wat');

const { error, stderr } = await asc.main(args);
if (error) {
  console.error(stderr.toString());
  console.error(`asc failed: ${error.message}`);
  process.exit(1);
}
