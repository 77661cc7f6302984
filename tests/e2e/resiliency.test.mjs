// End-to-end: an async projection crashed between writing its documents and storing its checkpoint
// counts a batch twice when the checkpoint is stored separately; stored with the read model, the
// same crash changes nothing. The release build, in Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp, openCart, addItem } from './support.mjs';

before(start);
after(stop);

/** Sends one of a product to cart-<n> from the workspace's console. */
async function addOne(page, n, product) {
  await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  await addItem(page, n, product, 1);
}

/** The count of a product in ItemsAddedPerProduct, once the projection has caught up. */
async function countOf(page, product) {
  await page.getByRole('button', { name: 'Projections lab' }).click();
  const card = page.getByRole('region', { name: 'Projection ItemsAddedPerProduct' });
  await card.locator('.state', { hasText: 'caught up' }).waitFor();
  if ((await card.getByRole('button', { name: 'Documents' }).getAttribute('aria-pressed')) !== 'true') {
    await card.getByRole('button', { name: 'Documents' }).click();
  }
  const row = page.locator('table.documents tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${product}$`) }) });
  return Number(await row.locator('td').first().textContent());
}

test('journey: a crash between write and checkpoint counts a batch twice, until the checkpoint goes with the read model', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await page.getByRole('status').filter({ hasText: 'appended to cart-1' }).waitFor();
  await addOne(page, 1, 'p-1');
  assert.equal(await countOf(page, 'p-1'), 1);

  const card = page.getByRole('region', { name: 'Projection ItemsAddedPerProduct' });
  await card.getByLabel('Checkpoint of ItemsAddedPerProduct').selectOption('afterBatch');
  await card.getByRole('button', { name: 'Crash between write and checkpoint' }).click();
  await card.getByRole('button', { name: 'Crash armed: next batch' }).waitFor();
  await addOne(page, 1, 'p-1');
  assert.equal(await countOf(page, 'p-1'), 3, 'added twice, counted three times');
  const report = await card.locator('.crash-report').textContent();
  assert.match(report, /restarted at position \d+ \(the checkpoint it had stored\): 1 position read again on documents that already had them/, report);
  await page.screenshot({ path: `${SHOTS}projection-crash-double-count.png` });

  // The fix: the checkpoint in the documents' transaction, and a rebuild for the wrong numbers.
  await card.getByLabel('Checkpoint of ItemsAddedPerProduct').selectOption('withReadModel');
  await card.getByRole('button', { name: 'Rebuild in place' }).click();
  assert.equal(await countOf(page, 'p-1'), 2, 'rebuilt right');
  await card.getByRole('button', { name: 'Crash between write and checkpoint' }).click();
  await addOne(page, 1, 'p-1');
  assert.equal(await countOf(page, 'p-1'), 3, 'the crash changed nothing');
  assert.match(await card.locator('.crash-report').textContent(), /nothing counted twice/);

  await page.reload();
  await page.getByRole('button', { name: 'Projections lab' }).click();
  const reloaded = page.getByRole('region', { name: 'Projection ItemsAddedPerProduct' });
  assert.equal(await reloaded.getByLabel('Checkpoint of ItemsAddedPerProduct').inputValue(), 'withReadModel');
  assert.deepEqual(errors, []);
  await page.close();
});
