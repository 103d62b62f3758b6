/**
 * Bundles a browser test page's entry with esbuild: ESM for the browser, workspace packages from
 * their TypeScript sources (the `source` condition, as the Node tests use), so a page tests the
 * code in the tree without a JavaScript build. A Node built-in anywhere in the graph fails the
 * bundle, naming the module that imports it: such a page would break in a real browser.
 */
import { isBuiltin } from 'node:module';
import { relative } from 'node:path';
import type { Message, Plugin } from 'esbuild';
import { build } from 'esbuild';

const noNodeBuiltins: Plugin = {
  name: 'no-node-builtins',
  setup(bundler) {
    bundler.onResolve({ filter: /.*/ }, ({ path, importer }) => {
      if (!isBuiltin(path)) return undefined;
      const from = relative(process.cwd(), importer);
      return { errors: [{ text: `Node built-in \`${path}\` imported by ${from}` }] };
    });
  },
};

const where = (m: Message) =>
  m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : '';

/** The page's JavaScript, one ESM file; throws with every problem esbuild found. */
export async function bundlePage(entry: string): Promise<string> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['source'],
      sourcemap: 'inline',
      logLevel: 'silent',
      plugins: [noNodeBuiltins],
    });
    return result.outputFiles[0]!.text;
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (!errors?.length) throw e;
    const list = errors.map((m) => `  ${where(m)}${m.text}`).join('\n');
    throw new Error(`cannot bundle ${relative(process.cwd(), entry)} for the browser:\n${list}`);
  }
}
