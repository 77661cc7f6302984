// The Simulation class as Node sees it: the crate built by `wasm-pack build --target nodejs` into
// pkg/node (see scripts/test.sh), running the built-in shopping cart. Every member is exercised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsCode } from './support.mjs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Simulation, EventStore } = require('../../pkg/node/eventarium.js');

const cartText = readFileSync(new URL('../../static/scenarios/shopping-cart.eventarium.json', import.meta.url), 'utf8');
const cartDocument = () => JSON.parse(cartText);

const open = (id, customer = 'c-7') => ({
  command: 'OpenCart',
  streamId: `cart-${id}`,
  data: { cartId: id, customerId: customer },
});
const add = (id, productId, qty = 1, unitPrice = 150) => ({
  command: 'AddItem',
  streamId: `cart-${id}`,
  data: { cartId: id, productId, qty, unitPrice },
});

/**
 * The built-in shopping cart with two carts filled and one confirmed: 6 events, all projected, and
 * the purchase its async policy recorded in customer-c-7 (position 6).
 */
function filledCart() {
  const sim = Simulation.builtIn('shopping-cart');
  sim.execute(open('1'));
  sim.execute(add('1', 'A', 2));
  sim.execute(add('1', 'B', 1, 999));
  sim.execute(open('2', 'c-8'));
  sim.execute(add('2', 'A', 3));
  sim.execute({ command: 'ConfirmCart', streamId: 'cart-1', data: { cartId: '1' } });
  sim.runUntilIdle();
  return sim;
}

/** The async ItemsAddedPerProduct projection as a script that fails on product `BAD`. */
const failingCounter = {
  name: 'ItemsAddedPerProduct',
  version: 1,
  source: { eventTypes: ['ItemAdded'] },
  lifecycle: 'async',
  key: 'data.productId',
  logic: {
    script: [
      'fn on_ItemAdded(doc, event) {',
      '    if event.data.productId == "BAD" { throw "cannot count " + event.data.productId; }',
      '    print("counting " + event.data.productId);',
      '    let count = if type_of(doc) == "()" { 0 } else { doc.count };',
      '    #{ count: count + 1 }',
      '}',
    ].join('\n'),
  },
};

test('the built-in shopping cart loads by file id and by name, with its projections', () => {
  const sim = Simulation.builtIn('shopping-cart');
  assert.equal(sim.head(), 0);
  const projections = sim.projections();
  assert.deepEqual(
    projections.map((p) => [p.name, p.lifecycle, p.state, p.version]),
    [
      ['CartSummary', 'inline', 'live', 1],
      ['ItemsAddedPerProduct', 'async', 'live', 1],
    ],
  );
  assert.deepEqual(sim.projection('CartSummary'), projections[0]);
  assert.equal(Simulation.builtIn('Shopping cart').projections().length, 2);
  assert.equal(Simulation.fromScenario(cartText).head(), 0);
});

test('execute appends the decided events; a broken rule is a rejection that appends nothing', () => {
  const sim = Simulation.builtIn('shopping-cart');
  const opened = sim.execute(open('1'));
  assert.equal(opened.outcome, 'accepted');
  assert.deepEqual(opened.events, [{ type: 'CartOpened', schemaVersion: 1, data: { cartId: '1', customerId: 'c-7' } }]);
  assert.deepEqual(opened.positions, [0]);
  assert.equal(opened.nextExpectedRevision, 0);
  assert.equal(opened.commandId, 'cmd-1');
  assert.equal(opened.rejection, undefined);

  const added = sim.execute(add('1', 'A', 2));
  assert.deepEqual(added.events, [
    { type: 'ItemAdded', schemaVersion: 2, data: { cartId: '1', productId: 'A', qty: 2, unitPrice: 150, currency: 'EUR' } },
  ]);
  assert.deepEqual(added.positions, [1]);
  assert.equal(added.nextExpectedRevision, 1);

  const again = sim.execute(open('1'));
  assert.equal(again.outcome, 'rejected');
  assert.equal(again.rejection, 'cart already opened');
  assert.deepEqual(again.events, []);
  assert.deepEqual(again.positions, []);
  assert.equal(again.nextExpectedRevision, 1);
  assert.equal(sim.head(), 2);

  const empty = sim.execute({ ...add('2', 'A'), expected: 'any' });
  assert.equal(empty.rejection, 'cart is not open');
  assert.equal(empty.nextExpectedRevision, 'no_stream');
});

test('two participants, one cart: both decide, the first commit wins, the second conflicts', () => {
  const sim = Simulation.builtIn('shopping-cart');
  sim.execute(open('1'));
  const ann = sim.decide(add('1', 'A'));
  const bob = sim.decide(add('1', 'B'));
  assert.notEqual(ann.decisionId, bob.decisionId);
  assert.equal(typeof ann.decisionId, 'number');
  assert.equal(ann.outcome, 'accepted');
  assert.equal(ann.positions, undefined);
  assert.equal(ann.attempts, undefined);
  assert.equal(sim.head(), 1, 'deciding writes nothing');

  assert.deepEqual(sim.commit(ann.decisionId), { positions: [1], nextExpectedRevision: 1 });
  const err = throwsCode(() => sim.commit(bob.decisionId), 'WrongExpectedVersion');
  assert.equal(err.streamId, 'cart-1');
  assert.equal(err.expected, 0);
  assert.equal(err.actual, 1);
  assert.equal(sim.head(), 2);

  // Both decisions are used up, the failed one too.
  throwsCode(() => sim.commit(ann.decisionId), 'Unknown');
  throwsCode(() => sim.commit(bob.decisionId), 'Unknown');
  throwsCode(() => sim.commit(12345), 'Unknown');
  throwsCode(() => sim.commit(-1), 'Unknown');
});

test('a rejected decision commits nothing; retries leave a conflict-free command at one attempt', () => {
  const sim = Simulation.builtIn('shopping-cart');
  const rejected = sim.decide(add('1', 'A'));
  assert.equal(rejected.outcome, 'rejected');
  assert.deepEqual(sim.commit(rejected.decisionId), { positions: [], nextExpectedRevision: 'no_stream' });

  assert.equal(sim.execute({ ...open('1'), retries: 3 }).attempts, 1);
  const exact = sim.execute({ ...add('1', 'A'), expected: 0 });
  assert.deepEqual(exact.positions, [1]);
  throwsCode(() => sim.execute({ ...add('1', 'B'), expected: 0 }), 'WrongExpectedVersion');
  assert.deepEqual(sim.execute({ ...open('2'), expected: 'no_stream' }).positions, [2]);
  throwsCode(() => sim.execute({ ...add('2', 'B'), expected: 'no_stream' }), 'WrongExpectedVersion');
});

test('correlation and causation ids reach the appended events', () => {
  const sim = Simulation.builtIn('shopping-cart');
  const first = sim.execute(open('1'));
  assert.equal(first.correlationId, first.commandId);
  assert.equal(first.causationId, first.commandId);
  const second = sim.execute({ ...add('1', 'A'), correlationId: 'session-9', causationId: 'click-3' });
  assert.equal(second.correlationId, 'session-9');
  assert.equal(second.causationId, 'click-3');

  const { events } = JSON.parse(sim.exportStore());
  assert.deepEqual(
    events.map((e) => [e.position, e.correlation_id, e.causation_id, e.headers.command]),
    [
      [0, first.commandId, first.commandId, 'OpenCart'],
      [1, 'session-9', 'click-3', 'AddItem'],
    ],
  );
});

test('after runUntilIdle every projection is live with lag 0 and holds its documents', () => {
  const sim = filledCart();
  for (const status of sim.projections()) {
    assert.equal(status.state, 'live', status.name);
    assert.equal(status.lag, 0, status.name);
    assert.equal(status.checkpoint, sim.head(), status.name);
  }
  assert.deepEqual(sim.documents('CartSummary'), {
    1: {
      cartId: '1',
      customerId: 'c-7',
      status: 'confirmed',
      lines: { A: { qty: 2, unitPrice: 150 }, B: { qty: 1, unitPrice: 999 } },
      total: 1299,
    },
    2: { cartId: '2', customerId: 'c-8', status: 'open', lines: { A: { qty: 3, unitPrice: 150 } }, total: 450 },
  });
  assert.deepEqual(sim.documents('ItemsAddedPerProduct'), { A: { count: 2 }, B: { count: 1 } });
  assert.deepEqual(sim.document('ItemsAddedPerProduct', 'B'), { count: 1 });
  assert.equal(sim.document('ItemsAddedPerProduct', 'Z'), null);
  assert.equal(sim.projection('CartSummary').documents, 2);
});

test('an async projection lags until stepped; step reports its events and timing', () => {
  const sim = Simulation.builtIn('shopping-cart');
  sim.execute(open('1'));
  sim.execute(add('1', 'A'));
  sim.execute(add('1', 'B'));
  assert.equal(sim.projection('CartSummary').lag, 0, 'inline: updated with the append');
  const behind = sim.projection('ItemsAddedPerProduct');
  assert.equal(behind.state, 'catchingUp');
  assert.equal(behind.lag, 3);

  const first = sim.step(2);
  assert.equal(first.events, 4, 'two each: the async projection and the async policy');
  assert.equal(first.idle, false);
  assert.deepEqual(first.switched, []);
  assert.equal(typeof first.elapsedMs, 'number');
  assert.ok(first.elapsedMs >= 0);
  assert.ok(first.eventsPerSecond >= 0);
  assert.equal(first.eventsPerSecond === 0, first.elapsedMs === 0);
  assert.equal(sim.projection('ItemsAddedPerProduct').lag, 1);
  assert.equal(sim.step(2).idle, true);
  assert.equal(sim.runUntilIdle(), 0);
});

test('policies run in the steps: a confirmed cart is recorded once, under the policy as sender', () => {
  const sim = filledCart();
  const { raw } = sim.event(6);
  assert.deepEqual(
    [raw.streamId, raw.type, raw.data],
    ['customer-c-7', 'PurchaseRecorded', { customerId: 'c-7', cartId: '1', total: 1299 }],
  );
  const { events } = JSON.parse(sim.exportStore());
  const [confirmed, recorded] = [events[5], events[6]];
  assert.equal(recorded.correlation_id, confirmed.correlation_id);
  assert.match(recorded.causation_id, /^[0-9a-f-]{36}$/i, 'the id of the event it reacted to');
  assert.deepEqual(recorded.headers, {
    command: 'RecordPurchase',
    policyDepth: '1',
    sender: 'RecordPurchaseOnConfirmation',
  });
  const status = {
    name: 'RecordPurchaseOnConfirmation', lifecycle: 'async', state: 'live', checkpoint: 7, lag: 0,
    commandsSent: 1, rejections: 0, lastRejection: null, stopped: null, skipped: [],
  };
  assert.deepEqual(sim.policies(), [status]);

  const byAnn = sim.execute({ ...add('2', 'B'), sender: 'ann' });
  assert.equal(byAnn.sender, 'ann');
  assert.equal(sim.execute(add('2', 'B')).sender, 'user');
  assert.deepEqual(sim.policies()[0], { ...status, state: 'catchingUp', lag: 2 });
  sim.runUntilIdle();
  assert.deepEqual(sim.policies()[0], { ...status, checkpoint: 9 }, 'no cart confirmed: nothing sent');
});

test('a handler that throws stops its projection at the poison event; skip moves past it', () => {
  const sim = Simulation.builtIn('shopping-cart');
  sim.replaceProjection(JSON.stringify(failingCounter));
  sim.execute(open('1'));
  sim.execute(add('1', 'A'));
  const bad = sim.execute(add('1', 'BAD')).positions[0];
  sim.execute(add('1', 'C'));
  sim.step(100);

  const stopped = sim.projection('ItemsAddedPerProduct');
  assert.equal(stopped.state, 'stopped');
  assert.equal(stopped.checkpoint, bad);
  assert.equal(stopped.poison.position, bad);
  assert.equal(stopped.poison.streamId, 'cart-1');
  assert.equal(stopped.poison.eventType, 'ItemAdded');
  assert.match(stopped.poison.error, /cannot count BAD/);
  assert.deepEqual(sim.documents('ItemsAddedPerProduct'), { A: { count: 1 } });
  assert.deepEqual(sim.takeLog(), ['counting A']);
  assert.equal(sim.projection('CartSummary').state, 'live', 'the other projections keep running');
  assert.equal(sim.step(100).idle, true, 'a stopped projection leaves nothing to step');

  const skipped = sim.skip('ItemsAddedPerProduct');
  assert.deepEqual(skipped, stopped.poison);
  sim.runUntilIdle();
  const resumed = sim.projection('ItemsAddedPerProduct');
  assert.equal(resumed.state, 'live');
  assert.equal(resumed.poison, null);
  assert.deepEqual(resumed.skipped, [skipped]);
  assert.deepEqual(sim.documents('ItemsAddedPerProduct'), { A: { count: 1 }, C: { count: 1 } });
  assert.deepEqual(sim.takeLog(), ['counting C']);
  assert.deepEqual(sim.takeLog(), []);
  throwsCode(() => sim.skip('ItemsAddedPerProduct'), 'BadResult');
});

test('replacing a stopped projection with a fixed handler resumes it at the poison event', () => {
  const sim = Simulation.builtIn('shopping-cart');
  sim.replaceProjection(failingCounter);
  sim.execute(open('1'));
  sim.execute(add('1', 'BAD'));
  sim.runUntilIdle();
  assert.equal(sim.projection('ItemsAddedPerProduct').state, 'stopped');
  sim.replaceProjection({ ...failingCounter, logic: { template: 'countByKey' } });
  sim.runUntilIdle();
  assert.equal(sim.projection('ItemsAddedPerProduct').state, 'live');
  assert.deepEqual(sim.documents('ItemsAddedPerProduct'), { BAD: { count: 1 } });
});

test('an inline handler that fails rejects the append with InlineProjectionFailed', () => {
  const sim = Simulation.builtIn('shopping-cart');
  sim.execute(open('1'));
  const summary = cartDocument().model.projections[0];
  summary.logic.script = summary.logic.script.replace(
    'fn on_ItemAdded(doc, event) {',
    'fn on_ItemAdded(doc, event) {\n    if event.data.qty > 9 { throw "too many"; }',
  );
  sim.replaceProjection(summary);
  const err = throwsCode(() => sim.execute(add('1', 'A', 10)), 'InlineProjectionFailed');
  assert.equal(err.projection, 'CartSummary');
  assert.equal(err.cause.code, 'ScriptError');
  assert.equal(err.cause.owner, 'projection CartSummary');
  assert.equal(sim.head(), 1, 'nothing was appended');
  assert.deepEqual(sim.execute(add('1', 'A', 9)).positions, [1]);
});

test('an inline projection stopped on an error refuses the appends it reads with InlineProjectionStopped', () => {
  const sim = Simulation.builtIn('shopping-cart');
  sim.execute(open('1'));
  sim.execute(add('1', 'A', 50));
  const summary = cartDocument().model.projections[0];
  summary.logic.script = summary.logic.script.replace(
    'fn on_ItemAdded(doc, event) {',
    'fn on_ItemAdded(doc, event) {\n    if event.data.qty > 9 { throw "too many"; }',
  );
  sim.replaceProjection(summary);
  sim.rebuild('CartSummary');
  sim.runUntilIdle();
  assert.equal(sim.projection('CartSummary').state, 'stopped');
  const err = throwsCode(() => sim.execute(open('2')), 'InlineProjectionStopped');
  assert.equal(err.projection, 'CartSummary');
  assert.equal(err.position, 1);
  assert.match(err.reason, /too many/);
  assert.equal(sim.head(), 2, 'nothing was appended');
  const purchase = { command: 'RecordPurchase', streamId: 'customer-7', data: { customerId: '7', cartId: '1', total: 1 } };
  assert.deepEqual(sim.execute(purchase).positions, [2], 'what it does not read goes on');
  assert.ok(sim.findings().some((f) => f.code === 'stopped-projection' && f.severity === 'critical'));
});

test('an in-place rebuild replays from position 0 to the same documents', () => {
  const sim = filledCart();
  const before = sim.documents('CartSummary');
  const head = sim.head();
  assert.deepEqual(sim.rebuild('CartSummary'), { processed: 0, total: head, guarded: true });
  const rebuilding = sim.projection('CartSummary');
  assert.equal(rebuilding.state, 'rebuilding');
  assert.equal(rebuilding.documents, 0);
  assert.deepEqual(rebuilding.rebuild, { processed: 0, total: head, guarded: true });

  sim.step(2);
  assert.deepEqual(sim.projection('CartSummary').rebuild, { processed: 2, total: head, guarded: true });
  sim.runUntilIdle();
  const done = sim.projection('CartSummary');
  assert.equal(done.state, 'live');
  assert.equal(done.rebuild, null);
  assert.deepEqual(sim.documents('CartSummary'), before);
});

test('a blue-green build of the next version switches in; its documents equal an in-place rebuild', () => {
  const sim = filledCart();
  const next = {
    name: 'ItemsAddedPerProduct',
    version: 2,
    source: { eventTypes: ['ItemAdded'] },
    lifecycle: 'async',
    key: 'data.productId',
    logic: { template: { sumByKey: { field: 'data.qty' } } },
  };
  const started = sim.startBlueGreen(JSON.stringify(next), 0);
  assert.deepEqual(started, { version: 2, checkpoint: 0, lag: sim.head(), switchLag: 0, held: false, documents: 0, poison: null });
  assert.equal(sim.projection('ItemsAddedPerProduct').blueGreen.version, 2);
  assert.deepEqual(sim.documents('ItemsAddedPerProduct'), { A: { count: 2 }, B: { count: 1 } }, 'v1 stays live');

  const switched = [];
  for (let i = 0; i < 10 && switched.length === 0; i++) switched.push(...sim.step(2).switched);
  assert.deepEqual(switched, ['ItemsAddedPerProduct']);
  const status = sim.projection('ItemsAddedPerProduct');
  assert.equal(status.version, 2);
  assert.equal(status.blueGreen, null);
  assert.equal(status.lag, 0);
  const blueGreen = sim.documents('ItemsAddedPerProduct');
  assert.deepEqual(blueGreen, { A: { sum: 5 }, B: { sum: 1 } });

  sim.rebuild('ItemsAddedPerProduct');
  sim.runUntilIdle();
  assert.deepEqual(sim.documents('ItemsAddedPerProduct'), blueGreen);
});

test('a blue-green build can be cancelled; the running version is untouched', () => {
  const sim = filledCart();
  const next = { ...failingCounter, version: 2, logic: { template: 'countByKey' } };
  sim.startBlueGreen(next);
  throwsCode(() => sim.startBlueGreen(next, 1), 'BadResult');
  sim.cancelBlueGreen('ItemsAddedPerProduct');
  assert.equal(sim.projection('ItemsAddedPerProduct').blueGreen, null);
  assert.equal(sim.projection('ItemsAddedPerProduct').version, 1);
  throwsCode(() => sim.cancelBlueGreen('ItemsAddedPerProduct'), 'Unknown');
  throwsCode(() => sim.startBlueGreen({ ...next, version: 1 }, 0), 'BadResult');
  throwsCode(() => sim.startBlueGreen(next, -1), 'InvalidInput');
});

test('time travel: a stream state and documents as of a position', () => {
  const sim = filledCart();
  const last = sim.head() - 1;
  const final = { status: 'confirmed', customerId: 'c-7', items: { A: { qty: 2, unitPrice: 150 }, B: { qty: 1, unitPrice: 999 } } };
  assert.deepEqual(sim.streamStateAt('cart-1', last), final);
  assert.deepEqual(sim.streamStateAt('cart-1', 1_000_000), final);
  assert.deepEqual(sim.streamStateAt('cart-1', 1), { status: 'open', customerId: 'c-7', items: { A: { qty: 2, unitPrice: 150 } } });
  assert.deepEqual(sim.streamStateAt('cart-3', last), { status: 'none', customerId: '', items: {} });

  assert.deepEqual(sim.documentsAt('CartSummary', last), sim.documents('CartSummary'));
  const early = sim.documentsAt('CartSummary', 0);
  assert.deepEqual(Object.keys(early), ['1']);
  assert.equal(early[1].total, 0);
  assert.equal(sim.documents('CartSummary')[1].total, 1299, 'the live documents are untouched');

  throwsCode(() => sim.streamStateAt('order-1', last), 'Unknown');
  throwsCode(() => sim.streamStateAt('cart-1', 1.5), 'InvalidInput');
  throwsCode(() => sim.documentsAt('Nope', 0), 'Unknown');
});

test('an event stored at version 1 is read raw and upcast to version 2', () => {
  const store = new EventStore({ seed: 42 });
  store.append('cart-9', [{ type: 'CartOpened', data: { cartId: '9', customerId: 'c-1' } }], 'no_stream');
  store.append('cart-9', [{ type: 'ItemAdded', schemaVersion: 1, data: { cartId: '9', sku: 'A', qty: 2, unitPrice: 150 } }], 0);
  const sim = Simulation.fromScenario({ ...cartDocument(), events: JSON.parse(store.exportJson()) });
  assert.equal(sim.head(), 2);

  const { raw, upcasted } = sim.event(1);
  const place = { streamId: 'cart-9', revision: 1, position: 1, type: 'ItemAdded' };
  assert.deepEqual(raw, { ...place, schemaVersion: 1, data: { cartId: '9', sku: 'A', qty: 2, unitPrice: 150 } });
  assert.deepEqual(upcasted, [
    { ...place, schemaVersion: 2, data: { cartId: '9', productId: 'A', qty: 2, unitPrice: 150, currency: 'EUR' } },
  ]);
  assert.deepEqual(sim.event(0).upcasted, [sim.event(0).raw]);

  sim.runUntilIdle();
  assert.deepEqual(sim.documents('ItemsAddedPerProduct'), { A: { count: 1 } });
  assert.deepEqual(sim.streamStateAt('cart-9', 1).items, { A: { qty: 2, unitPrice: 150 } });
  assert.deepEqual(sim.execute(add('9', 'A')).positions, [2]);
  throwsCode(() => sim.event(99), 'Unknown');
});

test('the clock moves forward and stamps the events that follow', () => {
  const sim = Simulation.builtIn('shopping-cart');
  sim.execute(open('1'));
  assert.equal(sim.advanceClock(60_000), 60_000);
  sim.execute(add('1', 'A'));
  const { events } = JSON.parse(sim.exportStore());
  assert.deepEqual(events.map((e) => e.timestamp_ms), [0, 60_000]);
  throwsCode(() => sim.advanceClock(-5), 'InvalidInput');
});

test('a scenario that does not import throws InvalidScenario with its problems', () => {
  const document = cartDocument();
  document.model.commands[0].streamType = 'Basket';
  const err = throwsCode(() => Simulation.fromScenario(JSON.stringify(document)), 'InvalidScenario');
  assert.ok(Array.isArray(err.problems));
  assert.ok(err.problems.length >= 1);
  const problem = err.problems.find((p) => p.path === 'model.commands[0].streamType');
  assert.ok(problem, JSON.stringify(err.problems));
  assert.match(problem.message, /Basket/);
  assert.match(err.message, /model\.commands\[0\]\.streamType/);

  const syntax = throwsCode(() => Simulation.fromScenario('{ "format": '), 'InvalidScenario');
  assert.equal(syntax.problems[0].path, '');
  assert.match(syntax.problems[0].message, /invalid json/);
  throwsCode(() => Simulation.fromScenario(undefined), 'InvalidInput');
  const unknown = throwsCode(() => Simulation.builtIn('pet-shop'), 'Unknown');
  assert.equal(unknown.what, 'built-in scenario');
  assert.equal(unknown.unknownName, 'pet-shop');
});

test('bad commands and arguments throw Errors with stable codes and details', () => {
  const sim = Simulation.builtIn('shopping-cart');
  const unknown = throwsCode(() => sim.execute({ command: 'Teleport', streamId: 'cart-1' }), 'Unknown');
  assert.equal(unknown.what, 'command');
  assert.equal(unknown.unknownName, 'Teleport');
  assert.equal(unknown.name, 'Unknown');
  const wrong = throwsCode(() => sim.execute({ ...open('1'), streamId: 'order-1' }), 'WrongStream');
  assert.equal(wrong.streamId, 'order-1');
  assert.equal(wrong.streamType, 'Cart');
  const payload = throwsCode(() => sim.execute({ ...open('1'), data: { cartId: '1' } }), 'InvalidPayload');
  assert.equal(payload.path, 'customerId');
  throwsCode(() => sim.execute({ ...open('1'), expected: 'stream_exists' }), 'InvalidInput');
  throwsCode(() => sim.execute({ ...open('1'), expected: -1 }), 'InvalidInput');
  throwsCode(() => sim.execute({ ...open('1'), colour: 'red' }), 'InvalidInput');
  throwsCode(() => sim.execute({ command: 'OpenCart' }), 'InvalidInput');
  throwsCode(() => sim.decide(null), 'InvalidInput');
  assert.equal(sim.head(), 0);

  throwsCode(() => sim.projection('Nope'), 'Unknown');
  throwsCode(() => sim.documents('Nope'), 'Unknown');
  throwsCode(() => sim.document('Nope', '1'), 'Unknown');
  throwsCode(() => sim.rebuild('Nope'), 'Unknown');
  throwsCode(() => sim.skip('Nope'), 'Unknown');
  throwsCode(() => sim.step(-1), 'InvalidInput');

  throwsCode(() => sim.replaceProjection('{ "name": '), 'InvalidInput');
  throwsCode(() => sim.replaceProjection({ name: 'CartSummary' }), 'InvalidInput');
  throwsCode(() => sim.replaceProjection({ ...failingCounter, key: 'cartId' }), 'InvalidInput');
  throwsCode(() => sim.replaceProjection({ ...failingCounter, name: 'Nope' }), 'Unknown');
  throwsCode(() => sim.replaceProjection({ ...failingCounter, version: 2 }), 'BadResult');
  const script = throwsCode(
    () => sim.replaceProjection({ ...failingCounter, logic: { script: 'fn on_ItemAdded(doc, event) {\n  doc +\n}' } }),
    'ScriptError',
  );
  assert.equal(script.owner, 'projection ItemsAddedPerProduct');
  assert.equal(typeof script.line, 'number');
  assert.equal(typeof script.column, 'number');
  assert.equal(sim.projection('ItemsAddedPerProduct').version, 1, 'a refused definition changes nothing');
});

const cartsGenerator = (instances) => ({
  name: 'Busy shop',
  instances,
  streamId: 'cart-{n}',
  concurrency: 5,
  intervalMs: 500,
  plan: {
    steps: [
      { command: 'OpenCart', data: { cartId: '{n}', customerId: 'c-{random:1..9}' } },
      { command: 'AddItem', data: { cartId: '{n}', productId: 'p-{random:1..5}', qty: '{random:1..3}', unitPrice: 100 }, repeat: [3, 20] },
      { command: 'ConfirmCart', data: { cartId: '{n}' }, probability: 0.8 },
    ],
  },
});

test('a load generator sends seeded traffic in ticks, pauses, steps one and resumes', () => {
  const sim = Simulation.builtIn('shopping-cart');
  assert.equal(sim.loadStatus(), null);
  const started = sim.startLoad(cartsGenerator(20));
  assert.equal(started.commandsSent, 0);
  const first = sim.loadTick(10);
  assert.equal(first.commands, 10);
  sim.loadPause();
  assert.equal(sim.loadTick(10).commands, 0, 'paused: nothing is sent');
  assert.equal(sim.loadStepOne().commands, 1, 'one command even while paused');
  sim.loadResume();
  while (!sim.loadTick(50).done) { /* until every cart is done */ }
  const status = sim.loadStatus();
  assert.equal(status.done, true);
  assert.equal(status.instancesDone, 20);
  assert.equal(status.accepted + status.rejected + status.failed, status.commandsSent);
  assert.equal(status.simulatedMs, status.commandsSent * 500);
  assert.equal(sim.head(), status.accepted, 'each accepted command appended one event');

  // The same scenario seed and generator write the same store.
  const again = Simulation.builtIn('shopping-cart');
  again.startLoad(JSON.stringify(cartsGenerator(20)));
  while (!again.loadTick(7).done) { /* other tick sizes */ }
  assert.equal(again.exportStore(), sim.exportStore());
  sim.stopLoad();
  assert.equal(sim.loadStatus(), null);
});

test('a bad load generator throws InvalidLoadGenerator with every problem; no generator throws Unknown', () => {
  const sim = Simulation.builtIn('shopping-cart');
  const bad = cartsGenerator(0);
  bad.plan.steps[1].command = 'AddItm';
  assert.throws(() => sim.startLoad(bad), (error) => {
    assert.equal(error.code, 'InvalidLoadGenerator');
    const paths = error.problems.map((p) => p.path);
    assert.ok(paths.includes('instances'), paths.join());
    assert.ok(paths.includes('plan.steps[1].command'), paths.join());
    return true;
  });
  assert.throws(() => sim.startLoad('{"name": '), { code: 'InvalidInput' });
  assert.throws(() => sim.loadTick(1), { code: 'Unknown' });
});

test('findings explain each anti-pattern found in the model and the store, with stable ids', () => {
  const document = cartDocument();
  document.model.eventTypes.push({
    name: 'CartNoteCreated',
    versions: [{ version: 1, fields: [{ name: 'note', type: 'string', required: true }] }],
  });
  const sim = Simulation.fromScenario(document);
  const findings = sim.findings();
  const crud = findings.find((f) => f.code === 'crud-sourcing');
  assert.ok(crud, JSON.stringify(findings.map((f) => f.id)));
  assert.equal(crud.id, 'crud-sourcing:event type CartNoteCreated');
  assert.deepEqual(crud.subject, { kind: 'eventType', name: 'CartNoteCreated' });
  assert.ok(crud.why.length > 20 && crud.fix.length > 20 && crud.learnMore.startsWith('https://'));
  const ids = findings.map((f) => f.id);
  assert.deepEqual(ids, [...ids].sort(), 'sorted by id');
  assert.deepEqual(Simulation.fromScenario(document).findings().map((f) => f.id), ids, 'stable from run to run');
});

test('findings follow the commands: the oversized-stream and hot-stream warnings appear as a cart grows and conflicts', () => {
  const document = cartDocument();
  document.settings.lint = { 'oversized-stream': { info: 5, warning: 8, critical: 50 }, 'hot-stream': { conflicts: 1 } };
  const sim = Simulation.fromScenario(document);
  const ids = () => sim.findings().map((f) => f.id);
  assert.ok(!ids().includes('oversized-stream:stream cart-9'), 'nothing before the commands');
  sim.execute({ command: 'OpenCart', streamId: 'cart-9', data: { cartId: '9', customerId: 'c-9' } });
  const add = (productId) => ({ command: 'AddItem', streamId: 'cart-9', data: { cartId: '9', productId, qty: 1, unitPrice: 5 } });
  for (let i = 0; i < 7; i++) sim.execute(add(`p-${i}`));
  const oversized = sim.findings().find((f) => f.id === 'oversized-stream:stream cart-9');
  assert.equal(oversized?.severity, 'warning', JSON.stringify(ids()));
  const a = sim.decide(add('x'));
  const b = sim.decide(add('y'));
  sim.commit(a.decisionId);
  assert.throws(() => sim.commit(b.decisionId), { code: 'WrongExpectedVersion' });
  const hot = sim.findings().find((f) => f.id === 'hot-stream:stream cart-9');
  assert.ok(hot?.message.includes('had 1 append rejected'), JSON.stringify(hot));
});

test('step with maxMs works in chunks of at most 1,000 events and stops when the time is up', () => {
  const sim = Simulation.builtIn('shopping-cart');
  sim.startLoad(cartsGenerator(150));
  while (!sim.loadTick(500).done) { /* fill the store */ }
  sim.runUntilIdle();
  const head = sim.head();
  assert.ok(head > 2_000, `a store of ${head} events`);
  sim.rebuild('ItemsAddedPerProduct');
  const first = sim.step(1_000_000, 0);
  assert.ok(first.events > 0 && first.events <= 1_000, `one chunk when no time is left: ${first.events}`);
  assert.equal(first.idle, false);
  const rest = sim.step(1_000_000, 60_000);
  assert.equal(rest.idle, true, 'done within a minute');
  assert.equal(first.events + rest.events, head);
  assert.equal(sim.projection('ItemsAddedPerProduct').lag, 0);
  assert.throws(() => sim.step(10, -1), { code: 'InvalidInput' });
});
