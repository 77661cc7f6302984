// Crypto-shredding through the JavaScript API: sealing a stream type's personal fields, the
// subjects the vault knows, forgetting one, and what reads and read models show after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsCode } from './support.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Simulation, EventStore } = require('../../pkg/node/eventarium.js');

const open = (n, customer) => ({
  command: 'OpenCart',
  streamId: `cart-${n}`,
  data: { cartId: `${n}`, customerId: customer },
});

test('a forgotten customer reads as shredded everywhere; the others as written', () => {
  const sim = Simulation.builtIn('shopping-cart');
  const view = sim.shredding();
  const cart = view.streamTypes.find((t) => t.name === 'Cart');
  assert.deepEqual([cart.sealed, cart.subject], [false, 'customerId']);
  assert.ok(cart.personal.includes('CartOpened.customerId'));
  sim.execute(open(0, 'alice')); // written before sealing: stays plain
  sim.sealPersonalFields('Cart', 'customerId');
  sim.execute(open(1, 'bob'));
  sim.execute(open(2, 'carol'));
  assert.deepEqual(sim.shredding().subjects.map((s) => [s.subject, s.forgotten]), [['carol', false], ['bob', false]]);
  const events = sim.exportStore().split('"events":')[1];
  assert.ok(!events.includes('"bob"'), 'sealed in the stored events (the vault names its subjects)');
  const customerAt = (position) => sim.event(position).raw.data.customerId;
  assert.equal(customerAt(1), 'bob', 'revealed on read');

  const report = sim.forgetSubject('bob');
  assert.deepEqual([report.events, report.archivedCopies], [1, 0]);
  assert.deepEqual(report.projections, ['CartSummary'], 'built before: rebuild it');
  assert.equal(customerAt(1), '[shredded]');
  assert.equal(customerAt(2), 'carol');
  assert.equal(customerAt(0), 'alice', 'written before the stream type sealed anything');
  sim.rebuild('CartSummary');
  sim.runUntilIdle();
  assert.ok(!JSON.stringify(sim.documents('CartSummary')).includes('"bob"'));
  const again = EventStore.importJson(sim.exportStore());
  assert.equal(again.readStream('cart-1')[0].data.customerId, '[shredded]');
  assert.equal(again.readStream('cart-2')[0].data.customerId, 'carol', 'the keys travel with the export');

  throwsCode(() => sim.forgetSubject('bob'), 'Unknown');
  throwsCode(() => sim.sealPersonalFields('Cart', 'nobody'), 'InvalidScenario');
});
