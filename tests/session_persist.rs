//! Saving a workspace in parts (what the browser's IndexedDB keeps): after any mix of commands,
//! generator ticks, compactions, archiving and scavenges, saved now and then, the parts kept open
//! the same workspace as the whole document; a save writes only the chunks past the last one,
//! and a write that failed is made good by the next save.

mod support;

use std::collections::BTreeMap;

use eventarium::model::Problem;
use eventarium::session::{ExpectedMode, SaveParts, Saver, Workspace, CHUNK_POSITIONS};
use serde_json::json;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// What a keeper of parts holds: the heads and the chunks by index.
#[derive(Default)]
struct Kept {
    scenario: String,
    store: String,
    chunks: BTreeMap<u64, String>,
}

impl Kept {
    fn write(&mut self, parts: &SaveParts) {
        self.scenario.clone_from(&parts.scenario);
        self.store.clone_from(&parts.store);
        for (index, chunk) in &parts.chunks {
            self.chunks.insert(*index, chunk.clone());
        }
        self.chunks.retain(|index, _| *index < parts.chunk_count);
    }

    fn restore(&self) -> Result<Workspace, Vec<Problem>> {
        let chunks = self.chunks.iter().map(|(i, c)| (*i, c.clone()));
        Workspace::restore_parts(&self.scenario, &self.store, chunks, &mut || true)
    }

    fn open(&self) -> Workspace {
        self.restore().unwrap_or_else(|p| panic!("{p:?}"))
    }

    /// The problems opening these parts gives (none when it opens).
    fn problems(&self) -> Vec<Problem> {
        self.restore().err().unwrap_or_default()
    }
}

fn cart() -> Workspace {
    Workspace::open(support::built_in::cart()).unwrap_or_else(|e| panic!("{e}"))
}

fn open_carts(workspace: &mut Workspace, from: u32, to: u32) {
    for n in from..to {
        let id = n.to_string();
        workspace.send(
            "OpenCart",
            &format!("cart-{n}"),
            json!({"cartId": id, "customerId": "c-1"}),
            ExpectedMode::Read,
        );
        let item = json!({"cartId": id, "productId": "p-1", "qty": 2, "unitPrice": 3});
        workspace.send("AddItem", &format!("cart-{n}"), item, ExpectedMode::Read);
    }
}

fn save(saver: &mut Saver, kept: &mut Kept, workspace: &Workspace) -> SaveParts {
    let parts = saver.parts(workspace, true);
    kept.write(&parts);
    saver.written(parts.mark);
    parts
}

#[test]
fn parts_open_the_same_workspace_as_the_whole_document() {
    let mut workspace = cart();
    let (mut saver, mut kept) = (Saver::default(), Kept::default());
    save(&mut saver, &mut kept, &workspace);
    assert_eq!(kept.open().save(), workspace.save(), "empty store");

    open_carts(&mut workspace, 1, 700);
    save(&mut saver, &mut kept, &workspace);
    assert!(kept.chunks.len() > 1, "{} chunks", kept.chunks.len());
    open_carts(&mut workspace, 700, 720);
    let parts = save(&mut saver, &mut kept, &workspace);
    assert_eq!(
        parts.chunks.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        vec![
            workspace.head().saturating_sub(40) / CHUNK_POSITIONS,
            (workspace.head() - 1) / CHUNK_POSITIONS
        ]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>(),
        "only the chunks the last save ended in and after"
    );
    let reopened = kept.open();
    assert_eq!(reopened.save(), workspace.save(), "after appends");
    assert_eq!(reopened.event_count(), workspace.event_count(), "events");
}

#[test]
fn a_rewrite_of_stored_events_rewrites_every_chunk() {
    let mut workspace = cart();
    let (mut saver, mut kept) = (Saver::default(), Kept::default());
    open_carts(&mut workspace, 1, 600);
    save(&mut saver, &mut kept, &workspace);
    workspace
        .compact_stream("cart-1", None)
        .unwrap_or_else(|e| panic!("{e}"));
    workspace.scavenge();
    let parts = save(&mut saver, &mut kept, &workspace);
    assert_eq!(
        parts.chunks.len() as u64,
        parts.chunk_count,
        "every chunk written again"
    );
    assert_eq!(
        kept.open().save(),
        workspace.save(),
        "after a compaction and a scavenge"
    );
}

#[test]
fn a_failed_write_is_made_good_by_the_next_save() {
    let mut workspace = cart();
    let (mut saver, mut kept) = (Saver::default(), Kept::default());
    open_carts(&mut workspace, 1, 300);
    save(&mut saver, &mut kept, &workspace);
    open_carts(&mut workspace, 300, 900);
    let lost = saver.parts(&workspace, true);
    assert!(!lost.chunks.is_empty(), "something to write");
    // The write failed: nothing kept, nothing noted. The next save covers it.
    open_carts(&mut workspace, 900, 910);
    save(&mut saver, &mut kept, &workspace);
    assert_eq!(kept.open().save(), workspace.save(), "after the failed write");
}

#[test]
fn a_restored_workspace_goes_on_saving_from_where_it_was() {
    let mut workspace = cart();
    let (mut saver, mut kept) = (Saver::default(), Kept::default());
    open_carts(&mut workspace, 1, 800);
    save(&mut saver, &mut kept, &workspace);
    let mut reopened = kept.open();
    let mut saver = Saver::restored(&reopened);
    open_carts(&mut reopened, 800, 805);
    let parts = save(&mut saver, &mut kept, &reopened);
    assert!(parts.chunks.len() <= 2, "{} chunks written", parts.chunks.len());
    open_carts(&mut workspace, 800, 805);
    assert_eq!(
        kept.open().save(),
        workspace.save(),
        "the same as the workspace never closed"
    );
}

#[test]
fn damaged_parts_are_refused_with_where_they_are_wrong() {
    let mut workspace = cart();
    let (mut saver, mut kept) = (Saver::default(), Kept::default());
    open_carts(&mut workspace, 1, 600);
    save(&mut saver, &mut kept, &workspace);
    let mut missing = Kept::default();
    missing.write(&saver.parts(&workspace, true));
    missing.chunks.remove(&0);
    let problems = missing.problems();
    assert!(
        problems.iter().any(|p| p.message.contains("chunk 0 are missing")),
        "a lost chunk is noticed: {problems:?}"
    );
    missing.chunks = kept.chunks.clone();
    missing.chunks.pop_last();
    let problems = missing.problems();
    assert!(
        problems.iter().any(|p| p.message.contains("are missing")),
        "the last chunk lost: {problems:?}"
    );
    missing.chunks.clear();
    missing.store = "{not json".to_owned();
    let problems = missing.problems();
    assert!(
        problems.iter().any(|p| p.path == "events"),
        "a damaged store head: {problems:?}"
    );
}
