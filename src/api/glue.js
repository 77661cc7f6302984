// The JavaScript half of the boundary: builds plain result objects from the compact form that
// the Rust half writes, so a read costs one JSON.parse for all the payloads, not one per field.

/** `{ nextExpectedRevision, position }`; -1 stands for 'no_stream' and for no position. */
export function appendResult(next, position) {
  return { nextExpectedRevision: next < 0 ? 'no_stream' : next, position: position < 0 ? null : position };
}

/**
 * Events from columns: `nums` holds 7 numbers per event (stream index, type index, revision,
 * position, schema version, timestamp, metadata index or -1); `names` is a JSON array of the
 * stream ids and types they index; `data` a JSON array of the payloads; `ids` the event ids
 * (36 characters each, back to back); `meta` a JSON array of [correlationId, causationId, headers]
 * for the events that have any.
 */
export function decodeEvents(nums, names, data, ids, meta) {
  const strings = JSON.parse(names);
  const payloads = JSON.parse(data);
  const metadata = meta === '[]' ? [] : JSON.parse(meta);
  const events = new Array(payloads.length);
  for (let i = 0, n = 0; i < payloads.length; i++, n += 7) {
    const m = nums[n + 6];
    let correlationId = null;
    let causationId = null;
    let headers;
    if (m < 0) {
      headers = {};
    } else {
      [correlationId, causationId, headers] = metadata[m];
    }
    events[i] = {
      eventId: ids.substr(i * 36, 36),
      streamId: strings[nums[n]],
      revision: nums[n + 2],
      position: nums[n + 3],
      type: strings[nums[n + 1]],
      schemaVersion: nums[n + 4],
      data: payloads[i],
      metadata: { correlationId, causationId, timestamp: nums[n + 5], headers },
    };
  }
  return events;
}
