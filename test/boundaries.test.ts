/**
 * The package boundaries of DESIGN.md, checked through the real lint configuration: core imports
 * no other Kiln package, and a backend imports only core.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { root } from './cli/kiln.js';

const eslint = new ESLint({ cwd: root });

async function importErrors(file: string, specifier: string): Promise<string[]> {
  const code = `import { x } from '${specifier}';\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('package boundaries', () => {
  it('core may not import any other Kiln package', async () => {
    for (const other of ['@kiln/dsl', '@kiln/backend-cpu', '@kiln/onnx', '@kiln/cli']) {
      expect(await importErrors('packages/core/src/ir/probe.ts', other), other).toHaveLength(1);
    }
  });
  it('a backend may import core but nothing else of Kiln', async () => {
    expect(await importErrors('packages/backend-cpu/src/probe.ts', '@kiln/core')).toEqual([]);
    expect(await importErrors('packages/backend-cpu/src/probe.ts', '@kiln/dsl')).toHaveLength(1);
  });
  it('apps may import what they use', async () => {
    expect(await importErrors('apps/cli/src/probe.ts', '@kiln/dsl')).toEqual([]);
  });
});
