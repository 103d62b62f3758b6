import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Every module the file imports, transitively, as written in its import statements. */
function importsOf(file: string, seen = new Set<string>()): Set<string> {
  const specifiers = new Set<string>();
  if (seen.has(file)) return specifiers;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const [, a, b] of text.matchAll(
    /(?:import|export)[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g,
  )) {
    const spec = a ?? b;
    if (!spec) continue;
    specifiers.add(spec);
    if (spec.startsWith('.')) {
      const next = join(dirname(file), spec.replace(/\.js$/, '.ts'));
      for (const s of importsOf(next, seen)) specifiers.add(s);
    }
  }
  return specifiers;
}

describe('the browser entry', () => {
  it('reaches no Node built-in and not Dawn: only its own modules and @kiln/core', () => {
    const specifiers = [...importsOf(join(src, 'browser.ts'))];
    expect(specifiers.length).toBeGreaterThan(20);
    expect(specifiers.filter((s) => !s.startsWith('.') && s !== '@kiln/core')).toEqual([]);
  });

  it('while the Node entry loads Dawn (lazily)', () => {
    expect([...importsOf(join(src, 'index.ts'))]).toContain('webgpu');
  });
});
