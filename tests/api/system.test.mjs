// The system part of Simulation as Node sees it: modules, the broker's faults, outbox, inbox,
// parked messages, process instances, external calls and traces, on the example system of
// tests/fixtures/orders-billing.eventarium.json (orders → billing, and a state-stored users module).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { throwsCode } from './support.mjs';

const require = createRequire(import.meta.url);
const { Simulation } = require('../../pkg/node/eventarium.js');

const fixture = readFileSync(new URL('../fixtures/orders-billing.eventarium.json', import.meta.url), 'utf8');
const document = (change = () => {}) => {
  const doc = JSON.parse(fixture);
  change(doc);
  return doc;
};
const place = (sim, id, total = 40) =>
  sim.execute({ command: 'PlaceOrder', streamId: `order-${id}`, data: { orderId: String(id), total } });

test('modules lists the main module first, with kind, publishing and size', () => {
  const sim = Simulation.fromScenario(document());
  const modules = sim.modules();
  assert.deepEqual(
    modules.map((m) => [m.name, m.kind, m.publishing]),
    [['orders', 'eventSourced', 'dualWrite'], ['billing', 'eventSourced', 'dualWrite'], ['users', 'stateStored', 'changeDataCapture']],
  );
  assert.deepEqual(modules[0].contracts, ['OrderSubmitted']);
  assert.deepEqual(sim.consumers().map((c) => [c.name, c.module, c.inbox]), [['BillOrders', 'billing', true]]);
});

test('an order placed in the main module is invoiced in billing once the clock runs', () => {
  const sim = Simulation.fromScenario(document());
  const placed = place(sim, 1);
  assert.equal(placed.outcome, 'accepted');
  throwsCode(() => sim.readStream('billing', 'invoice-1'), 'StreamNotFound'); // nothing delivered before the clock runs
  assert.deepEqual(sim.run({ ms: 10 }), { tasks: 1, now: 10 });
  const invoices = sim.readStream('billing', 'invoice-1');
  assert.equal(invoices.length, 1);
  assert.equal(invoices[0].type, 'InvoiceIssued');
  assert.equal(invoices[0].metadata.correlationId, placed.correlationId);
  const trace = sim.trace(placed.correlationId);
  assert.deepEqual(trace.nodes.map((n) => n.kind), ['command', 'event', 'message', 'delivery', 'command', 'event']);
  assert.deepEqual(new Set(trace.nodes.map((n) => n.module)), new Set(['orders', 'billing']));
  for (const edge of trace.edges) {
    assert.ok(trace.nodes.findIndex((n) => n.id === edge.from) < trace.nodes.findIndex((n) => n.id === edge.to));
  }
  assert.deepEqual(sim.correlations(), [placed.correlationId]);
});

test('setFaults makes duplicates, which the inbox drops and messageStats counts', () => {
  const sim = Simulation.fromScenario(document());
  sim.setFaults({ consumer: 'BillOrders', duplicate: 1 });
  place(sim, 1);
  sim.runUntilIdle();
  const [stats] = sim.messageStats();
  assert.equal(stats.topic, 'OrderSubmitted');
  assert.equal(stats.consumer, 'BillOrders');
  assert.deepEqual(
    [stats.published, stats.delivered, stats.duplicatesDelivered, stats.duplicatesDropped, stats.lost, stats.parked, stats.inFlight],
    [1, 2, 1, 1, 0, 0, 0],
  );
  assert.equal(sim.readStream('billing', 'invoice-1').length, 1);
  assert.deepEqual(sim.inbox('BillOrders').map((r) => r.messageId), [sim.messages()[0].id]);
  assert.deepEqual(sim.deliveries({ consumer: 'BillOrders' }).map((d) => d.outcome), ['handled', 'dropped']);

  sim.setInbox('BillOrders', false);
  assert.equal(sim.inbox('BillOrders'), null);
  place(sim, 2);
  sim.runUntilIdle();
  assert.equal(sim.readStream('billing', 'invoice-2').length, 2, 'without the inbox the duplicate invoices twice');
});

test('a dual write loses a message to a publisher crash; an outbox relays it', () => {
  const sim = Simulation.fromScenario(document());
  sim.setFaults({ module: 'orders', publisherCrash: 1 });
  place(sim, 1);
  sim.runUntilIdle();
  assert.equal(sim.messageStats()[0].lost, 1);
  assert.equal(sim.messages()[0].lost, true);
  assert.equal(sim.modules()[0].lost, 1);

  const outboxed = Simulation.fromScenario(document((d) => { d.system.modules[0].publishing = 'outbox'; }));
  place(outboxed, 1);
  assert.equal(outboxed.outbox('orders')[0].relayedMs, null);
  outboxed.runUntilIdle();
  assert.equal(outboxed.outbox('orders')[0].relayedMs, 0);
  assert.equal(outboxed.readStream('billing', 'invoice-1').length, 1);
});

test('a failing message is retried, parked, replayed and skipped', () => {
  const sim = Simulation.fromScenario(document());
  place(sim, 1, 5000);
  sim.runUntilIdle();
  const parked = sim.parked('BillOrders');
  assert.equal(parked.length, 1);
  assert.equal(parked[0].attempts, 3);
  assert.match(parked[0].error, /too much/);
  assert.equal(sim.messageStats()[0].parked, 1);
  assert.equal(sim.replayParked('BillOrders'), 1);
  sim.runUntilIdle();
  assert.equal(sim.parked('BillOrders').length, 1, 'it fails again');
  sim.skipParked('BillOrders', parked[0].message.id);
  assert.equal(sim.parked('BillOrders').length, 0);
  throwsCode(() => sim.skipParked('BillOrders', parked[0].message.id), 'Unknown');
  throwsCode(() => sim.parked('Nobody'), 'Unknown');
});

test("a consumer's checkpoint waits for a retried message and passes it once parked", () => {
  const sim = Simulation.fromScenario(document());
  place(sim, 1, 5000);
  place(sim, 2, 40);
  sim.run({ ms: 150 });
  const billing = () => sim.consumers().find((c) => c.name === 'BillOrders');
  assert.equal(sim.readStream('billing', 'invoice-2').length, 1);
  assert.deepEqual([billing().checkpoint, billing().pending, billing().checkpointMessageId], [0, 2, null]);
  sim.runUntilIdle();
  const second = sim.messages()[1].id;
  assert.deepEqual([billing().checkpoint, billing().pending, billing().checkpointMessageId], [2, 0, second]);
});

test('a message that breaks its contract is not published; errors() says why', () => {
  const sim = Simulation.fromScenario(document((d) => {
    d.system.modules[0].translations[0].script =
      'fn translate(event, state) { [#{ type: "OrderSubmitted", data: #{ orderId: event.data.orderId, total: "forty" } }] }';
  }));
  const placed = place(sim, 1);
  sim.runUntilIdle();
  assert.deepEqual(sim.messages(), []);
  const [error] = sim.errors();
  assert.equal(error.owner, 'contract OrderSubmitted');
  assert.match(error.message, /"total": expected int/);
  assert.equal(error.correlationId, placed.correlationId);
});

test('a state-stored module takes commands and shows its rows', () => {
  const sim = Simulation.fromScenario(document());
  const registered = sim.execute({ module: 'users', command: 'RegisterUser', streamId: 'u-1', data: { name: 'Ada' } });
  assert.equal(registered.outcome, 'accepted');
  const again = sim.execute({ module: 'users', command: 'RegisterUser', streamId: 'u-1', data: { name: 'Ada' } });
  assert.equal(again.outcome, 'rejected');
  assert.equal(again.rejection, 'already registered');
  assert.deepEqual(sim.rows('users', 'users'), { 'u-1': { name: 'Ada' } });
  const [change] = sim.changes('users');
  assert.deepEqual(
    [change.command, change.table, change.rowId, change.op, change.before, change.after, change.correlationId],
    ['RegisterUser', 'users', 'u-1', 'insert', null, { name: 'Ada' }, registered.correlationId],
  );
  throwsCode(() => sim.changes('billing'), 'Unknown');
  sim.runUntilIdle();
  assert.deepEqual(sim.messages().map((m) => [m.topic, m.data]), [['UserRegistered', { userId: 'u-1', name: 'Ada' }]]);
  throwsCode(() => sim.rows('users', 'nope'), 'Unknown');
  throwsCode(() => sim.rows('billing', 'users'), 'Unknown');
  throwsCode(() => sim.execute({ module: 'nowhere', command: 'X', streamId: 'x-1' }), 'Unknown');
});

test('process instances show their state and pending timeouts', () => {
  const sim = Simulation.fromScenario(document((d) => {
    d.system.consumers = [];
    d.system.externals = [{ name: 'Gateway', latencyMs: 5000, succeeded: 'Charged', failed: 'Declined' }];
    d.system.processes = [{
      name: 'Checkout', module: 'orders', topics: ['OrderSubmitted', 'Charged', 'Declined'], correlate: 'data.orderId',
      timeouts: ['PaymentDeadline'],
      script: `
fn evolve(state, input) { state.seen = input.type; state }
fn decide(input, state) {
  let id = input.data.orderId;
  switch input.type {
    "OrderSubmitted" => #{ calls: [#{ external: "Gateway", key: id, data: #{ orderId: id } }],
                           schedule: [#{ name: "PaymentDeadline", afterMs: 1000, data: #{} }] },
    "PaymentDeadline" => #{ commands: [#{ type: "CancelOrder", streamId: "order-" + id, data: #{ orderId: id } }], done: true },
    _ => #{ done: true }
  }
}`,
    }];
  }));
  place(sim, 7);
  sim.run({ ms: 10 });
  const [instance] = sim.processes('Checkout');
  assert.equal(instance.id, '7');
  assert.deepEqual(instance.pendingTimeouts.map((t) => [t.name, t.dueMs]), [['PaymentDeadline', 1000]]);
  sim.run(990);
  assert.equal(sim.processes('Checkout')[0].done, true);
  assert.deepEqual(sim.readStream('orders', 'order-7').map((e) => e.type), ['OrderPlaced', 'OrderCancelled']);
  sim.runUntilIdle();
  assert.deepEqual(sim.calls().map((c) => [c.external, c.outcome]), [['Gateway', 'succeeded']]);
  assert.deepEqual(sim.externals(), [{ name: 'Gateway', calls: 1, effects: 1, failures: 0 }]);
  assert.equal(sim.now(), 5000);
  throwsCode(() => sim.processes('Nope'), 'Unknown');
});

test('a pending timeout fires early, once', () => {
  const sim = Simulation.fromScenario(document((d) => {
    d.system.consumers = [];
    d.system.processes = [{
      name: 'Checkout', module: 'orders', topics: ['OrderSubmitted'], correlate: 'data.orderId',
      timeouts: ['PaymentDeadline'],
      script: `
fn evolve(state, input) { state.seen = input.type; state }
fn decide(input, state) {
  let id = input.data.orderId;
  switch input.type {
    "OrderSubmitted" => #{ schedule: [#{ name: "PaymentDeadline", afterMs: 60000, data: #{} }] },
    "PaymentDeadline" => #{ commands: [#{ type: "CancelOrder", streamId: "order-" + id, data: #{ orderId: id } }], done: true },
    _ => #{}
  }
}`,
    }];
  }));
  place(sim, 7);
  sim.run(10);
  const [timeout] = sim.processes('Checkout')[0].pendingTimeouts;
  sim.fireTimeoutNow('Checkout', '7', timeout.id);
  assert.equal(sim.now(), 10, 'at the simulated time, not at its due time');
  const [instance] = sim.processes('Checkout');
  assert.equal(instance.done, true);
  assert.deepEqual(instance.pendingTimeouts, []);
  assert.deepEqual(instance.sent.map((c) => [c.module, c.command, c.streamId]), [['orders', 'CancelOrder', 'order-7']]);
  assert.deepEqual(sim.readStream('orders', 'order-7').map((e) => e.type), ['OrderPlaced', 'OrderCancelled']);
  throwsCode(() => sim.fireTimeoutNow('Checkout', '7', timeout.id), 'Unknown');
  throwsCode(() => sim.fireTimeoutNow('Checkout', '8', timeout.id), 'Unknown');
  sim.runUntilIdle();
  assert.equal(sim.readStream('orders', 'order-7').length, 2, 'it did not fire again at its due time');
});

test('bad input throws with a code', () => {
  const sim = Simulation.fromScenario(document());
  throwsCode(() => sim.run({ seconds: 3 }), 'InvalidInput');
  throwsCode(() => sim.run(-1), 'InvalidInput');
  throwsCode(() => sim.setFaults({ duplicate: 2 }), 'InvalidInput');
  throwsCode(() => sim.setFaults({ consumer: 'BillOrders', module: 'orders' }), 'InvalidInput');
  throwsCode(() => sim.setFaults({ consumer: 'Nobody', duplicate: 0.5 }), 'Unknown');
  throwsCode(() => sim.readStream('users', 'u-1'), 'Unknown');
  const broken = document((d) => { d.system.consumers[0].module = 'nowhere'; });
  const error = throwsCode(() => Simulation.fromScenario(broken), 'InvalidScenario');
  assert.match(error.message, /system\.consumers\[0\]\.module/);
});

test('the built-in concert ticketing system opens with its seven modules', () => {
  const sim = Simulation.builtIn('concert-ticketing');
  assert.deepEqual(
    sim.modules().map((m) => [m.name, m.kind]),
    [['carts', 'eventSourced'], ['concerts', 'eventSourced'], ['reservations', 'eventSourced'], ['orders', 'eventSourced'],
      ['payments', 'eventSourced'], ['tickets', 'eventSourced'], ['users', 'stateStored']],
  );
  const registered = sim.execute({ module: 'users', command: 'RegisterCustomer', streamId: 'u-1', data: { name: 'Ada', email: 'ada@example.com' } });
  assert.equal(registered.outcome, 'accepted', registered.rejection);
  sim.runUntilIdle();
  assert.deepEqual(Object.keys(sim.rows('users', 'customers')), ['u-1']);
  assert.ok(sim.messages().length >= 1, 'the change was captured and published');
  assert.ok(sim.trace(registered.correlationId).nodes.length >= 2);
});
