// End-to-end journey of a copy-and-transform migration: the cart's streams copied into cart_v2
// at their current versions, compared with the originals, switched (a command to an old id goes
// to the new stream), the old streams archived, and a reload that keeps where it stands. The
// release build, in Debian's Chromium, at 1280×720 and 1024×768.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp, openCart, addItem } from './support.mjs';

before(start);
after(stop);

test('journey: copy the carts into cart_v2, compare, switch, archive the old streams', async () => {
  const { page, errors } = await openApp();
  for (const n of [1, 2]) {
    await openCart(page, n);
    await page.getByRole('status').filter({ hasText: `appended to cart-${n}` }).waitFor();
    await addItem(page, n, 'p-1', 1);
  }
  await page.getByRole('button', { name: 'Data lifecycle' }).click();
  const section = page.getByRole('region', { name: 'Copy-and-transform migration' });
  assert.equal(await section.getByLabel('New category').inputValue(), 'cart_v2');
  await section.getByLabel('New category').fill('cart-v2');
  await section.getByRole('button', { name: 'Start the copy' }).click();
  await section.getByRole('alert').filter({ hasText: 'cannot be a category' }).waitFor();
  await section.getByLabel('New category').fill('cart_v2');
  await section.getByRole('button', { name: 'Start the copy' }).click();
  await section.getByText('cart_v2-… has caught up with cart-…').waitFor();
  assert.match(await section.textContent(), /4 events read, 4 events written/);
  await section.getByRole('button', { name: 'Compare old and new' }).click();
  await section.getByText('Dual read: 2 streams folded the same old and new.').waitFor();
  await page.setViewportSize({ width: 1024, height: 768 });
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}migration-caught-up-1024.png` });
  await page.setViewportSize({ width: 1280, height: 720 });
  await section.getByRole('button', { name: 'Switch' }).click();
  await section.getByText(/Switched at position \d+: commands to cart-… ids go to cart_v2-…/).waitFor();

  await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  const console = page.getByRole('form', { name: 'Command console' });
  await console.getByLabel('Command', { exact: true }).selectOption('AddItem');
  await console.getByLabel('Stream id').fill('cart-1');
  await console.getByLabel('cartId').fill('1');
  await console.getByLabel('productId').fill('p-2');
  await console.getByLabel('qty').fill('1');
  await console.getByLabel('unitPrice').fill('150');
  await console.getByRole('button', { name: 'Send AddItem' }).click();
  await page.getByRole('status').filter({ hasText: 'appended to cart_v2-1' }).waitFor();

  await page.getByRole('button', { name: 'Data lifecycle' }).click();
  await section.getByRole('button', { name: 'Archive the old streams' }).click();
  await section.getByText('Switched; 2 old streams of cart-… archived').waitFor();
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}migration-archived.png` });

  await page.waitForTimeout(1500);
  await page.reload();
  await page.getByRole('button', { name: 'Data lifecycle' }).click();
  await page.waitForTimeout(1000);
  await page.screenshot({ path: `${SHOTS}migration-reloaded.png` });
  await section.getByText('Switched; 2 old streams of cart-… archived').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});
