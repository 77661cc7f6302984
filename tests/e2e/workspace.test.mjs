// End-to-end journeys through the workspace: send a command and see its event, reload and find
// the work still there. The release build in dist/, driven in Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp, openCart, savedDocument, waitForSaved } from './support.mjs';

before(start);
after(stop);

test('journey 1: the default scenario is loaded; a command appends an event that shows in its stream', async () => {
  const { page, errors } = await openApp();
  assert.match(await page.locator('.status-bar').textContent(), /Scenario: Shopping cart/);
  await openCart(page, 1);
  await page.getByRole('status').filter({ hasText: 'appended to cart-1' }).waitFor();
  const streams = page.getByRole('region', { name: 'Streams' });
  assert.ok(await streams.getByRole('button', { name: /cart-1/ }).isVisible(), 'cart-1 is listed');
  await streams.getByRole('button', { name: /CartOpened/ }).click();
  const inspector = page.getByRole('region', { name: 'Inspector' });
  assert.match(await inspector.textContent(), /"customerId": "c-1"/);
  await page.screenshot({ path: `${SHOTS}workspace-command.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test('journey 4: after a reload everything made so far is still there', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 2);
  await openCart(page, 3);
  await page.getByRole('status').filter({ hasText: 'appended to cart-3' }).waitFor();
  // Autosave is debounced (400 ms): wait until it wrote both carts.
  await waitForSaved(page, (document) => JSON.stringify(document).includes('cart-3'));
  await page.reload();
  await page.locator('.brand').waitFor();
  const streams = page.getByRole('region', { name: 'Streams' });
  for (const id of ['cart-2', 'cart-3']) {
    assert.ok(await streams.getByRole('button', { name: new RegExp(id) }).isVisible(), `${id} survived the reload`);
  }
  assert.match(await page.locator('.status-bar').textContent(), /2 events/);
  await page.screenshot({ path: `${SHOTS}workspace-reloaded.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test('journey 5: importing a broken file lists every problem and keeps the work', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 4);
  await page.getByRole('status').filter({ hasText: 'appended to cart-4' }).waitFor();
  const broken = {
    format: 'eventarium-scenario',
    version: 2,
    name: 'Broken',
    model: {
      eventTypes: [{ name: 'Thing', versions: [{ version: 1, fields: [{ name: 'a', type: 'strng' }] }] }],
      commands: [{ name: 'Do' }],
    },
  };
  await page.getByLabel('Import a scenario file').setInputFiles({
    name: 'broken.eventarium.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(broken)),
  });
  const dialog = page.getByRole('dialog', { name: 'broken.eventarium.json could not be imported' });
  await dialog.waitFor();
  const text = await dialog.textContent();
  assert.match(text, /unknown type "strng"/);
  assert.match(text, /streamType/);
  assert.ok((await dialog.locator('li').count()) >= 2, 'every problem is listed');
  await page.screenshot({ path: `${SHOTS}workspace-import-problems.png` });
  await dialog.getByRole('button', { name: 'Close' }).click();
  const streams = page.getByRole('region', { name: 'Streams' });
  assert.ok(await streams.getByRole('button', { name: /cart-4/ }).isVisible(), 'the work is kept');
  assert.match(await page.locator('.status-bar').textContent(), /Scenario: Shopping cart/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the keyboard help opens with ? and closes with Escape; / focuses the stream filter', async () => {
  const { page, errors } = await openApp();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  assert.match(await help.textContent(), /filter the streams/);
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Filter streams');
  assert.deepEqual(errors, []);
  await page.close();
});

test('text is escaped everywhere: markup in a stream id and a description shows as text', async () => {
  const { page, errors } = await openApp();
  const evil = '<img src=x onerror="window.__owned=1">';
  const console = page.getByRole('form', { name: 'Command console' });
  await console.getByLabel('Command', { exact: true }).selectOption('OpenCart');
  await console.getByLabel('Stream id').fill(`cart-${evil}`);
  await console.getByLabel('cartId').fill(evil);
  await console.getByLabel('customerId').fill('c-1');
  await console.getByRole('button', { name: 'Send OpenCart' }).click();
  await page.getByRole('status').filter({ hasText: 'appended to cart-' }).waitFor();
  const streams = page.getByRole('region', { name: 'Streams' });
  assert.ok(await streams.getByRole('button', { name: `cart-${evil}` }).isVisible(), 'the id is shown as text');
  await page.getByRole('button', { name: 'Edit event type CartOpened' }).click();
  await page.locator('.editor-overlay').getByLabel('Description', { exact: true }).fill(`<b>${evil}</b>`);
  await page.locator('.editor-overlay').getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved event type CartOpened' }).waitFor();
  assert.equal(await page.locator('img[src=x]').count(), 0, 'no element was made from the text');
  assert.equal(await page.evaluate(() => window.__owned), undefined, 'no handler ran');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a full storage quota gives a clear message and offers the export', async () => {
  const { page, errors } = await openApp();
  await page.evaluate(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await openCart(page, 9);
  const notice = page.locator('.notice');
  await notice.waitFor();
  assert.match(
    await notice.textContent(),
    /Workspace "Shopping cart" could not be saved \(the browser's storage is full\)\. Your work is still open here; export it to keep it\./,
  );
  const download = page.waitForEvent('download');
  await notice.getByRole('link', { name: 'Export now' }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /shopping-cart\.eventarium\.json/);
  assert.match(await page.locator('.status-bar').textContent(), /1 event/, 'the work is still there');
  assert.deepEqual(errors, []);
  await page.close();
});
