// End-to-end journeys through share links: a trainer's prepared workspace travels in the
// address, opens (after asking) as a new workspace in another browser, and a link too long, or
// damaged on the way, says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp, openCart, launched } from './support.mjs';

before(start);
after(stop);

/** Opens the Share dialog and answers it with the link once made. */
async function share(page, { withEvents = false } = {}) {
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this workspace' });
  if (withEvents) await dialog.getByRole('checkbox').check();
  await dialog.locator('.share-link, .problem').first().waitFor();
  return dialog;
}

test('a trainer shares a prepared workspace by link; a participant opens it as a new workspace', async () => {
  const trainer = await openApp();
  await openCart(trainer.page, 1);
  await trainer.page.getByRole('status').filter({ hasText: 'appended to cart-1' }).waitFor();
  const dialog = await share(trainer.page);
  const modelOnly = await dialog.getByLabel('Share link').inputValue();
  await dialog.getByRole('checkbox').check();
  await trainer.page.waitForFunction(
    (before) => {
      const input = document.querySelector('.share-link');
      return input && input.value !== before;
    },
    modelOnly,
  );
  const link = await dialog.getByLabel('Share link').inputValue();
  assert.match(link, /#share=[\w-]+$/);
  assert.ok(link.length > modelOnly.length, 'the events make it longer');
  console.log(`# share link of the cart with 1 event: ${link.length} characters (model alone ${modelOnly.length})`);
  await trainer.page.screenshot({ path: `${SHOTS}share-dialog.png` });
  assert.deepEqual(trainer.errors, []);

  // A participant's browser: nothing kept yet.
  let asked = '';
  const participant = await openApp({
    keepPicker: true,
    url: link,
    prepare: (page) =>
      page.once('dialog', (confirm) => {
        asked = confirm.message();
        confirm.accept();
      }),
  });
  await participant.page.screenshot({ path: `${SHOTS}share-opened.png` });
  await participant.page.locator('.status-bar').filter({ hasText: /1 event(?!s)/ }).waitFor();
  assert.match(asked, /Open the shared workspace "Shopping cart" \(1 event\) as a new workspace\?/);
  assert.equal(await participant.page.getByRole('dialog', { name: 'Choose a scenario' }).count(), 0, 'no picker then');
  assert.ok(!participant.page.url().includes('#share='), 'the link is taken out of the address');
  const streams = participant.page.getByRole('region', { name: 'Streams' });
  assert.ok(await streams.getByRole('button', { name: /cart-1/ }).isVisible());
  await participant.page.reload();
  await participant.page.locator('.status-bar').filter({ hasText: /1 event(?!s)/ }).waitFor();
  assert.deepEqual(participant.errors, []);
  await trainer.page.close();
  await participant.page.close();
});

test('declining a shared link keeps the work open; a damaged link says so', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 7);
  await page.getByRole('status').filter({ hasText: 'appended to cart-7' }).waitFor();
  const link = await (await share(page)).getByLabel('Share link').inputValue();
  await page.getByRole('dialog', { name: 'Share this workspace' }).getByRole('button', { name: 'Close' }).click();
  // Pasted into the address bar of the open app: only the fragment changes.
  let asked = '';
  page.once('dialog', (confirm) => {
    asked = confirm.message();
    confirm.dismiss();
  });
  await page.goto(link);
  await page.waitForFunction(() => !location.hash.includes('share='));
  assert.match(asked, /Open the shared workspace "Shopping cart"/);
  await page.getByRole('region', { name: 'Streams' }).getByRole('button', { name: /cart-7/ }).waitFor();

  await page.goto(`${launched().url}#share=not-a-link`);
  const notice = page.locator('.notice');
  await notice.waitFor();
  assert.match(await notice.textContent(), /The shared link could not be read/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link too long for the tools people paste into offers the export instead', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Simulation' }).click();
  await page.getByLabel('Generator definition').fill(JSON.stringify({
    name: 'a busy hour',
    instances: 220,
    streamId: 'cart-{n}',
    intervalMs: 1000,
    plan: { steps: [
      { command: 'OpenCart', data: { cartId: '{n}', customerId: 'customer-{n}@example.com' } },
      { command: 'AddItem', repeat: [8, 8], data: { cartId: '{n}', productId: 'p-{i}-{n}', qty: 1, unitPrice: 10 } },
    ] },
  }));
  await page.getByLabel('Speed').selectOption('1000');
  await page.getByRole('button', { name: 'Start' }).click();
  await page.locator('.load-status').filter({ hasText: / · done/ }).waitFor({ timeout: 60_000 });
  const dialog = await share(page, { withEvents: true });
  const problem = dialog.locator('.problem');
  await problem.waitFor();
  assert.match(await problem.textContent(), /would be \d+ characters long: links past 32000 are cut/);
  assert.ok(await problem.getByRole('link', { name: 'Export' }).isVisible());
  await page.screenshot({ path: `${SHOTS}share-too-long.png` });
  assert.deepEqual(errors, []);
  await page.close();
});
