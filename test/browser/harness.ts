/**
 * The browser test harness. `describeInBrowser(name, body)` starts one Chromium for the suite;
 * inside `body`, `openPage({ entry, assets, isolated })` declares a page: its entry (a module
 * exporting async functions) is bundled without Node built-ins (bundle.ts), served with the
 * assets from 127.0.0.1 (server.ts) and opened before the first test. `page.call(name, args)`
 * runs one of the entry's exports in the page and returns its result, which must be plain data.
 * After the suite's last test every page, server and the browser are closed, whatever happened.
 * A backend's browser tests are one page entry and one test file (wasm.page.ts, wasm.test.ts).
 *
 * Without Chromium the suite is skipped with a message naming the install command, except in CI
 * (CI=true), where it fails: CI installs Chromium, and a green run must have run these tests.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { bundlePage } from './bundle.js';
import { chromiumMissing, launchChromium } from './chromium.js';
import type { Asset } from './server.js';
import { serveSite } from './server.js';

export interface PageOptions {
  /** The page's module (TypeScript), as a file URL or path. */
  readonly entry: URL | string;
  /** More files to serve, by path (`/kiln.wasm`). */
  readonly assets?: ReadonlyMap<string, Asset>;
  /** Serve with COOP/COEP, so the page is cross-origin isolated (default true). */
  readonly isolated?: boolean;
}

export interface BrowserPage {
  /** Runs the entry's export `fn` with `args` in the page; rejects with its error and the log. */
  call<T>(fn: string, args?: unknown): Promise<T>;
}

/** The longest one page call may take; a hung run fails here instead of at vitest's timeout. */
const CALL_TIMEOUT_MS = 20_000;

const inCi = () => /^(1|true|yes)$/i.test(process.env['CI'] ?? '');

type Cleanup = () => Promise<unknown>;

const PAGE_HTML = `<!doctype html>
<meta charset="utf-8">
<title>kiln browser test</title>
<script type="module">
  import('./page.js').then(
    (entry) => { globalThis.kilnPage = entry; },
    (e) => { globalThis.kilnPageError = String((e && e.stack) || e); },
  );
</script>
`;

interface PageGlobals {
  kilnPage?: Record<string, (args: unknown) => Promise<unknown>>;
  kilnPageError?: string;
}

export function describeInBrowser(
  name: string,
  body: (openPage: (options: PageOptions) => BrowserPage) => void,
): void {
  const missing = chromiumMissing();
  if (missing !== undefined && inCi()) {
    describe(name, () => {
      it('finds Chromium', () => {
        throw new Error(`browser tests cannot run in CI: ${missing}`);
      });
    });
    return;
  }
  if (missing !== undefined) console.warn(`browser tests skipped: ${missing}`);
  (missing ? describe.skip : describe)(missing ? `${name} (skipped: ${missing})` : name, () => {
    const pages: TestPage[] = [];
    const cleanups: Cleanup[] = [];
    body((options) => {
      const page = new TestPage(options);
      pages.push(page);
      return page;
    });
    beforeAll(async () => {
      const browser = await launchChromium();
      cleanups.push(() => browser.close());
      for (const page of pages) await page.open(browser, cleanups);
    });
    afterAll(async () => {
      const failures: string[] = [];
      for (const close of cleanups.reverse()) {
        await close().catch((e: Error) => failures.push(e.message));
      }
      if (failures.length) throw new Error(`closing the browser suite: ${failures.join('; ')}`);
    });
  });
}

class TestPage implements BrowserPage {
  private page: Page | undefined;
  private readonly log: string[] = [];

  constructor(private readonly options: PageOptions) {}

  async open(browser: Browser, cleanups: Cleanup[]): Promise<void> {
    const { entry, isolated = true } = this.options;
    const script = await bundlePage(entry instanceof URL ? fileURLToPath(entry) : entry);
    const assets = new Map<string, Asset>([
      ['/index.html', { body: PAGE_HTML, type: 'text/html; charset=utf-8' }],
      ['/page.js', { body: script, type: 'text/javascript' }],
      ...(this.options.assets ?? []),
    ]);
    const site = await serveSite(assets, { isolated });
    cleanups.push(() => site.close());
    const page = await browser.newPage();
    cleanups.push(() => page.close());
    page.on('pageerror', (e) => this.log.push(`uncaught: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') this.log.push(`${m.type()}: ${m.text()}`);
    });
    await page.goto(site.url);
    const loaded = () => {
      const g = globalThis as unknown as PageGlobals;
      return g.kilnPage !== undefined || g.kilnPageError !== undefined;
    };
    await page.waitForFunction(loaded, undefined, { timeout: CALL_TIMEOUT_MS });
    const failed = await page.evaluate(() => (globalThis as unknown as PageGlobals).kilnPageError);
    if (failed) throw new Error(`the test page failed to load: ${failed}`);
    this.page = page;
  }

  async call<T>(fn: string, args?: unknown): Promise<T> {
    if (!this.page) throw new Error('the test page is not open (see the suite setup error)');
    const logged = this.log.length;
    const inPage = ({ name, value }: { name: string; value: unknown }) => {
      const exported = (globalThis as unknown as PageGlobals).kilnPage![name];
      if (typeof exported !== 'function') throw new Error(`the page exports no function ${name}`);
      return exported(value);
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${fn} did not finish in the page within ${CALL_TIMEOUT_MS} ms`)),
        CALL_TIMEOUT_MS,
      );
    });
    try {
      return (await Promise.race([
        this.page.evaluate(inPage, { name: fn, value: args }),
        timeout,
      ])) as T;
    } catch (e) {
      const log = this.log.slice(logged);
      const tail = log.length ? `\npage log:\n  ${log.join('\n  ')}` : '';
      throw new Error(`${(e as Error).message}${tail}`, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }
}
