// Gaps and transactions in flight through the JavaScript API: a slow writer, a naive projection
// that reads past it and misses its events, and the high-water mark that waits for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsCode } from './support.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Simulation } = require('../../pkg/node/eventarium.js');

const COUNTER = 'ItemsAddedPerProduct';

const add = (sim, n) => {
  sim.execute({ command: 'OpenCart', streamId: `cart-${n}`, data: { cartId: `${n}`, customerId: 'c-1' } });
  sim.execute({
    command: 'AddItem',
    streamId: `cart-${n}`,
    data: { cartId: `${n}`, productId: 'p-1', qty: 1, unitPrice: 10 },
  });
};

/** Cart 1 read; cart 2's line held open 5 s; cart 3 committed above it; everything stepped. */
const slowWriter = (gaps) => {
  const sim = Simulation.builtIn('shopping-cart');
  sim.setGaps(COUNTER, gaps);
  add(sim, 1);
  sim.runUntilIdle();
  sim.execute({ command: 'OpenCart', streamId: 'cart-2', data: { cartId: '2', customerId: 'c-2' } });
  sim.holdNextWrite(5000);
  sim.execute({
    command: 'AddItem',
    streamId: 'cart-2',
    data: { cartId: '2', productId: 'p-1', qty: 1, unitPrice: 10 },
  });
  add(sim, 3);
  sim.runUntilIdle();
  return sim;
};

const counter = (sim) => sim.projections().find((p) => p.name === COUNTER);
const count = (sim) => sim.documents(COUNTER)['p-1'].count;

test('a naive projection misses what was in flight; a rebuild reads it', () => {
  const sim = slowWriter({ mode: 'naive' });
  const [flight] = sim.inFlight();
  assert.equal(flight.streamId, 'cart-2');
  assert.equal(flight.commitsMs - flight.beganMs, 5000);
  assert.equal(count(sim), 2);
  sim.advanceClock(5000);
  assert.deepEqual(sim.inFlight(), []);
  sim.runUntilIdle();
  assert.equal(count(sim), 2, 'committed behind its checkpoint');
  assert.deepEqual(counter(sim).missed, [flight.from]);
  assert.equal(counter(sim).gaps.mode, 'naive');
  sim.rebuild(COUNTER);
  sim.runUntilIdle();
  assert.equal(count(sim), 3);
});

test('at the high-water mark it waits, then reads everything', () => {
  const sim = slowWriter({ mode: 'highWaterMark' });
  const [flight] = sim.inFlight();
  assert.equal(count(sim), 1);
  assert.equal(counter(sim).waitingAt, flight.from);
  assert.equal(sim.commitInFlight(), 1);
  sim.runUntilIdle();
  assert.equal(count(sim), 3);
  assert.equal(counter(sim).waitingAt, undefined);
});

test('a stale gap is passed, listed, and drained once committed', () => {
  const sim = slowWriter({ mode: 'highWaterMark', staleAfterMs: 1000 });
  const [flight] = sim.inFlight();
  sim.advanceClock(1000);
  sim.runUntilIdle();
  assert.equal(count(sim), 2);
  assert.deepEqual(counter(sim).pending, [flight.from]);
  sim.advanceClock(4000);
  sim.runUntilIdle();
  assert.equal(count(sim), 3);
  assert.equal(counter(sim).drained, 1);
});

test('bad input is refused with a clear error', () => {
  const sim = Simulation.builtIn('shopping-cart');
  throwsCode(() => sim.holdNextWrite(-1), 'InvalidInput');
  throwsCode(() => sim.setGaps(COUNTER, { mode: 'sometimes' }), 'InvalidInput');
  throwsCode(() => sim.setGaps('NoSuchProjection', { mode: 'naive' }), 'Unknown');
  assert.throws(() => sim.holdNextWrite(0), /1 ms or more/);
});

test('rebuild faults: a crashed rebuilder and a second one, with the guards off and on', () => {
  const sim = Simulation.builtIn('shopping-cart');
  for (const n of [1, 2, 3, 4]) add(sim, n);
  sim.runUntilIdle();
  sim.setRebuildGuards(false);
  const { total } = sim.rebuildWith(COUNTER, 'crashHalfway');
  sim.runUntilIdle();
  const stuck = counter(sim);
  assert.equal(stuck.state, 'rebuilding');
  assert.deepEqual([stuck.rebuild.stalled, stuck.rebuild.crashedAt], [true, total / 2]);
  sim.rebuild(COUNTER);
  sim.runUntilIdle();
  assert.equal(count(sim), 4);

  sim.rebuildWith(COUNTER, 'secondRebuilder');
  sim.runUntilIdle();
  assert.equal(counter(sim).lastRebuild.secondFrom, total / 2);
  assert.ok(count(sim) > 4, 'applied twice from the halfway mark');

  sim.setRebuildGuards(true);
  sim.rebuildWith(COUNTER, 'secondRebuilder');
  sim.runUntilIdle();
  assert.equal(counter(sim).lastRebuild.secondRefused, true);
  assert.equal(count(sim), 4);
  sim.rebuild(COUNTER);
  throwsCode(() => sim.rebuild(COUNTER), 'BadResult');
  throwsCode(() => sim.rebuildWith(COUNTER, 'meteor'), 'InvalidInput');
});
