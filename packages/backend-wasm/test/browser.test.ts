import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Graph, Tensor } from '@kiln/core';
import { createWasmBackend } from '../src/browser.js';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Every module the file imports, transitively, as written in its import statements. */
function importsOf(file: string, seen = new Set<string>()): Set<string> {
  const specifiers = new Set<string>();
  if (seen.has(file)) return specifiers;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const [, spec] of text.matchAll(
    /(?:import|export)[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g,
  )) {
    if (!spec) continue;
    specifiers.add(spec);
    if (spec.startsWith('.')) {
      const next = join(dirname(file), spec.replace(/\.js$/, '.ts'));
      for (const s of importsOf(next, seen)) specifiers.add(s);
    }
  }
  return specifiers;
}

const graph: Graph = {
  name: 'tiny',
  nodes: [
    { name: 'x', op: 'input', inputs: [], attrs: { shape: ['N', 3], dtype: 'f32' } },
    { name: 'fc', op: 'dense', inputs: ['x'], attrs: { units: 2, bias: true } },
    { name: 'y', op: 'relu', inputs: ['fc'], attrs: {} },
  ],
  outputs: ['y'],
};
const t = (shape: number[], data: number[]): Tensor => ({
  dtype: 'f32',
  shape,
  data: new Float32Array(data),
});

describe('the browser entry', () => {
  it('reaches no Node built-in', () => {
    const specifiers = [...importsOf(join(src, 'browser.ts'))];
    expect(specifiers.length).toBeGreaterThan(5);
    expect(specifiers.filter((s) => !s.startsWith('.') && s !== '@kiln/core')).toEqual([]);
  });

  it('runs a model from the module bytes, on one thread when asked for more', async () => {
    const bytes = readFileSync(resolve(src, '../dist/kiln.wasm'));
    const backend = createWasmBackend({ wasm: bytes, threads: 2 });
    const weights = new Map([
      ['fc.weight', t([2, 3], [1, 0, -1, 2, 1, 0])],
      ['fc.bias', t([2], [0.5, -1])],
    ]);
    const session = await backend.compile(graph, weights);
    const out = await session.run({ x: t([2, 3], [1, 2, 3, -1, 0, 1]) });
    // Row 1: [1 - 3 + 0.5, 2 + 2 - 1] = [-1.5, 3]; row 2: [-1 - 1 + 0.5, -2 - 1] = [-1.5, -3].
    expect([...out['y']!.data]).toEqual([0, 3, 0, 0]);
    expect(session.info.details['threads']).toBe(1);
    expect(session.info.details['threadsNote']).toMatch(
      /running on 1: this platform has no Web Workers/,
    );
  });

  it('fetches the module from a URL (a server on the loopback interface)', async () => {
    const bytes = readFileSync(resolve(src, '../dist/kiln.wasm'));
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/wasm' });
      res.end(bytes);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const backend = createWasmBackend({ wasm: new URL(`http://127.0.0.1:${port}/kiln.wasm`) });
      const weights = new Map([
        ['fc.weight', t([2, 3], [1, 0, -1, 2, 1, 0])],
        ['fc.bias', t([2], [0.5, -1])],
      ]);
      const session = await backend.compile(graph, weights);
      const out = await session.run({ x: t([1, 3], [3, 2, 1]) });
      // [3 - 1 + 0.5, 6 + 2 - 1] = [2.5, 7]
      expect([...out['y']!.data]).toEqual([2.5, 7]);
    } finally {
      server.close();
    }
  });
});
