import { describe, expect, it } from 'vitest';
import { example, kiln } from '../cli/kiln.js';

interface RunDoc {
  backend: string;
  outputs: Record<string, { shape: number[]; data: number[] }>;
}

const run = (backend: string): RunDoc => {
  const r = kiln(['run', example('lenet5.kiln'), '--backend', backend, '--random', '3', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as RunDoc;
};

describe('kiln run --backend wasm', () => {
  it('runs LeNet-5 on wasm and matches the cpu backend', () => {
    const wasm = run('wasm');
    const cpu = run('cpu');
    expect(wasm.backend).toBe('wasm');
    const names = Object.keys(cpu.outputs);
    expect(Object.keys(wasm.outputs)).toEqual(names);
    for (const name of names) {
      const want = cpu.outputs[name]!;
      const got = wasm.outputs[name]!;
      expect(got.shape).toEqual(want.shape);
      const scale = Math.max(1, ...want.data.map(Math.abs));
      got.data.forEach((v, i) => expect(Math.abs(v - want.data[i]!) / scale).toBeLessThan(1e-5));
    }
  });
});
