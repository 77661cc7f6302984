// The JavaScript API as Node sees it: the crate built by `wasm-pack build --target nodejs` into
// pkg/node (see scripts/test.sh). Every member of EventStore is exercised once at least.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsCode } from './support.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { EventStore } = require('../../pkg/node/eventarium.js');

const added = (sku, qty = 1) => ({ type: 'ItemAdded', data: { sku, qty } });

test('append returns the next expected revision and the position; reads return full envelopes', () => {
  const store = new EventStore({ seed: 1, clockStart: 1_000 });
  assert.deepEqual(store.append('cart-1', [added('a'), added('b', 2)], 'no_stream'), {
    nextExpectedRevision: 1,
    position: 1,
  });
  assert.deepEqual(store.append('cart-1', [added('c')], 1), { nextExpectedRevision: 2, position: 2 });

  const events = store.readStream('cart-1');
  assert.deepEqual(events.map((e) => e.data.sku), ['a', 'b', 'c']);
  const [first] = events;
  assert.equal(first.streamId, 'cart-1');
  assert.equal(first.revision, 0);
  assert.equal(first.position, 0);
  assert.equal(first.type, 'ItemAdded');
  assert.equal(first.schemaVersion, 1);
  assert.match(first.eventId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(first.metadata, { correlationId: null, causationId: null, timestamp: 1000, headers: {} });

  const backwards = store.readStream('cart-1', { fromRevision: 1, maxCount: 5, direction: 'backwards' });
  assert.deepEqual(backwards.map((e) => e.revision), [1, 0]);
});

test('a stale expected revision throws WrongExpectedVersion with the details, and writes nothing', () => {
  const store = new EventStore();
  store.append('cart-1', [added('a')], 'no_stream');
  const err = throwsCode(() => store.append('cart-1', [added('b')], 5), 'WrongExpectedVersion');
  assert.equal(err.streamId, 'cart-1');
  assert.equal(err.expected, 5);
  assert.equal(err.actual, 0);
  assert.equal(store.readAll().length, 1);
});

test('appendMany is all or nothing', () => {
  const store = new EventStore();
  store.append('order-1', [added('x')], 'any');
  throwsCode(
    () =>
      store.appendMany([
        { streamId: 'cart-1', events: [added('a')], expectedRevision: 'no_stream' },
        { streamId: 'order-1', events: [added('b')], expectedRevision: 'no_stream' },
      ]),
    'WrongExpectedVersion',
  );
  assert.equal(store.readAll().length, 1);
  const results = store.appendMany([
    { streamId: 'cart-1', events: [added('a')], expectedRevision: 'no_stream' },
    { streamId: 'order-1', events: [added('b')], expectedRevision: 0 },
  ]);
  assert.deepEqual(results.map((r) => r.nextExpectedRevision), [0, 1]);
});

test('reads by category, event type and correlation id', () => {
  const store = new EventStore();
  const correlated = { ...added('a'), metadata: { correlationId: 'c-1', causationId: 'cmd-1', headers: { who: 'ann' } } };
  store.append('cart-1', [correlated], 'any');
  store.append('user-1', [{ type: 'UserRegistered', data: {} }], 'any');
  store.append('cart-2', [added('b')], 'any');
  assert.deepEqual(store.readCategory('cart').map((e) => e.streamId), ['cart-1', 'cart-2']);
  assert.deepEqual(store.readEventType('UserRegistered').map((e) => e.position), [1]);
  const [event] = store.readCorrelation('c-1');
  assert.deepEqual(event.metadata.headers, { who: 'ann' });
  assert.equal(event.metadata.causationId, 'cmd-1');
  assert.deepEqual(store.readAll({ fromPosition: 2, direction: 'backwards' }).map((e) => e.position), [2, 1, 0]);
});

test('metadata, soft and hard delete, scavenge', () => {
  const store = new EventStore();
  store.append('cart-1', [added('a'), added('b'), added('c')], 'any');
  store.setStreamMetadata('cart-1', { maxCount: 2 });
  assert.deepEqual(store.getStreamMetadata('cart-1'), { maxCount: 2, maxAge: null, truncateBefore: null });
  assert.deepEqual(store.readStream('cart-1').map((e) => e.data.sku), ['b', 'c']);
  assert.equal(store.scavenge().eventsRemoved, 1);

  store.deleteStream('cart-1', {});
  throwsCode(() => store.readStream('cart-1'), 'StreamNotFound');
  assert.equal(store.append('cart-1', [added('d')], 'no_stream').nextExpectedRevision, 3);

  store.deleteStream('cart-1', { hard: true });
  throwsCode(() => store.readStream('cart-1'), 'StreamDeleted');
  throwsCode(() => store.append('cart-1', [added('e')], 'any'), 'StreamDeleted');
});

test('subscriptions deliver catch-up then live events once, in order', () => {
  const store = new EventStore();
  store.append('cart-1', [added('a'), added('b')], 'any');
  const sub = store.subscribe({ category: 'cart' });
  assert.deepEqual(store.poll(sub, 10).map((e) => e.position), [0, 1]);
  store.append('user-1', [added('x')], 'any');
  store.append('cart-2', [added('c')], 'any');
  assert.deepEqual(store.poll(sub).map((e) => e.position), [3]);
  assert.deepEqual(store.poll(sub), []);
  assert.equal(store.unsubscribe(sub), true);
});

test('export and import round-trip; a bad document is rejected with a clear error', () => {
  const store = new EventStore({ seed: 9 });
  store.append('cart-1', [added('a')], 'any');
  store.advanceClock(60_000);
  store.append('cart-1', [added('b')], 'any');
  const text = store.exportJson();
  const copy = EventStore.importJson(text);
  assert.equal(copy.exportJson(), text);
  assert.deepEqual(copy.readAll(), store.readAll());
  const err = throwsCode(() => EventStore.importJson('{"format":"something-else"}'), 'InvalidSnapshot');
  assert.match(err.message, /invalid snapshot/);
});

test('bad input gets InvalidInput errors, never a crash', () => {
  const store = new EventStore();
  throwsCode(() => store.append('', [added('a')], 'any'), 'InvalidInput');
  throwsCode(() => store.append('cart-1', [added('a')], 'sometimes'), 'InvalidInput');
  throwsCode(() => store.append('cart-1', [added('a')], -1), 'InvalidInput');
  throwsCode(() => store.append('cart-1', [{ type: 'T' }], 'any'), 'InvalidInput');
  throwsCode(() => store.append('cart-1', 'not events', 'any'), 'InvalidInput');
  throwsCode(() => store.readAll({ direction: 'sideways' }), 'InvalidInput');
  throwsCode(() => new EventStore({ seed: -1 }), 'InvalidInput');
  const small = new EventStore({ maxPayloadBytes: 10 });
  throwsCode(() => small.append('cart-1', [{ type: 'T', data: { text: 'far too long' } }], 'any'), 'PayloadTooLarge');
  assert.equal(store.readAll().length, 0);
});

test('stats count streams, categories and event types', () => {
  const store = new EventStore();
  store.append('cart-1', [added('a'), added('b')], 'any');
  store.append('cart-2', [added('c')], 'any');
  store.append('cart-2', [added('d')], 0);
  throwsCode(() => store.append('cart-2', [added('e')], 0), 'WrongExpectedVersion');
  const stats = store.stats();
  assert.equal(stats.events, 4);
  assert.deepEqual(
    [stats.streams['cart-2'].uncheckedAppends, stats.streams['cart-2'].conflicts],
    [1, 1],
    'one append without an expected revision, one conflict',
  );
  assert.equal(stats.categories.cart.uncheckedAppends, 2);
  assert.equal(stats.streams['cart-1'].events, 2);
  assert.equal(stats.categories.cart.streams, 2);
  assert.equal(stats.categories.cart.longestStream, 'cart-1');
  assert.equal(stats.eventTypes.ItemAdded.events, 4);
});
