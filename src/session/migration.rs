//! Copy-and-transform migrations for the Lifecycle page and the JS API: start, follow the copy,
//! compare old and new (dual reads), switch, archive the old streams; with what each way costs
//! beside upcasting on read (see `sim/runtime/migration.rs`).

use serde::Serialize;

use super::{Result, Workspace};
use crate::model::Spec;
use crate::sim::{DualRead, Migration};

/// A migration as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrationView {
    /// The migration and its counts.
    #[serde(flatten)]
    pub migration: Migration,
    /// The store's head: the copy has caught up once its checkpoint is there.
    pub head: u64,
    /// Streams and bytes in the old category.
    pub old_streams: u64,
    /// Their bytes.
    pub old_bytes: u64,
    /// Streams and bytes in the new category.
    pub new_streams: u64,
    /// Their bytes.
    pub new_bytes: u64,
}

impl Workspace {
    /// Starts copying a stream type's streams into the category `to`, transformed to the current
    /// versions; the copy goes on in the steps.
    pub fn start_migration(&mut self, stream_type: &str, to: &str) -> Result<()> {
        self.services.main.start_migration(stream_type, to)?;
        Ok(())
    }

    /// The migration, if one was started, with the sizes of both categories.
    pub fn migration(&self) -> Option<MigrationView> {
        let runtime = &self.services.main;
        let migration = runtime.migration()?.clone();
        let store = runtime.store();
        let size = |category: &str| store.category_stats(category).map_or((0, 0), |s| (s.streams, s.bytes));
        let (old_streams, old_bytes) = size(&migration.from);
        let (new_streams, new_bytes) = size(&migration.to);
        Some(MigrationView {
            head: runtime.head(),
            migration,
            old_streams,
            old_bytes,
            new_streams,
            new_bytes,
        })
    }

    /// Whether a migration's copy has events left to copy that the steps can reach.
    pub fn copy_behind(&self) -> bool {
        self.services.main.migration().is_some_and(|m| {
            m.switched_at.is_none() && m.error.is_none() && m.checkpoint < self.services.main.high_water_mark()
        })
    }

    /// Folds every old stream and its copy and compares the states.
    pub fn dual_read(&mut self) -> Result<DualRead> {
        Ok(self.services.main.dual_read()?)
    }

    /// Copies what is left and switches to the new streams; the scenario's model follows.
    pub fn switch_migration(&mut self) -> Result<u64> {
        let at = self.services.main.switch_migration()?;
        self.scenario.model = self.services.main.model().clone();
        // Specs name streams too: the old ids become the new ones.
        if let Some(migration) = self.services.main.migration() {
            let moved = |id: &mut String| {
                if let Some(new) = migration.new_id(id) {
                    *id = new;
                }
            };
            for spec in &mut self.scenario.specs {
                match spec {
                    Spec::Decider(spec) => {
                        moved(&mut spec.when.stream);
                        spec.given.iter_mut().for_each(|g| moved(&mut g.stream));
                    }
                    Spec::Projection(spec) => spec.given.iter_mut().for_each(|g| moved(&mut g.stream)),
                    Spec::Policy(_) | Spec::Translation(_) | Spec::Consumer(_) | Spec::Process(_) => {}
                }
            }
        }
        Ok(at)
    }

    /// Archives the old streams of a switched migration; answers how many.
    pub fn archive_migrated(&mut self) -> Result<u64> {
        Ok(self.services.main.archive_migrated()?)
    }

    /// Drops a migration before its switch, deleting its copies.
    pub fn cancel_migration(&mut self) -> Result<()> {
        Ok(self.services.main.cancel_migration()?)
    }
}
