// End-to-end journey of the right to be forgotten: the cart's personal fields sealed by customer,
// two customers' carts, one customer forgotten, its read model rebuilt, and a reload that keeps
// it forgotten. The release build, in Debian's Chromium, at 1280×720.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp, fillOpenCart, waitForSaved } from './support.mjs';

before(start);
after(stop);

async function openCartFor(page, n, customer) {
  const send = await fillOpenCart(page, n);
  await page.getByRole('form', { name: 'Command console' }).getByLabel('customerId').fill(customer);
  await send.click();
  await page.getByRole('status').filter({ hasText: `appended to cart-${n}` }).waitFor();
}

async function inspect(page, stream) {
  const streams = page.getByRole('region', { name: 'Streams' });
  await streams.getByRole('button', { name: new RegExp(`^${stream}\\b`) }).click();
  await streams.getByRole('button', { name: /CartOpened/ }).click();
  return page.getByRole('region', { name: 'Inspector' }).textContent();
}

test('journey: a customer is forgotten; every read of its carts shows it shredded, also after a reload', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Data lifecycle' }).click();
  const forget = page.getByRole('region', { name: 'Right to be forgotten' });
  assert.match(await forget.textContent(), /Cart: CartOpened\.customerId/);
  await forget.getByRole('button', { name: 'Seal the personal fields of Cart by customerId' }).click();
  await forget.getByText('Cart seals its personal fields by customerId from its next event on').waitFor();
  assert.match(await forget.textContent(), /Cart: .* — sealed by customerId/);

  await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  await openCartFor(page, 1, 'alice@example.com');
  await openCartFor(page, 2, 'bob@example.com');
  assert.match(await inspect(page, 'cart-1'), /"customerId": "alice@example.com"/, 'read back while the key lives');

  await page.getByRole('button', { name: 'Data lifecycle' }).click();
  await forget.getByLabel('Subject to forget').fill('alice@example.com');
  await forget.getByRole('button', { name: 'Forget' }).click();
  const said = forget.locator('.lifecycle-said');
  await said.filter({ hasText: 'Forgot alice@example.com' }).waitFor();
  assert.match(await said.textContent(), /1 stored event read as shredded/);
  assert.match(await said.textContent(), /CartSummary was built before and still holds it: rebuild it/);
  await forget.getByRole('button', { name: 'Rebuild CartSummary' }).click();
  await said.filter({ hasText: 'Rebuilding CartSummary' }).waitFor();
  assert.equal(await forget.getByRole('button', { name: 'Rebuild CartSummary' }).count(), 0, 'asked once');
  assert.equal(await forget.getByLabel('Subject to forget').inputValue(), '', 'the forgotten name is not left on screen');
  await forget.getByLabel('Subject to forget').fill('nobody');
  await forget.getByRole('button', { name: 'Forget' }).click();
  await forget.getByRole('alert').filter({ hasText: 'unknown data subject' }).waitFor();
  await page.screenshot({ path: `${SHOTS}forget-customer.png` });

  await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  assert.match(await inspect(page, 'cart-1'), /"customerId": "\[shredded\]"/);
  assert.match(await inspect(page, 'cart-2'), /"customerId": "bob@example.com"/);
  await waitForSaved(page, (document) => {
    const saved = JSON.stringify(document);
    return saved.includes('cart-2') && !saved.includes('alice@example.com');
  });
  await page.reload();
  await page.locator('.brand').waitFor();
  assert.match(await inspect(page, 'cart-1'), /"customerId": "\[shredded\]"/, 'forgotten after a reload');
  assert.match(await inspect(page, 'cart-2'), /"customerId": "bob@example.com"/, 'the others read as written');
  await page.screenshot({ path: `${SHOTS}forget-reloaded.png` });
  assert.deepEqual(errors, []);
  await page.close();
});
