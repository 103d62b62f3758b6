/**
 * A static file server for browser test pages, on the loopback interface and an ephemeral port.
 * An isolated site sends the two headers that make its pages cross-origin isolated (shared
 * memory, so wasm worker threads); a plain site sends neither.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Asset {
  readonly body: string | Uint8Array;
  readonly type: string;
}

export interface Site {
  /** The site's root, ending in `/`. */
  readonly url: string;
  close(): Promise<void>;
}

const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** Serves `assets` by path (`/index.html`, ...); `/` is `/index.html`; anything else is a 404. */
export async function serveSite(
  assets: ReadonlyMap<string, Asset>,
  options: { readonly isolated: boolean },
): Promise<Site> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const asset = assets.get(path === '/' ? '/index.html' : path);
    const headers = {
      'cache-control': 'no-store',
      ...(options.isolated ? ISOLATION_HEADERS : {}),
    };
    if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': asset.type });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
