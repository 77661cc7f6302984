// Lifecycle through the JavaScript API: archiving by stream and by position, reading through the
// archive, compaction, and the Simulation's lifecycle view, summary and rebuild preview.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsCode } from './support.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { EventStore, Simulation } = require('../../pkg/node/eventarium.js');

const DAY = 86_400_000;
const added = (n) => ({ type: 'Added', data: { n } });

test('an archived stream reads back whole, leaves $all and refuses writes until restored', () => {
  const store = new EventStore({ seed: 2 });
  store.append('cart-1', [added(1), added(2)], 'any');
  store.append('cart-2', [added(3)], 'any');
  store.archiveStream('cart-1');
  assert.equal(store.isArchived('cart-1'), true);
  assert.deepEqual(store.readStream('cart-1').map((e) => e.data.n), [1, 2]);
  assert.deepEqual(store.readAll().map((e) => e.streamId), ['cart-2']);
  const err = throwsCode(() => store.append('cart-1', [added(4)], 'any'), 'StreamArchived');
  assert.equal(err.streamId, 'cart-1');
  const storage = store.storage();
  assert.equal(storage.archivedEvents, 2);
  assert.equal(storage.reads.archivedStreamReads, 1);
  store.restoreStream('cart-1');
  assert.equal(store.readAll().length, 3);
});

test('segments upload, leave after retention, and reads fall through to the archive', () => {
  const store = new EventStore({ seed: 2 });
  throwsCode(() => store.uploadSegments(), 'InvalidInput');
  throwsCode(() => store.configureArchive({ segmentEvents: 0, retainMs: 0, retainBytes: 0 }), 'InvalidInput');
  store.configureArchive({ segmentEvents: 2, retainMs: DAY, retainBytes: 0 });
  for (let n = 0; n < 5; n++) store.append(`shift-${n % 2}`, [added(n)], 'any');
  const before = store.readAll();
  assert.deepEqual(store.uploadSegments(), { segments: 2, events: 4, bytes: 28 });
  assert.equal(store.scavenge().eventsOffloaded, 0, 'inside the retention window');
  store.advanceClock(2 * DAY);
  assert.equal(store.scavenge().eventsOffloaded, 4);
  assert.deepEqual(store.segments().map((s) => s.local), [false, false]);
  assert.deepEqual(store.readAll(), before);
  assert.deepEqual(store.readStream('shift-0').map((e) => e.data.n), [0, 2, 4]);
  assert.ok(store.storage().reads.archiveFetches >= 2);
  const again = EventStore.importJson(store.exportJson());
  assert.equal(again.storage().localFromPosition, 4);
  assert.deepEqual(again.readAll(), before);
});

test('compaction leaves a snapshot at the revision', () => {
  const store = new EventStore();
  store.append('account-1', [added(1), added(2), added(3)], 'no_stream');
  const report = store.compactStream('account-1', 1, { type: 'Compacted', data: { total: 3 } });
  assert.deepEqual(report, { revision: 1, eventsRemoved: 1, bytesRemoved: 14, snapshotBytes: 11 });
  assert.deepEqual(store.readStream('account-1').map((e) => [e.revision, e.type]), [[1, 'Compacted'], [2, 'Added']]);
  throwsCode(() => store.compactStream('account-1', 0, { type: 'Compacted', data: {} }), 'InvalidInput');
  throwsCode(() => store.compactStream('account-1', 1), 'InvalidInput');
});

test('a simulation archives closed carts, previews a rebuild and summarizes a stream', () => {
  const sim = Simulation.builtIn('shopping-cart');
  for (const n of [1, 2]) {
    sim.execute({ command: 'OpenCart', streamId: `cart-${n}`, data: { cartId: `${n}`, customerId: 'c-1' } });
    sim.execute({ command: 'AddItem', streamId: `cart-${n}`, data: { cartId: `${n}`, productId: 'p', qty: 1, unitPrice: 5 } });
  }
  sim.execute({ command: 'ConfirmCart', streamId: 'cart-1', data: { cartId: '1' } });
  sim.runUntilIdle();
  sim.advanceClock(3 * DAY);
  let view = sim.lifecycle();
  assert.deepEqual(view.closed.map((s) => s.id), ['cart-1']);
  assert.equal(sim.archiveClosed(DAY), 1);
  view = sim.lifecycle();
  assert.deepEqual(view.archived.map((s) => s.id), ['cart-1']);
  assert.ok(view.costs.total > 0);
  const preview = sim.rebuildPreview('CartSummary');
  assert.deepEqual([preview.now, preview.after, preview.lost], [2, 1, ['1']]);
  const summary = sim.summarizeStream('cart-2');
  assert.equal(summary.hidden, 2);
  assert.equal(summary.revision, 2);
  const compacted = sim.compactStream('cart-2');
  assert.equal(compacted.revision, 2);
  throwsCode(() => sim.summarizeStream('cart-9'), 'StreamNotFound');
});
