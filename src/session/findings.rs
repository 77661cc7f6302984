//! [`Findings`]: the anti-pattern findings of a running scenario, kept up to date as cheaply as
//! the runtime allows.
//!
//! The linter is made on the first read of the findings and moved forward over what changed
//! since ([`Changes`], which the runtime notes while it is watched); anything other than a
//! command that changes what reads see marks the findings stale, and the next read lints
//! everything again.
//!
//! Commits only note the streams they appended to; the linter catches up when the findings are
//! read (a page reads them when it draws, every 100 ms while a generator runs) or once
//! [`MAX_PENDING`] streams wait. Every rule depends only on the store and the clock as they are,
//! so catching up once after a thousand commands finds what a catch-up after each would, while
//! the rules that look at every stream type, at the store's conflict counts and at the
//! hot-stream window run once instead of a thousand times. Folding each stream's new events is
//! shared with the commands either way (see [`Linter::after_append_shared`]).
//!
//! A scenario with a system has its system's findings too ([`Findings::with_system`]), found
//! when the linter is made and again when the model changes; appends never touch them.

use crate::lint::{Finding, Linter, Thresholds};
use crate::model::Scenario;
use crate::sim::{Changes, Runtime};

/// How many appended-to streams wait for the linter at most; then it catches up without being
/// asked, so that a caller who never reads the findings again holds no more than this.
pub const MAX_PENDING: usize = 4_096;

/// The findings of one runtime, with the thresholds they are found with.
pub struct Findings {
    thresholds: Thresholds,
    /// The scenario's system and settings (its model is the runtime's), when it has a system.
    system: Option<Scenario>,
    linter: Option<Linter>,
}

impl Findings {
    /// Findings with `thresholds`, not yet linted.
    pub fn new(thresholds: Thresholds) -> Self {
        Findings {
            thresholds,
            system: None,
            linter: None,
        }
    }

    /// Lints `scenario`'s system too, when it has one, with the runtime's model (see
    /// [`crate::lint::lint_system`]).
    pub fn with_system(mut self, scenario: &Scenario) -> Self {
        self.system = scenario.system.as_ref().map(|system| Scenario {
            name: scenario.name.clone(),
            settings: scenario.settings.clone(),
            system: Some(system.clone()),
            ..Scenario::default()
        });
        self
    }

    /// The thresholds in force.
    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    /// Sets the thresholds; the next read lints everything with them.
    pub fn set_thresholds(&mut self, thresholds: Thresholds, runtime: &mut Runtime) {
        self.thresholds = thresholds;
        self.linter = None;
        runtime.take_changes();
    }

    /// The findings for the model and the store of `runtime` as they are now, sorted by id. The
    /// first read lints everything and starts watching the runtime's changes; after that a read
    /// updates only what the changes can have changed.
    pub fn read(&mut self, runtime: &mut Runtime) -> &[Finding] {
        let linter = match self.linter.take() {
            None => {
                runtime.watch_changes();
                let shared = runtime.shared();
                let linter = Linter::new(shared.model, shared.store, self.thresholds.clone());
                match &self.system {
                    Some(system) => linter.with_system(&Scenario {
                        model: shared.model.clone(),
                        ..system.clone()
                    }),
                    None => linter,
                }
            }
            Some(mut linter) => {
                let changes = runtime.take_changes();
                if changes.stale {
                    let shared = runtime.shared();
                    linter.relint(shared.model, shared.store);
                } else if changes.happened {
                    catch_up(&mut linter, runtime, &changes);
                }
                linter
            }
        };
        let linter = self.linter.insert(linter);
        linter.after_projections(&runtime.projections());
        linter.findings()
    }

    /// Catches up once [`MAX_PENDING`] streams wait; called after work that commits.
    pub fn keep_up(&mut self, runtime: &mut Runtime) {
        if runtime.changed_streams() < MAX_PENDING {
            return;
        }
        if let Some(linter) = self.linter.as_mut() {
            let changes = runtime.take_changes();
            if changes.stale {
                let shared = runtime.shared();
                linter.relint(shared.model, shared.store);
            } else {
                catch_up(linter, runtime, &changes);
            }
        }
    }

    /// Whether the next read lints everything again (for the tests of the catching up).
    pub fn is_stale(&self, runtime: &Runtime) -> bool {
        self.linter.is_some() && runtime.is_stale()
    }
}

/// Moves the findings on over the streams the changes name.
fn catch_up(linter: &mut Linter, runtime: &mut Runtime, changes: &Changes) {
    let streams: Vec<&str> = changes.streams.iter().map(String::as_str).collect();
    linter.after_append_shared(runtime.shared(), &streams);
}
