/**
 * The harness's own guarantees, checked without a browser: a page bundle that reaches a Node
 * built-in fails, naming it; the server isolates a site only when asked and serves nothing else.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundlePage } from './bundle.js';
import { serveSite } from './server.js';

const file = (path: string) => fileURLToPath(new URL(path, import.meta.url));

describe('the page bundle', () => {
  it('fails when the page reaches a Node built-in, naming it and its importer', async () => {
    // The Node entry of the wasm backend reads its module with node:fs.
    const nodeEntry = file('../../packages/backend-wasm/src/index.ts');
    const failure = bundlePage(nodeEntry);
    await expect(failure).rejects.toThrow(/cannot bundle packages\/backend-wasm\/src\/index\.ts/);
    await expect(failure).rejects.toThrow(
      /Node built-in `node:fs\/promises` imported by packages\/backend-wasm\/src\/index\.ts/,
    );
  });

  it('bundles the wasm page from the packages sources', async () => {
    const script = await bundlePage(file('./wasm.page.ts'));
    expect(script).toContain('compareWithCpu');
    expect(script).toContain('kiln-wasm-');
  });
});

describe('the test server', () => {
  const assets = new Map([['/index.html', { body: '<p>hi</p>', type: 'text/html' }]]);

  for (const isolated of [true, false]) {
    it(`sends the isolation headers ${isolated ? 'on an isolated site' : 'on no plain site'}`, async () => {
      const site = await serveSite(assets, { isolated });
      try {
        expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        const page = await fetch(site.url);
        expect(await page.text()).toBe('<p>hi</p>');
        expect(page.headers.get('cross-origin-opener-policy')).toBe(
          isolated ? 'same-origin' : null,
        );
        expect(page.headers.get('cross-origin-embedder-policy')).toBe(
          isolated ? 'require-corp' : null,
        );
        expect((await fetch(new URL('secret.txt', site.url))).status).toBe(404);
      } finally {
        await site.close();
      }
    });
  }
});
