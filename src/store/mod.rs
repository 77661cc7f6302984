//! The event store: streams, the global log, expected revisions, metadata, retention,
//! subscriptions and snapshots, with KurrentDB (EventStoreDB) semantics.
//!
//! ```
//! use eventarium::store::{Config, Direction, ExpectedRevision, NewEvent, Store};
//! use serde_json::json;
//!
//! let mut store = Store::new(Config::default());
//! let added = NewEvent::new("ItemAdded", json!({"sku": "SKU-1", "qty": 1}));
//! let result = store.append("cart-1", ExpectedRevision::NoStream, vec![added])?;
//! assert_eq!(result.next_expected_revision, ExpectedRevision::Exact(0));
//!
//! let events = store.read_stream("cart-1", 0, 10, Direction::Forwards)?;
//! assert_eq!(events[0].data["qty"], 1);
//! # Ok::<(), eventarium::store::Error>(())
//! ```
//!
//! The store is deterministic: the clock is simulated ([`Store::advance_ms`]) and event ids come
//! from the seed and the position. It is single-threaded and synchronous, built for WebAssembly:
//! payloads are kept as compact JSON text in a chunked arena and indexes hold `u32` slots, so an
//! event costs about 30 bytes plus its payload (89 bytes in all for a 58-byte payload, at 1M
//! events over 10k streams; see `examples/store_mem.rs`).
//!
//! Files: [`Store`] and the write path in `store.rs`; expectations in `revision.rs`; envelopes in
//! `event.rs`; reads in `read.rs`; metadata and deletes in `metadata.rs`; `scavenge.rs`;
//! `subscription.rs`; `stats.rs`; `snapshot.rs`; the cold tier in `archive.rs`; `compact.rs`; the storage in `log.rs`, `chunked.rs`,
//! `catalog.rs` and `correlations.rs` (indexes) and `stream.rs`; `ids.rs`, `natural.rs` (the order of ids), `clock.rs`,
//! `json.rs`, `error.rs`.

mod archive;
mod catalog;
mod chunked;
mod clock;
mod compact;
mod correlations;
mod error;
mod event;
mod ids;
mod json;
mod log;
mod metadata;
mod natural;
mod read;
mod revision;
mod scavenge;
mod snapshot;
mod stats;
#[allow(clippy::module_inception, reason = "store/store.rs holds the Store type itself")]
mod store;
mod stream;
mod subscription;
mod vault;

pub use archive::{ArchiveSettings, ColdReads, SegmentInfo, Storage, UploadReport, MAX_SEGMENT_EVENTS};
pub use compact::CompactReport;
pub use error::{Error, Result};
pub use event::{EventMetadata, NewEvent, Payload, RawEvent, RecordedEvent};
pub use ids::{category_of, validate_event_type, validate_stream_id, EventId, MAX_NAME_BYTES};
pub use metadata::{DeleteMode, StreamMetadata};
pub use natural::{natural_cmp, Natural};
pub use read::{Direction, Source, StoredPayload};
pub use revision::ExpectedRevision;
pub use scavenge::ScavengeReport;
pub use snapshot::{SNAPSHOT_FORMAT, SNAPSHOT_VERSION};
pub use stats::{CategoryStats, EventTypeStats, StoreStats, StreamStats};
pub use store::{AppendResult, Config, Store};
pub use subscription::{SubscriptionFilter, SubscriptionId};
pub use vault::{Forgotten, Subject, SEALED, SHREDDED};
