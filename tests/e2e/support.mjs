// What the end-to-end tests share: the release build in dist/ served on 127.0.0.1, Debian's
// Chromium driven by playwright-core, and a page that records every console and page error.
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

export const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser;
let site;

/** Serves dist/ and launches the browser (a `before` hook). */
export async function start() {
  await mkdir(SHOTS, { recursive: true });
  site = await serve(new URL('../../dist/', import.meta.url).pathname);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Closes the browser and the server (an `after` hook). */
export async function stop() {
  await browser?.close();
  site?.server.close();
}

/**
 * Opens the app at 1280×720 in a fresh browser context (its own storage) and collects every
 * console error and page error. The first-start picker is answered with the built-in cart unless
 * `keepPicker` is set. `url` opens another address than the app's; `prepare(page)` runs before.
 */
export async function openApp({ keepPicker = false, url = site.url, prepare = () => {} } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
  await prepare(page);
  await page.goto(url);
  await page.locator('.brand').waitFor();
  if (!keepPicker) {
    await page.getByRole('button', { name: 'Start with Shopping cart' }).click();
  }
  return { page, errors };
}

/** Fills the command console's OpenCart form for cart-<n>, leaving it to be sent. */
export async function fillOpenCart(page, n) {
  const console = page.getByRole('form', { name: 'Command console' });
  await console.getByLabel('Command', { exact: true }).selectOption('OpenCart');
  await console.getByLabel('Stream id').fill(`cart-${n}`);
  await console.getByLabel('cartId').fill(String(n));
  await console.getByLabel('customerId').fill('c-1');
  return console.getByRole('button', { name: 'Send OpenCart' });
}

/** Sends OpenCart for cart-<n> from the command console. */
export async function openCart(page, n) {
  await (await fillOpenCart(page, n)).click();
}

/** Sends AddItem of `qty` of a product (at 150) to cart-<n> from the command console. */
export async function addItem(page, n, product, qty = 2) {
  const console = page.getByRole('form', { name: 'Command console' });
  await console.getByLabel('Command', { exact: true }).selectOption('AddItem');
  await console.getByLabel('Stream id').fill(`cart-${n}`);
  await console.getByLabel('cartId').fill(String(n));
  await console.getByLabel('productId').fill(product);
  await console.getByLabel('qty').fill(String(qty));
  await console.getByLabel('unitPrice').fill('150');
  await console.getByRole('button', { name: 'Send AddItem' }).click();
  await page.getByRole('status').filter({ hasText: `appended to cart-${n}` }).waitFor();
}

/**
 * The workspace open in `page` as its autosave keeps it in IndexedDB, put together as one
 * scenario document (`{}` before the first save).
 */
export function savedDocument(page) {
  return page.evaluate(
    () =>
      new Promise((done) => {
        const id = localStorage.getItem('eventarium.current');
        const request = indexedDB.open('eventarium', 1);
        request.onerror = () => done({});
        request.onsuccess = () => {
          const db = request.result;
          if (!id || !db.objectStoreNames.contains('heads')) {
            db.close();
            done({});
            return;
          }
          const transaction = db.transaction(['heads', 'chunks']);
          const head = transaction.objectStore('heads').get(id);
          const range = IDBKeyRange.bound([id, 0], [id, Infinity]);
          const chunks = transaction.objectStore('chunks').getAll(range);
          transaction.oncomplete = () => {
            db.close();
            if (!head.result?.scenario) {
              done({});
              return;
            }
            const document = JSON.parse(head.result.scenario);
            document.events = JSON.parse(head.result.store);
            document.events.events = chunks.result.flatMap((text) => JSON.parse(text));
            done(document);
          };
        };
      }),
  );
}

/** Waits until the saved document (see `savedDocument`) passes `holds`; answers it. */
export async function waitForSaved(page, holds, { timeout = 10_000 } = {}) {
  const started = Date.now();
  for (;;) {
    const document = await savedDocument(page);
    if (holds(document)) return document;
    if (Date.now() - started > timeout) throw new Error(`the save never came to hold what was awaited`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The browser the tests drive and the site that serves dist/, for tests that need their own contexts. */
export function launched() {
  return { browser, url: site.url };
}

/** Records, in the page, when the app's shell first shows (ms since navigation start), as `window.__shownAt`. */
export const RECORD_SHOWN = () => {
  new MutationObserver((_, observer) => {
    if (document.querySelector('.app-header')) {
      window.__shownAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};
