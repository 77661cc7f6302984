// End-to-end: the release build in dist/, served on 127.0.0.1, driven in Debian's Chromium.
// Any console error or page error fails the test. Screenshots go to tests/e2e/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp } from './support.mjs';

before(start);
after(stop);

test('the app loads with the built-in scenario outlined, its panels and status bar, without errors', async () => {
  const { page, errors } = await openApp();
  assert.equal(await page.title(), 'Eventarium');
  assert.equal(await page.locator('.brand').textContent(), 'Eventarium');
  for (const name of ['Model', 'Console', 'Streams', 'Inspector', 'Warnings']) {
    assert.ok(await page.getByRole('region', { name }).isVisible(), `panel ${name} is visible`);
  }
  assert.match(await page.locator('.status-bar').textContent(), /5 of 5 panels open/);
  assert.match(await page.locator('.status-bar').textContent(), /Scenario: Shopping cart/);
  const eventTypes = page.getByRole('region', { name: 'Event types' });
  assert.ok(await eventTypes.getByText('ItemAdded', { exact: true }).isVisible(), 'ItemAdded is listed');
  await page.screenshot({ path: `${SHOTS}shell.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test('collapsing and expanding a panel', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Collapse Warnings' }).click();
  assert.equal(await page.locator('.panel-warnings .panel-body').count(), 0);
  assert.match(await page.locator('.status-bar').textContent(), /4 of 5 panels open/);
  await page.screenshot({ path: `${SHOTS}shell-collapsed.png` });

  await page.getByRole('button', { name: 'Expand Warnings' }).click();
  assert.ok(await page.locator('.panel-warnings .panel-body').isVisible());
  assert.match(await page.locator('.status-bar').textContent(), /5 of 5 panels open/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the console API loads on first use, saying so, and then is there as Eventarium.EventStore', async () => {
  const { page, errors } = await openApp();
  const early = await page.evaluate(() => {
    try {
      return new window.Eventarium.EventStore({ seed: 3 }) && 'there at once';
    } catch (err) {
      return err.message;
    }
  });
  assert.match(early, /The console API is loading: run `await Eventarium.ready`/);
  const result = await page.evaluate(async () => {
    await window.Eventarium.ready;
    const store = new window.Eventarium.EventStore({ seed: 3 });
    store.append('cart-1', [{ type: 'ItemAdded', data: { sku: 'SKU-1' } }], 'no_stream');
    let conflict = null;
    try {
      store.append('cart-1', [{ type: 'ItemAdded', data: { sku: 'SKU-2' } }], 'no_stream');
    } catch (err) {
      conflict = { code: err.code, actual: err.actual };
    }
    return { events: store.readStream('cart-1').map((e) => e.data.sku), conflict };
  });
  assert.deepEqual(result, { events: ['SKU-1'], conflict: { code: 'WrongExpectedVersion', actual: 0 } });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Simulation API runs the built-in cart from the browser console as Eventarium.Simulation', async () => {
  const { page, errors } = await openApp();
  const result = await page.evaluate(async () => {
    await window.Eventarium.ready;
    const sim = window.Eventarium.Simulation.builtIn('shopping-cart');
    sim.execute({ command: 'OpenCart', streamId: 'cart-1', data: { cartId: '1', customerId: 'c-1' } });
    const item = (productId) => ({
      command: 'AddItem',
      streamId: 'cart-1',
      data: { cartId: '1', productId, qty: 1, unitPrice: 5 },
    });
    const alice = sim.decide(item('A'));
    const bob = sim.decide(item('B'));
    sim.commit(alice.decisionId);
    let conflict = null;
    try {
      sim.commit(bob.decisionId);
    } catch (err) {
      conflict = err.code;
    }
    sim.runUntilIdle();
    const summary = sim.document('CartSummary', '1');
    return { conflict, lines: Object.keys(summary.lines), lag: sim.projections().map((p) => p.lag) };
  });
  assert.deepEqual(result, { conflict: 'WrongExpectedVersion', lines: ['A'], lag: [0, 0] });
  assert.deepEqual(errors, []);
  await page.close();
});
