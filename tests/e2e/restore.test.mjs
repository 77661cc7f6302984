// End-to-end: a reload keeps what was built (issue 21, item 4) and an inline projection stopped on
// an error holds back the appends it reads (item 5). The release build, in Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp, openCart, savedDocument, waitForSaved } from './support.mjs';

before(start);
after(stop);

function editor(page) {
  return page.locator('.editor-overlay');
}

/** What the autosave holds: its event count and whether it carries read models. */
function saved(page) {
  return savedDocument(page).then((document) => ({
    events: document.events?.events?.length ?? 0,
    readModels: Boolean(document.readModels),
  }));
}

/** Runs a generator of `carts` carts, each opened with `items` items, as fast as it goes. */
async function generate(page, carts, items) {
  await page.getByRole('button', { name: 'Simulation' }).click();
  await page.getByLabel('Generator definition').fill(JSON.stringify({
    name: 'busy carts',
    instances: carts,
    streamId: 'cart-{n}',
    intervalMs: 1000,
    plan: { steps: [
      { command: 'OpenCart', data: { cartId: '{n}', customerId: 'c-{n}' } },
      { command: 'AddItem', repeat: [items, items], data: { cartId: '{n}', productId: 'p-{i}', qty: 1, unitPrice: 10 } },
    ] },
  }));
  await page.getByLabel('Speed').selectOption('1000');
  await page.getByRole('button', { name: 'Start' }).click();
  await page.locator('.load-status').filter({ hasText: / · done/ }).waitFor({ timeout: 60_000 });
}

/** The projections lab's card of a projection: its state and figures, as text. */
async function card(page, name) {
  const region = page.getByRole('region', { name: `Projection ${name}` });
  await region.waitFor();
  return {
    state: await region.locator('.state').textContent(),
    figures: await region.locator('.lab-figures').textContent(),
  };
}

test('a workspace of 2,700 events opens again with its read models caught up, and the first command answers at once', async () => {
  const { page, errors } = await openApp();
  await generate(page, 300, 8);
  await waitForSaved(page, (document) => (document.events?.events?.length ?? 0) === 2700);
  assert.deepEqual(await saved(page), { events: 2700, readModels: true });

  await page.reload();
  await page.getByRole('button', { name: 'Projections lab' }).click();
  // Read at once, before any timer could have replayed 2,700 events.
  for (const name of ['CartSummary', 'ItemsAddedPerProduct']) {
    const { state, figures } = await card(page, name);
    assert.equal(state, 'caught up', `${name} after the reload`);
    assert.match(figures, /Checkpoint2700Lag0/, `${name}: ${figures}`);
  }
  await page.screenshot({ path: `${SHOTS}restore-projections.png` });

  await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  const started = Date.now();
  await openCart(page, 301);
  await page.getByRole('status').filter({ hasText: 'appended to cart-301' }).waitFor();
  console.log(`# the first command after the reload answered in ${Date.now() - started} ms`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a blue-green build in progress is still there after a reload, and switches', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await openCart(page, 2);
  await page.getByRole('button', { name: 'Projections lab' }).click();
  const region = page.getByRole('region', { name: 'Projection CartSummary' });
  await region.getByRole('button', { name: 'Blue-green rebuild…' }).click();
  await editor(page).getByRole('heading', { name: 'Blue-green build of CartSummary v2' }).waitFor();
  await editor(page).getByRole('button', { name: 'Start the build' }).click();
  const build = region.getByRole('region', { name: 'Blue-green build of CartSummary' });
  await build.filter({ hasText: 'v2 caught up: ready to switch' }).waitFor();

  await page.reload();
  await page.getByRole('button', { name: 'Projections lab' }).click();
  const kept = page
    .getByRole('region', { name: 'Projection CartSummary' })
    .getByRole('region', { name: 'Blue-green build of CartSummary' });
  await kept.waitFor();
  assert.match(await kept.textContent(), /v1 live.*v2 caught up: ready to switch/);
  await kept.getByRole('button', { name: 'Switch to v2' }).click();
  await page.getByRole('region', { name: 'Projection CartSummary' }).getByRole('heading', { name: 'CartSummary v2' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('an inline projection stopped on an error refuses the commands it reads, says why, and a skip lets them through', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  // CartSummary redeployed with a handler that fails on the cart it already holds.
  await page.getByRole('button', { name: 'Edit projection CartSummary' }).click();
  const script = editor(page).getByLabel('CartSummary Handlers');
  const source = await script.inputValue();
  await script.fill(source.replace('fn on_CartOpened(doc, event) {\n', 'fn on_CartOpened(doc, event) {\n    if event.data.cartId == "1" { throw "cart 1 is cursed"; }\n'));
  await editor(page).getByRole('button', { name: 'Save' }).click();
  await editor(page).waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Projections lab' }).click();
  const region = page.getByRole('region', { name: 'Projection CartSummary' });
  await region.locator('.state').filter({ hasText: 'stopped on an error' }).waitFor();
  assert.match(await region.textContent(), /commands that append events it reads are refused/);

  await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  await openCart(page, 2);
  const console = page.getByRole('form', { name: 'Command console' });
  await console.getByText(/inline projection CartSummary is stopped at position 0/).waitFor();
  const warnings = page.getByRole('region', { name: 'Warnings' });
  const finding = warnings.locator('li.finding.severity-critical', { hasText: 'CartSummary is stopped at position 0' });
  await finding.waitFor();
  assert.match(await finding.textContent(), /appends it reads are refused/);
  assert.match(await finding.textContent(), /stopped-projection/);
  await page.screenshot({ path: `${SHOTS}restore-inline-stopped.png` });
  assert.match(await page.locator('.status-bar').textContent(), /1 event(?!s)/, 'nothing was appended');

  await page.getByRole('button', { name: 'Projections lab' }).click();
  await region.getByRole('button', { name: 'Skip this event' }).click();
  await region.locator('.state').filter({ hasText: 'caught up' }).waitFor();
  await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  await openCart(page, 2);
  await page.getByRole('status').filter({ hasText: 'appended to cart-2' }).waitFor();
  assert.equal(await finding.count(), 0, 'the warning goes');
  assert.deepEqual(errors, []);
  await page.close();
});
