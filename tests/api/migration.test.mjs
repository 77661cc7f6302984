// Copy-and-transform migrations through the JavaScript API: copy the cart's streams into a new
// category, compare them (dual reads), switch, archive the old streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsCode } from './support.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Simulation } = require('../../pkg/node/eventarium.js');

const open = (n) => ({ command: 'OpenCart', streamId: `cart-${n}`, data: { cartId: `${n}`, customerId: 'c-1' } });
const add = (n) => ({
  command: 'AddItem',
  streamId: `cart-${n}`,
  data: { cartId: `${n}`, productId: 'p-1', qty: 1, unitPrice: 10 },
});

test('copy, compare, switch and archive a stream type', () => {
  const sim = Simulation.builtIn('shopping-cart');
  for (const n of [1, 2]) {
    sim.execute(open(n));
    sim.execute(add(n));
  }
  sim.runUntilIdle();
  assert.equal(sim.migration(), null);
  sim.startMigration('Cart', 'cart_v2');
  sim.runUntilIdle();
  const copied = sim.migration();
  assert.deepEqual([copied.from, copied.to, copied.read, copied.written], ['cart', 'cart_v2', 4, 4]);
  assert.equal(copied.checkpoint, copied.head);
  assert.deepEqual([copied.oldStreams, copied.newStreams], [2, 2]);
  assert.deepEqual(sim.dualRead(), { streams: 2, differing: 0, named: [], at: copied.head });
  const at = sim.switchMigration();
  const result = sim.execute(add(1));
  assert.equal(result.streamId, 'cart_v2-1', 'an old id goes to the new stream');
  sim.runUntilIdle();
  assert.equal(sim.documents('ItemsAddedPerProduct')['p-1'].count, 3, 'copies never counted');
  assert.equal(sim.archiveMigrated(), 2);
  assert.deepEqual([sim.migration().switchedAt, sim.migration().archived], [at, 2]);
});

test('bad migrations are refused with a clear error', () => {
  const sim = Simulation.builtIn('shopping-cart');
  throwsCode(() => sim.startMigration('Cart', 'cart-2'), 'BadResult');
  throwsCode(() => sim.startMigration('Nope', 'x'), 'Unknown');
  throwsCode(() => sim.switchMigration(), 'BadResult');
  sim.startMigration('Cart', 'cart_v2');
  throwsCode(() => sim.archiveMigrated(), 'BadResult');
  sim.cancelMigration();
  assert.equal(sim.migration(), null);
});
