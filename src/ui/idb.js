// The browser's IndexedDB as the keeper of workspaces, for src/ui/storage.rs. Three object
// stores: `workspaces` (what the list shows: id, name, events, bytes, saved, and `damaged` with
// the reason when a workspace could not be read), `heads` (per workspace: the scenario document
// and the store's head, or `raw` text kept aside) and `chunks` (per workspace and index: a JSON
// array of saved events). A save is one transaction, so a workspace is never half written.

const NAME = 'eventarium';
const VERSION = 1;
const ALL = ['workspaces', 'heads', 'chunks'];

let opening = null;

function database() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      if (typeof indexedDB === 'undefined') {
        reject(new Error('this browser has no IndexedDB'));
        return;
      }
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore('workspaces', { keyPath: 'id' });
        db.createObjectStore('heads');
        db.createObjectStore('chunks');
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another tab (or a test) upgrading or deleting the database: let it, open again later.
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('another tab holds an older version of the storage open'));
    });
    opening.catch(() => { opening = null; });
  }
  return opening;
}

function finished(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new DOMException('the write was aborted', 'AbortError'));
  });
}

function result(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Every key of a workspace's chunks from index `from` on.
function chunksFrom(id, from) {
  return IDBKeyRange.bound([id, from], [id, Infinity]);
}

// The workspaces kept, as their list entries in JSON.
export async function list() {
  const db = await database();
  return JSON.stringify(await result(db.transaction('workspaces').objectStore('workspaces').getAll()));
}

// A workspace's list entry, heads and chunks (`[index, text]` pairs in order), or null.
export async function load(id) {
  const db = await database();
  const transaction = db.transaction(ALL);
  const [entry, head, keys, chunks] = await Promise.all([
    result(transaction.objectStore('workspaces').get(id)),
    result(transaction.objectStore('heads').get(id)),
    result(transaction.objectStore('chunks').getAllKeys(chunksFrom(id, 0))),
    result(transaction.objectStore('chunks').getAll(chunksFrom(id, 0))),
  ]);
  if (!entry) return null;
  return { entry: JSON.stringify(entry), head: head ?? null, chunks: keys.map((key, i) => [key[1], chunks[i]]) };
}

// Writes a save in one transaction: the entry, the heads, the chunks given, and drops the
// chunks from `chunkCount` on.
export async function save(entryJson, scenario, store, chunks, chunkCount) {
  const entry = JSON.parse(entryJson);
  const db = await database();
  const transaction = db.transaction(ALL, 'readwrite');
  const written = finished(transaction);
  transaction.objectStore('workspaces').put(entry);
  transaction.objectStore('heads').put({ scenario, store }, entry.id);
  const kept = transaction.objectStore('chunks');
  for (const [index, text] of chunks) kept.put(text, [entry.id, index]);
  kept.delete(chunksFrom(entry.id, chunkCount));
  // Committed now rather than when the requests are done: a save made as the page is left
  // (a reload) is then finished by the browser after the page is gone.
  transaction.commit?.();
  await written;
}

// Keeps text that could not be read aside, under its own entry, marked damaged.
export async function keepAside(entryJson, raw) {
  const entry = JSON.parse(entryJson);
  const db = await database();
  const transaction = db.transaction(ALL, 'readwrite');
  const written = finished(transaction);
  transaction.objectStore('workspaces').put(entry);
  if (raw !== undefined && raw !== null) transaction.objectStore('heads').put({ raw }, entry.id);
  await written;
}

// Changes a workspace's list entry (a new name, a damaged mark).
export async function update(entryJson) {
  const entry = JSON.parse(entryJson);
  const db = await database();
  const transaction = db.transaction('workspaces', 'readwrite');
  const written = finished(transaction);
  transaction.objectStore('workspaces').put(entry);
  await written;
}

// Copies workspace `from` under the entry `entry` (a new id).
export async function duplicate(from, entryJson) {
  const entry = JSON.parse(entryJson);
  const db = await database();
  const transaction = db.transaction(ALL, 'readwrite');
  const written = finished(transaction);
  const heads = transaction.objectStore('heads');
  const chunks = transaction.objectStore('chunks');
  const [head, keys, texts] = await Promise.all([
    result(heads.get(from)),
    result(chunks.getAllKeys(chunksFrom(from, 0))),
    result(chunks.getAll(chunksFrom(from, 0))),
  ]);
  transaction.objectStore('workspaces').put(entry);
  if (head) heads.put(head, entry.id);
  keys.forEach((key, i) => chunks.put(texts[i], [entry.id, key[1]]));
  await written;
}

// Deletes a workspace and everything kept of it.
export async function remove(id) {
  const db = await database();
  const transaction = db.transaction(ALL, 'readwrite');
  const written = finished(transaction);
  transaction.objectStore('workspaces').delete(id);
  transaction.objectStore('heads').delete(id);
  transaction.objectStore('chunks').delete(chunksFrom(id, 0));
  await written;
}

// The text kept of a workspace, for an export of one that could not be read: its raw text, or
// its heads and chunks put back together as a scenario document.
export async function rawText(id) {
  const kept = await load(id);
  if (!kept || !kept.head) return '';
  if (typeof kept.head.scenario !== 'string' || typeof kept.head.store !== 'string') return '';
  if (typeof kept.head.raw === 'string') return kept.head.raw;
  const events = kept.chunks.map(([, text]) => text.slice(1, -1)).filter((text) => text.length > 0).join(',');
  const store = kept.head.store.replace(/\}\s*$/, `,"events":[${events}]}`);
  return kept.head.scenario.replace(/\}\s*$/, `,"events":${store}}`);
}
