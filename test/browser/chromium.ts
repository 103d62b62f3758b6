/**
 * Debian's Chromium driven by playwright-core (which downloads no browser of its own). The flags
 * keep it off the network: every host name but 127.0.0.1 fails to resolve, and the background
 * services that would call out (updates, sync, QUIC probes) are off. Playwright makes and removes
 * its own profile. KILN_CHROMIUM names another Chromium binary (default: Debian's).
 */
import { accessSync, constants } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env['KILN_CHROMIUM'] || '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** Why Chromium cannot be started here, or undefined when it can. */
export function chromiumMissing(): string | undefined {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return undefined;
  } catch {
    return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  }
}

export async function launchChromium(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new Error(`browser tests cannot run: ${missing}`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}
