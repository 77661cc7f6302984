// Eventarium's adapter for the peer harness in ../shared/bench/peer (see bench/README.md).
// It drives the real JavaScript API (EventStore, built by `wasm-pack build --release --target
// nodejs` into bench/pkg), so every call pays the boundary crossing: arguments go in as JSON text,
// events come out as fresh JS objects parsed from JSON text. Nothing is cached on the JS side.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { EventStore } = require('./pkg/eventarium.js');
const { version } = require('./pkg/package.json');

// Pages of a full $all read, so no single JSON text grows with the store.
const PAGE = 10_000;

export const info = {
  name: 'eventarium',
  version: `${version} (Rust → wasm, release build)`,
  api: 'EventStore.append / readStream / readAll; JSON text across the boundary',
  async: false,
};

export function createStore() {
  return new EventStore();
}

// The harness counts events already in the stream; KurrentDB-style revisions count from 0.
export function append(store, streamId, events, expectedVersion) {
  const expected = expectedVersion === 0 ? 'no_stream' : expectedVersion - 1;
  return store.append(streamId, events, expected).nextExpectedRevision + 1;
}

export function read(store, streamId) {
  return store.readStream(streamId);
}

export function fold(store, streamId, evolve, initialState) {
  const events = store.readStream(streamId);
  let state = initialState();
  for (let i = 0; i < events.length; i++) state = evolve(state, events[i]);
  return state;
}

export function rebuild(store, _streamIds, apply) {
  let count = 0;
  for (let from = 0; ; ) {
    const page = store.readAll({ fromPosition: from, maxCount: PAGE });
    for (let i = 0; i < page.length; i++) apply(page[i]);
    count += page.length;
    if (page.length < PAGE) return count;
    from = page[page.length - 1].position + 1;
  }
}
