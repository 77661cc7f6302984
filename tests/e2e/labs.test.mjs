// End-to-end journeys through the projections lab: a blue-green rebuild side by side and its
// switch (the read model as before plus the new field), and a projection stopped by a poison
// event, its error shown, fixed and resumed. The release build, in Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp, openCart, addItem } from './support.mjs';

before(start);
after(stop);

/** The documents table of the selected projection, as rows of cells. */
async function documentRows(page) {
  return page.locator('table.documents tr').evaluateAll((rows) =>
    rows.map((row) => [...row.children].map((cell) => cell.textContent)));
}

function editor(page) {
  return page.locator('.editor-overlay');
}

test('journey 3: a blue-green rebuild runs beside the live version; after the switch the read model is the same plus the new field', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await addItem(page, 1, 'p-1');
  await openCart(page, 2);
  await page.getByRole('button', { name: 'Projections lab' }).click();
  const card = page.getByRole('region', { name: 'Projection CartSummary' });
  await card.getByRole('button', { name: 'Documents' }).click();
  const before = await documentRows(page);
  assert.equal(before.length, 3, 'a header and two carts');

  await card.getByRole('button', { name: 'Blue-green rebuild…' }).click();
  await editor(page).getByRole('heading', { name: 'Blue-green build of CartSummary v2' }).waitFor();
  const script = editor(page).getByLabel('CartSummary Handlers');
  const source = await script.inputValue();
  await script.fill(source.replace('status: "open", lines: #{}, total: 0 }', 'status: "open", lines: #{}, total: 0, currency: "EUR" }'));
  await editor(page).getByRole('button', { name: 'Start the build' }).click();
  const build = card.getByRole('region', { name: 'Blue-green build of CartSummary' });
  await build.waitFor();
  assert.match(await build.textContent(), /v1 live.*v2 (building|caught up: ready to switch)/);
  const switchButton = build.getByRole('button', { name: 'Switch to v2' });
  await page.waitForFunction(() => {
    const button = [...document.querySelectorAll('.blue-green button')].find((b) => b.textContent === 'Switch to v2');
    return button && !button.disabled;
  });
  await page.screenshot({ path: `${SHOTS}lab-blue-green.png` });
  await switchButton.click();
  await card.getByRole('heading', { name: 'CartSummary v2' }).waitFor();
  assert.equal(await card.getByRole('region', { name: 'Blue-green build of CartSummary' }).count(), 0);
  const after = await documentRows(page);
  const column = (rows, name) => rows[0].indexOf(name);
  assert.ok(column(after, 'currency') > 0, `a currency column: ${after[0]}`);
  for (const name of before[0]) {
    const was = before.map((row) => row[column(before, name)]);
    const now = after.map((row) => row[column(after, name)]);
    assert.deepEqual(now, was, `column ${name} is as before`);
  }
  assert.deepEqual(after.slice(1).map((row) => row[column(after, 'currency')]), ['EUR', 'EUR']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('journey 4: a handler that fails on one event stops there with the error shown; fixed, it resumes', async () => {
  const { page, errors } = await openApp();
  // Make ItemsAddedPerProduct a script that cannot count p-2.
  await page.getByRole('button', { name: 'Edit projection ItemsAddedPerProduct' }).click();
  await editor(page).getByLabel('Logic').selectOption('script');
  const script = editor(page).getByLabel('ItemsAddedPerProduct Handlers');
  await script.fill('fn on_ItemAdded(doc, event) {\n    if event.data.productId == "p-2" { throw "cannot count p-2"; }\n    #{ count: (if doc == () { 0 } else { doc.count }) + 1 }\n}\n');
  await editor(page).getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved projection ItemsAddedPerProduct' }).waitFor();

  await openCart(page, 1);
  await addItem(page, 1, 'p-1');
  await addItem(page, 1, 'p-2');
  await addItem(page, 1, 'p-3');
  await page.getByRole('button', { name: 'Projections lab' }).click();
  const card = page.getByRole('region', { name: 'Projection ItemsAddedPerProduct' });
  const poison = card.getByRole('alert');
  await poison.waitFor();
  assert.match(await poison.textContent(), /Stopped at position 2 \(ItemAdded in cart-1\)/);
  assert.match(await poison.textContent(), /cannot count p-2.*line 2|line 2.*cannot count p-2/);
  assert.match(await card.textContent(), /stopped on an error/);
  await page.screenshot({ path: `${SHOTS}lab-poison.png` });

  await poison.getByRole('button', { name: 'Fix the handler' }).click();
  const fix = editor(page).getByLabel('ItemsAddedPerProduct Handlers');
  // The editor opens at the failing line: marked, with the caret on it.
  await editor(page).locator('.gutter li.marked').waitFor();
  assert.equal(await editor(page).locator('.gutter li.marked').textContent(), '2');
  const caret = await fix.evaluate((area) => ({
    line: area.value.slice(0, area.selectionStart).split('\n').length,
    focused: document.activeElement === area,
  }));
  assert.deepEqual(caret, { line: 2, focused: true });
  await fix.fill((await fix.inputValue()).replace('    if event.data.productId == "p-2" { throw "cannot count p-2"; }\n', ''));
  await editor(page).getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved projection ItemsAddedPerProduct' }).waitFor();
  await page.getByRole('button', { name: 'Projections lab' }).click();
  await card.getByText('caught up').waitFor();
  assert.equal(await card.getByRole('alert').count(), 0, 'the error is gone');
  await card.getByRole('button', { name: 'Documents' }).click();
  const rows = await documentRows(page);
  assert.deepEqual(rows.slice(1).map((r) => r[0]), ['p-1', 'p-2', 'p-3'], 'resumed at p-2 and counted it');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an in-place rebuild shows its progress and ends with the same documents', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await addItem(page, 1, 'p-1');
  await page.getByRole('button', { name: 'Projections lab' }).click();
  const card = page.getByRole('region', { name: 'Projection CartSummary' });
  await card.getByRole('button', { name: 'Documents' }).click();
  const before = await documentRows(page);
  await card.getByRole('button', { name: 'Rebuild in place' }).click();
  await card.getByText('caught up').waitFor();
  assert.deepEqual(await documentRows(page), before);
  assert.deepEqual(errors, []);
  await page.close();
});

test('journey 2: v2 of an event type with its upcaster; old events are shown as stored and upcast', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await openCart(page, 2);
  await page.getByRole('button', { name: 'Schema lab' }).click();
  const lab = page.getByRole('main', { name: 'Schema evolution lab' });
  await lab.getByLabel('Event type').selectOption({ label: 'CartOpened (v1)' });
  const next = lab.getByRole('region', { name: 'New version v2' });
  await next.getByRole('button', { name: 'Add a field to CartOpened v2' }).click();
  await next.getByLabel('CartOpened v2 field field1: name').fill('channel');
  await next.getByLabel('CartOpened v2 field channel: type').selectOption('string');
  await next.locator('.field-row').last().getByLabel('required').uncheck();
  const upcaster = next.getByLabel('Upcaster CartOpened v1 to v2');
  await upcaster.fill('fn upcast(event) {\n    event.data.channel = "phone" +;\n    event\n}\n');
  await next.locator('.gutter li.marked').waitFor();
  assert.equal(await next.locator('.gutter li.marked').textContent(), '2', 'the upcaster error at its line');
  await upcaster.fill('fn upcast(event) {\n    event.data.channel = "phone";\n    event\n}\n');
  await page.waitForFunction(() => document.querySelectorAll('.next-version .gutter li.marked').length === 0);
  await next.getByRole('button', { name: 'Add v2' }).click();
  await page.getByRole('status').filter({ hasText: 'Added CartOpened v2 with its upcaster' }).waitFor();
  const stored = lab.getByRole('region', { name: 'Stored versions' });
  assert.match(await stored.textContent(), /v1: 2 stored, upcast v1 → v2/);
  const old = lab.getByRole('region', { name: 'Old events' }).locator('.upcast-view');
  assert.equal(await old.count(), 2);
  const first = old.first();
  assert.match(await first.locator('.stored-side').textContent(), /Stored as v1/);
  assert.doesNotMatch(await first.locator('.stored-side').textContent(), /channel/);
  assert.match(await first.locator('.read-side').textContent(), /Read as CartOpened v2.*"channel": "phone"/);
  await page.screenshot({ path: `${SHOTS}lab-schema.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test('journey 6: presenter mode on and off: larger type, one panel at a time, stepped with the keyboard', async () => {
  const { page, errors } = await openApp();
  const size = () => page.locator('.panel h2').first().evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
  const normal = await size();
  assert.equal(await page.locator('.panel').count(), 5);
  await page.keyboard.press('p');
  await page.getByRole('status', { name: 'Presenter mode' }).waitFor();
  assert.equal(await page.locator('.panel').count(), 1, 'one panel at a time');
  assert.ok((await size()) > normal * 1.3, `larger type: ${normal}px → ${await size()}px`);
  assert.match(await page.locator('.panel h2').textContent(), /Model/);
  await page.keyboard.press('ArrowRight');
  assert.match(await page.locator('.panel h2').textContent(), /Console/);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  assert.match(await page.locator('.panel h2').textContent(), /Warnings/);
  await page.screenshot({ path: `${SHOTS}presenter.png` });
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.panel').count(), 5, 'all panels back');
  assert.equal(await size(), normal);
  // The header button does the same.
  await page.getByRole('button', { name: 'Presenter' }).click();
  assert.equal(await page.locator('.panel').count(), 1);
  await page.getByRole('button', { name: 'Presenter' }).click();
  assert.equal(await page.locator('.panel').count(), 5);
  assert.deepEqual(errors, []);
  await page.close();
});

test('journey 7: two participants decide on one stream; the second append conflicts and its retry goes through', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await page.getByRole('button', { name: 'Two participants' }).click();
  const decide = async (name, product) => {
    const side = page.getByRole('region', { name: `Participant ${name}` });
    const console = side.getByRole('form', { name: `${name}'s console` });
    await console.getByLabel('Command', { exact: true }).selectOption('AddItem');
    await console.getByLabel('Stream id').fill('cart-1');
    await console.getByLabel('cartId').fill('1');
    await console.getByLabel('productId').fill(product);
    await console.getByLabel('qty').fill('1');
    await console.getByLabel('unitPrice').fill('10');
    await console.getByRole('button', { name: 'Decide AddItem' }).click();
    await side.getByText(`${name} read cart-1 at revision 0 and decided: ItemAdded`).waitFor();
    return side;
  };
  const ann = await decide('Ann', 'p-1');
  const ben = await decide('Ben', 'p-2');
  await ben.getByRole('button', { name: "Append Ben's events" }).click();
  await ben.getByText('appended to cart-1').waitFor();
  await ann.getByRole('button', { name: "Append Ann's events" }).click();
  const conflict = ann.locator('.outcome-conflict');
  await conflict.waitFor();
  assert.match(await conflict.textContent(), /Conflict: .*expected.*0.*1/);
  await page.screenshot({ path: `${SHOTS}lab-two-participants.png` });
  await ann.getByRole('button', { name: 'Retry: read again and append' }).click();
  await ann.getByText('appended to cart-1').waitFor();
  assert.match(await page.locator('.status-bar').textContent(), /3 events/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('charts: stream lengths, events per type, growth and projection lag, as SVG', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await addItem(page, 1, 'p-1');
  await openCart(page, 2);
  await page.getByRole('button', { name: 'Charts' }).click();
  const chart = (name) => page.getByRole('figure', { name }).locator('svg');
  assert.equal(await chart('Stream length histogram').getAttribute('aria-label'),
    'Stream length histogram: 1 1 streams, 2 1 streams');
  assert.equal(await chart('Events per type').getAttribute('aria-label'),
    'Events per type: CartOpened 2 events, ItemAdded 1 events');
  assert.match(await chart('Growth over simulated time').getAttribute('aria-label'), /3 events over/);
  assert.match(await chart('Projection lag').getAttribute('aria-label'), /CartSummary 0 events behind/);
  assert.equal(await page.getByRole('figure', { name: 'Events per type' }).locator('rect').count(), 2);
  await page.screenshot({ path: `${SHOTS}lab-charts.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

/** Sets the generator's JSON on the simulation page. */
async function setGenerator(page, generator) {
  await page.getByLabel('Generator definition').fill(JSON.stringify(generator, null, 2));
}

const ONE_LONG_CART = {
  name: 'one long cart',
  instances: 1,
  streamId: 'cart-{n}',
  concurrency: 1,
  intervalMs: 1000,
  plan: { steps: [
    { command: 'OpenCart', data: { cartId: '{n}', customerId: 'c-{n}' } },
    { command: 'AddItem', repeat: [150, 150], data: { cartId: '{n}', productId: 'p-{i}', qty: 1, unitPrice: 10 } },
  ] },
};

test('journey 1: a generator runs until the oversized-stream warning appears; clicking it shows the stream', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Simulation' }).click();
  await setGenerator(page, ONE_LONG_CART);
  await page.getByLabel('Speed').selectOption('1');
  await page.getByRole('button', { name: 'Start' }).click();
  const warnings = page.getByRole('region', { name: 'Live warnings' });
  const oversized = warnings.locator('.finding').filter({ hasText: /stream cart-1 holds \d+ events \(threshold 100\)/ });
  await oversized.first().waitFor({ timeout: 15000 });
  const status = await page.locator('.load-status').textContent();
  assert.doesNotMatch(status, / · done/, `the warning appeared while the generator ran: ${status}`);
  await page.screenshot({ path: `${SHOTS}lab-generator-warning.png` });
  await oversized.first().getByRole('button', { name: 'Show stream cart-1' }).click();
  const timeline = page.getByRole('region', { name: 'Timeline of cart-1' });
  await timeline.waitFor();
  assert.ok(await timeline.isVisible(), 'the stream is shown');
  assert.equal(await page.getByLabel('Filter streams').inputValue(), 'cart-1', 'the list is filtered to it');
  await page.waitForFunction(() => {
    const box = document.querySelector('.timeline')?.getBoundingClientRect();
    return box && box.top >= 0 && box.top < window.innerHeight;
  });
  assert.deepEqual(errors, []);
  await page.close();
});

test('journey 5: time travel to an earlier position and back', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Simulation' }).click();
  await setGenerator(page, { ...ONE_LONG_CART, instances: 3, plan: { steps: [
    { command: 'OpenCart', data: { cartId: '{n}', customerId: 'c-{n}' } },
    { command: 'AddItem', repeat: [2, 2], data: { cartId: '{n}', productId: 'p-{i}', qty: 1, unitPrice: 10 } },
  ] } });
  await page.getByLabel('Speed').selectOption('1000');
  await page.getByRole('button', { name: 'Start' }).click();
  await page.locator('.load-status').filter({ hasText: 'done' }).waitFor();
  const travel = page.getByRole('region', { name: 'Time travel' });
  assert.match(await travel.locator('h4').textContent(), /3 streams/);
  const slider = travel.getByLabel('Global position');
  await slider.fill('0');
  await travel.getByRole('heading', { name: 'As of position 0' }).waitFor();
  assert.equal(await travel.locator('h4').textContent(), '1 stream');
  assert.match(await travel.locator('.json-tree').textContent(), /1 document(?!s)/);
  await page.screenshot({ path: `${SHOTS}lab-time-travel.png` });
  await travel.getByRole('button', { name: 'Back to now' }).click();
  await travel.getByRole('heading', { name: 'Now' }).waitFor();
  assert.match(await travel.locator('h4').textContent(), /3 streams/);
  assert.match(await page.locator('.status-bar').textContent(), /9 events/, 'the present is untouched');
  assert.deepEqual(errors, []);
  await page.close();
});
