// The workshop's journeys on the built-in concert-ticketing system, in real Chromium: each stages a
// failure or a refactoring step through the System page and the editors, as a participant or a
// trainer would, and checks what the page shows. Screenshots go to tests/e2e/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp } from './support.mjs';

before(start);
after(stop);

/** Opens the app on the concert-ticketing system's System page. */
async function openConcert() {
  const { page, errors } = await openApp({ keepPicker: true });
  await page.getByRole('button', { name: 'Start with Concert ticketing' }).click();
  await page.getByRole('button', { name: 'System map' }).click();
  await page.locator('.system-map svg').waitFor();
  return { page, errors };
}

/** Sends a command to a module through the System page's console and waits for its answer. */
async function sendTo(page, module, command, stream, data) {
  const form = page.getByRole('form', { name: 'Module console' });
  await form.getByLabel('Module', { exact: true }).selectOption(module);
  await form.getByLabel('Module command').selectOption(command);
  await form.getByLabel('Stream or row id').fill(stream);
  await form.getByLabel('Command data').fill(JSON.stringify(data));
  await form.getByRole('button', { name: 'Send' }).click();
  const said = form.locator('.console-result');
  await said.filter({ hasText: command }).waitFor();
  return said.textContent();
}

/** Runs the simulated clock until nothing waits on it. */
async function untilIdle(page) {
  await page.getByRole('button', { name: 'Until idle' }).click();
  await page.locator('.status-message').filter({ hasText: 'tasks ran' }).waitFor();
}

/** A customer account and a concert on sale. */
async function openSales(page) {
  for (const [id, name] of [['u-1', 'Ada'], ['u-2', 'Grace']]) {
    await sendTo(page, 'users', 'RegisterCustomer', id, { name, email: `${name.toLowerCase()}@example.com` });
  }
  await sendTo(page, 'concerts', 'ScheduleConcert', 'concert-warsaw', {
    concertId: 'warsaw', name: 'Renaissance World Tour', artist: 'Beyoncé', venue: 'PGE Narodowy, Warsaw',
    startsAt: '2023-06-27T20:00:00Z',
    tiers: [{ tier: 'standing', price: 25000, capacity: 100 }, { tier: 'goldenCircle', price: 60000, capacity: 4 }],
  });
  await untilIdle(page);
}

/** Moves the simulated clock 10 s on. */
async function tenSeconds(page) {
  await page.getByRole('button', { name: '+10 s' }).click();
}

/** Customer u-1 checks cart `cart` out with two golden circle tickets, then the clock runs by `run`
 * (until idle unless said otherwise: a deadline waiting on the clock would fire). */
async function checkOut(page, cart, run = untilIdle) {
  const stream = `cart-${cart}`;
  await sendTo(page, 'carts', 'OpenCart', stream, { cartId: cart, customerId: 'u-1' });
  await sendTo(page, 'carts', 'AddTickets', stream,
    { cartId: cart, concertId: 'warsaw', tier: 'goldenCircle', quantity: 2, unitPrice: 60000 });
  await sendTo(page, 'carts', 'ConfirmCart', stream, { cartId: cart, email: 'u-1@example.com' });
  await run(page);
}

test('6. the state-stored users module changes a row with a command, and the change reaches carts', async () => {
  const { page, errors } = await openConcert();
  await page.getByRole('button', { name: 'Open module users' }).click();
  const users = page.getByRole('region', { name: 'Module users' });
  await users.getByText('customers (0 rows)').waitFor();
  const said = await sendTo(page, 'users', 'RegisterCustomer', 'u-9', { name: 'Linus', email: 'linus@example.com' });
  assert.match(said, /RegisterCustomer accepted in users/);
  await untilIdle(page);
  await users.getByText('customers (1 row)').waitFor();
  await users.getByRole('button', { name: 'customers (1 row)' }).click();
  await users.getByRole('region', { name: 'Documents of customers' }).getByText('linus@example.com').waitFor();
  // Change data capture publishes the row's change; the carts module's consumer registers a shopper.
  await page.getByRole('button', { name: 'Open module carts' }).click();
  const carts = page.getByRole('region', { name: 'Module carts' });
  await carts.getByRole('button', { name: /^shopper-u-9 \(1\)$/ }).click();
  await carts.getByRole('region', { name: 'Events of shopper-u-9' }).getByText('Linus').waitFor();
  await page.screenshot({ path: `${SHOTS}journey-6-users-row-reaches-carts.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

/** Opens the editor of a definition from the workspace's model panel. */
async function edit(page, what) {
  await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  await page.getByRole('button', { name: `Edit ${what}` }).click();
  return page.getByRole('dialog', { name: `Edit ${what}` });
}

/** Saves the open editor and returns what the status line says. */
async function save(page, dialog) {
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  return page.locator('.status-message').textContent();
}

test('4. a payment that never answers: the order process times out and releases the seats', async () => {
  const { page, errors } = await openConcert();
  // The gateway answers only after an hour.
  let dialog = await edit(page, 'external system PaymentGateway');
  await dialog.getByLabel('Answers after (ms)').fill('3600000');
  await dialog.getByLabel('Answers after (ms)').press('Tab');
  assert.match(await save(page, dialog), /Saved external system PaymentGateway\./);
  // The refactoring step: a deadline for the payment, and the seats released when it passes.
  dialog = await edit(page, 'process manager OrderFulfilment');
  await dialog.getByLabel('Timeouts it may schedule (names, separated by commas)').fill('PaymentDeadline');
  await dialog.getByLabel('Timeouts it may schedule (names, separated by commas)').press('Tab');
  await dialog.getByLabel('Compensations: [{"step": command, "undo": command}]')
    .fill('[{"step": "ReserveSeats", "undo": "ReleaseSeats"}]');
  const script = dialog.getByLabel('OrderFulfilment Script: evolve(state, input) and decide(input, state)');
  const source = await script.inputValue();
  const patched = source
    .replace('// Nothing is scheduled: an order nobody pays for keeps its seats for ever.\n            #{ commands:',
      '#{ schedule: [#{ name: "PaymentDeadline", afterMs: 900000, data: #{ orderId: d.orderId } }], commands:')
    .replace('        _ => { #{} }',
      '        "PaymentDeadline" => {\n            if state.status != "awaitingPayment" { return #{}; }\n'
      + '            #{ commands: [update(state.order, "cancelled", "not paid in time")], done: true, compensate: true }\n'
      + '        },\n        _ => { #{} }')
    .replace('        "PaymentFailed" => { if state.status == "awaitingPayment" { state.status = "cancelled"; } },',
      '        "PaymentFailed" => { if state.status == "awaitingPayment" { state.status = "cancelled"; } },\n'
      + '        "PaymentDeadline" => { if state.status == "awaitingPayment" { state.status = "expired"; } },');
  assert.notEqual(patched, source);
  await script.fill(patched);
  await dialog.locator('.editor-status').filter({ hasText: 'No problems' }).waitFor();
  const saved = await save(page, dialog);
  assert.match(saved, /Saved process manager OrderFulfilment/);
  assert.doesNotMatch(saved, /restarts/, 'a changed process runs at once');

  await page.getByRole('button', { name: 'System map' }).click();
  await openSales(page);
  await checkOut(page, 'k1', tenSeconds);
  await sendTo(page, 'payments', 'SubmitPayment', 'payment-k1', { orderId: 'k1', cardToken: 'tok-visa-4242' });
  await tenSeconds(page);
  const instance = page.getByRole('article', { name: 'OrderFulfilment k1' });
  await instance.getByText(/PaymentDeadline \(t-\d+\) fires in 1[45] min/).waitFor();
  await page.getByLabel('Clock speed').selectOption('100');
  await page.getByRole('button', { name: 'Play the clock' }).click();
  await instance.getByText('compensated').waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause the clock' }).click();
  await page.screenshot({ path: `${SHOTS}journey-4-deadline-compensates.png` });
  // The seats are back on sale.
  await page.getByRole('button', { name: 'Open module reservations' }).click();
  const reservations = page.getByRole('region', { name: 'Module reservations' });
  await reservations.getByRole('button', { name: /^SeatsLeft/ }).click();
  await reservations.getByRole('region', { name: 'Documents of SeatsLeft' })
    .getByText('"goldenCircle":{"capacity":4,"held":0,"left":4}').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

/** The Lost column of the links table, summed. */
async function lost(page) {
  const cells = await page.locator('table.system-links tbody tr td:nth-child(4)').allTextContents();
  return cells.reduce((sum, text) => sum + Number(text), 0);
}

/** Replays the run log with the seed shown and waits for the status line to say so. */
async function replay(page) {
  await page.getByRole('form', { name: 'Seed and replay' }).getByRole('button', { name: 'Replay' }).click();
  await page.locator('.status-message').filter({ hasText: /^Replayed \d+ inputs with seed/ }).waitFor();
}

test('1. a dual write loses an order; with an outbox the same run loses nothing', async () => {
  const { page, errors } = await openConcert();
  await openSales(page);
  await page.getByRole('button', { name: 'Dual write loses an order' }).click();
  for (const cart of ['k1', 'k2', 'k3', 'k4']) await checkOut(page, cart);
  const before = await lost(page);
  assert.ok(before > 0, 'a crash between the save and the publish loses messages');
  assert.match((await page.locator('.map-box .map-detail').allTextContents()).join(' | '), /\d+ lost/,
    'the box that lost them says so');
  await page.screenshot({ path: `${SHOTS}journey-1-dual-write-loses.png` });
  // The refactoring: every module that saved then published writes to an outbox instead.
  const switches = page.getByRole('form', { name: 'Seed and replay' });
  for (const module of ['carts', 'reservations', 'orders', 'payments', 'tickets']) {
    await switches.getByLabel(`Publishing of ${module}`).selectOption('outbox');
  }
  await replay(page);
  assert.equal(await lost(page), 0, 'the same seed and inputs lose nothing through an outbox');
  assert.doesNotMatch((await page.locator('.map-box .map-detail').allTextContents()).join(' | '), /lost/);
  const orders = await page.locator('table.system-links tbody tr', { hasText: 'StartOrders' }).locator('td:nth-child(9)').textContent();
  assert.equal(Number(orders), 4, 'every checkout became an order');
  await page.screenshot({ path: `${SHOTS}journey-1-outbox-loses-nothing.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

/** Stages *Duplicate payment*, checks cart k1 out and pays for it, the clock run until idle; the
 * payment gateway's box on the map. */
async function payTwice(page) {
  await openSales(page);
  await page.getByRole('button', { name: 'Duplicate payment' }).click();
  await checkOut(page, 'k1');
  await sendTo(page, 'payments', 'SubmitPayment', 'payment-k1', { orderId: 'k1', cardToken: 'tok-visa-4242' });
  await untilIdle(page);
  return page.locator('.map-box.external', { hasText: 'PaymentGateway' });
}

test('2. a duplicate delivery charges a card twice; with an inbox, once', async () => {
  const { page, errors } = await openConcert();
  const gateway = await payTwice(page);
  assert.match(await gateway.textContent(), /2 calls/, 'charged twice');
  // The consumer that charges: its deliveries show the copy it handled.
  await page.getByRole('button', { name: 'payments.PaymentSubmitted to ChargeCards' }).dispatchEvent('click');
  const consumer = page.getByRole('region', { name: 'Consumer ChargeCards' });
  await consumer.getByText(/Deliveries, newest first/).waitFor();
  await page.screenshot({ path: `${SHOTS}journey-2-charged-twice.png` });
  await consumer.getByRole('button', { name: 'Turn on' }).click();
  await page.locator('.status-message').filter({ hasText: 'The inbox of ChargeCards is on' }).waitFor();
  await replay(page);
  assert.match(await gateway.textContent(), /1 call\b/, 'the inbox dropped the copy: charged once');
  await page.getByRole('button', { name: 'payments.PaymentSubmitted to ChargeCards' }).dispatchEvent('click');
  await consumer.locator('summary', { hasText: /1 duplicates dropped/ }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a reload brings the system back where it was: the charge made twice, the clock, the run log', async () => {
  const { page, errors } = await openConcert();
  const gateway = await payTwice(page);
  const seen = async () => ({
    gateway: await gateway.textContent(),
    clock: await page.locator('.system-clock').textContent(),
    links: await page.getByRole('region', { name: 'Subscriptions' }).textContent(),
  });
  // The clock played a moment and paused: what shows is where it stopped.
  await page.getByLabel('Clock speed').selectOption('10');
  await page.getByRole('button', { name: 'Play the clock' }).click();
  await page.waitForTimeout(700);
  await page.getByRole('button', { name: 'Pause the clock' }).click();
  const before = await seen();
  assert.match(before.gateway, /2 calls/);
  assert.doesNotMatch(before.clock, / 0\.000 s/);
  // No wait for the autosave: leaving the page saves what is not saved yet.
  await page.reload();
  await page.locator('.brand').waitFor();
  await page.getByRole('button', { name: 'System map' }).click();
  await page.locator('.system-map svg').waitFor();
  assert.deepEqual(await seen(), before);
  await page.screenshot({ path: `${SHOTS}system-after-reload.png` });
  // The run goes on from there: a replay with the same seed gives the same figures.
  await replay(page);
  assert.deepEqual(await seen(), before);
  assert.deepEqual(errors, []);
  await page.close();
});

test('3. a poison message is parked after its retries; fixed and replayed, nothing is parked', async () => {
  const { page, errors } = await openConcert();
  await page.getByRole('button', { name: 'Poison message' }).click();
  await untilIdle(page);
  const letters = page.getByRole('region', { name: 'Dead letters' });
  await letters.getByText('StartOrders: 1 parked').waitFor();
  assert.match(await letters.textContent(), /after 4 attempts/);
  await page.screenshot({ path: `${SHOTS}journey-3-parked.png` });
  // The fix: the consumer skips what is no checkout instead of failing on it.
  const dialog = await edit(page, 'consumer StartOrders');
  const script = dialog.getByLabel('StartOrders Script: handle(message)');
  const source = await script.inputValue();
  await script.fill(source.replace('fn handle(message) {\n',
    'fn handle(message) {\n    if type_of(message.data) != "map" { return []; }\n'));
  await dialog.locator('.editor-status').filter({ hasText: 'No problems' }).waitFor();
  await save(page, dialog);
  await page.getByRole('button', { name: 'System map' }).click();
  await letters.getByRole('button', { name: 'Replay', exact: true }).click();
  await untilIdle(page);
  await letters.getByText('No message is parked.', { exact: false }).waitFor();
  const parked = await page.locator('table.system-links tbody tr td:nth-child(5)').allTextContents();
  assert.deepEqual([...new Set(parked)], ['0'], 'the parked count is back to 0 everywhere');
  assert.deepEqual(errors, []);
  await page.close();
});

test('5. one purchase traced across the modules, node by node', async () => {
  const { page, errors } = await openConcert();
  await openSales(page);
  const stream = 'cart-k1';
  await sendTo(page, 'carts', 'OpenCart', stream, { cartId: 'k1', customerId: 'u-1' });
  await sendTo(page, 'carts', 'AddTickets', stream,
    { cartId: 'k1', concertId: 'warsaw', tier: 'goldenCircle', quantity: 2, unitPrice: 60000 });
  const confirmed = await sendTo(page, 'carts', 'ConfirmCart', stream, { cartId: 'k1', email: 'u-1@example.com' });
  const correlation = confirmed.match(/correlation (\S+)\)/)[1];
  await untilIdle(page);
  const trace = page.getByRole('region', { name: 'Trace' });
  await trace.getByLabel('Correlation or event id').fill(correlation);
  await trace.getByRole('button', { name: 'Trace', exact: true }).click();
  const graph = trace.getByRole('group', { name: `Causal graph of ${correlation}` });
  await graph.waitFor();
  const nodes = await graph.locator('[data-node]').evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')));
  const modules = new Set(nodes.map((label) => label.match(/ in ([^:]+):/)?.[1]));
  for (const module of ['carts', 'orders', 'reservations', 'payments']) {
    assert.ok(modules.has(module), `${module} in ${[...modules]}`);
  }
  // Click the first node, then follow what it caused twice.
  await graph.locator('[data-node]').first().click();
  const details = trace.getByRole('complementary', { name: 'Node details' });
  await details.getByText('started a chain').waitFor();
  for (let step = 0; step < 2; step += 1) {
    const next = details.getByRole('region', { name: 'Caused', exact: true }).getByRole('button').first();
    const label = await next.textContent();
    await next.click();
    await details.locator('h4').filter({ hasText: label.split(':')[0] }).waitFor();
    assert.ok(await details.getByRole('region', { name: 'Caused by' }).getByRole('button').count() > 0);
  }
  await page.screenshot({ path: `${SHOTS}journey-5-trace.png` });
  assert.deepEqual(errors, []);
  await page.close();
});
