//! The projections lab: every projection with its state, checkpoint and lag; rebuilds in place
//! with a progress bar and events per second; blue-green builds side by side with the running
//! version and a switch enabled once the new one has caught up; where a projection stopped on a
//! poison event and why, with fix and skip; the selected projection's documents as a table or JSON.
//! Faults to stage and their guards: a crash between documents and checkpoint, a slow writer
//! whose transaction stays in flight (gaps), a rebuilder that crashes halfway, a second
//! rebuilder, inline writes during a rebuild.

use std::collections::BTreeSet;
use std::rc::Rc;

use serde_json::Value;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::JsonTree;
use crate::model::{Checkpointing, Gaps, Lifecycle};
use crate::session::{clock, counted, Writers};
use crate::sim::{ProjectionState, ProjectionStatus, RebuildFault, RebuildProgress};

/// How many columns the documents table shows at most (the JSON view shows everything).
const COLUMNS: usize = 8;

/// What the user asks of one projection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabAction {
    /// Show its documents.
    Select,
    /// Drop its documents and replay from 0.
    Rebuild,
    /// Draft its next version to build beside it.
    BlueGreen,
    /// Switch its blue-green build in.
    Switch,
    /// Drop its blue-green build.
    Cancel,
    /// Move past its poison event.
    Skip,
    /// Open its definition, to fix a handler.
    Edit,
    /// Crash it between writing the documents of its next batch and storing its checkpoint.
    Crash,
    /// Store its checkpoint this way from now on.
    Checkpoint(Checkpointing),
    /// Read gaps this way from now on.
    Gaps(Gaps),
    /// Hold the next command's transaction open (a slow writer); for the lab, not a projection.
    HoldNextWrite,
    /// Commit every transaction in flight now.
    CommitInFlight,
    /// Rebuild in place with a fault halfway.
    RebuildWith(RebuildFault),
    /// Turn the rebuild guards on or off; for the lab, not a projection.
    Guards(bool),
}

/// How long the lab's slow writer holds its transaction open, in simulated ms.
pub const HOLD_MS: u64 = 5_000;
/// After how long the lab's "passes stale gaps" option passes a gap, in simulated ms.
const STALE_MS: u64 = 3_000;

/// Properties of [`ProjectionsLab`].
#[derive(Properties, PartialEq)]
pub struct ProjectionsLabProps {
    /// Every projection's status.
    pub statuses: Rc<Vec<ProjectionStatus>>,
    /// The projection whose documents are shown.
    #[prop_or_default]
    pub selected: Option<String>,
    /// Its documents by key (at most a page) and how many it holds.
    #[prop_or_default]
    pub documents: Rc<(Vec<(String, Value)>, usize)>,
    /// Events per second of the last steps, while something was catching up.
    #[prop_or_default]
    pub rate: Option<f64>,
    /// What went wrong with the last action, if anything.
    #[prop_or_default]
    pub error: Option<String>,
    /// The slow writer and the transactions in flight.
    #[prop_or_default]
    pub writers: Rc<Writers>,
    /// Called with a projection's name and what to do.
    pub onaction: Callback<(String, LabAction)>,
}

/// The lab.
#[component]
pub fn ProjectionsLab(props: &ProjectionsLabProps) -> Html {
    let as_json = use_state(|| false);
    let cards = props.statuses.iter().map(|status| card(status, props));
    let documents = props.selected.as_ref().map(|name| {
        let (docs, total) = &*props.documents;
        let ontable = {
            let as_json = as_json.clone();
            Callback::from(move |_: MouseEvent| as_json.set(false))
        };
        let onjson = {
            let as_json = as_json.clone();
            Callback::from(move |_: MouseEvent| as_json.set(true))
        };
        html! {
            <section class="lab-documents" aria-label={format!("Documents of {name}")}>
                <h3>{ format!("{name}: {}", counted(*total as u64, "document")) }
                    if docs.len() < *total { <span class="count">{ format!("the first {} shown", docs.len()) }</span> }
                </h3>
                <div class="segmented" role="group" aria-label="Show documents as">
                    <button type="button" aria-pressed={(!*as_json).to_string()} onclick={ontable}>{ "Table" }</button>
                    <button type="button" aria-pressed={as_json.to_string()} onclick={onjson}>{ "JSON" }</button>
                </div>
                if docs.is_empty() {
                    <p class="empty-state">{ "No documents yet." }</p>
                } else if *as_json {
                    <JsonTree label="Documents" value={Value::Object(docs.iter().cloned().collect())} />
                } else {
                    { table(docs) }
                }
            </section>
        }
    });
    html! {
        <div class="lab projections-lab">
            if let Some(error) = props.error.clone() {
                <p class="outcome outcome-failed" role="alert">{ error }</p>
            }
            if props.statuses.is_empty() {
                <p class="empty-state">{ "The model has no projections yet: add one in the Model panel." }</p>
            }
            if !props.statuses.is_empty() { { slow_writer(props) } }
            <div class="lab-cards">{ for cards }</div>
            { documents }
        </div>
    }
}

fn card(status: &ProjectionStatus, props: &ProjectionsLabProps) -> Html {
    let name = status.name.clone();
    let act = |action: LabAction| {
        let name = name.clone();
        props.onaction.reform(move |_: MouseEvent| (name.clone(), action))
    };
    let (state, class) = match (status.state, status.lag) {
        (ProjectionState::Stopped, _) => ("stopped on an error", "stopped"),
        (ProjectionState::CatchingUp, _) if status.waiting_at.is_some() => ("waiting at a gap", "catching-up"),
        (ProjectionState::Rebuilding, _) if status.stalled() => ("stuck rebuilding", "stopped"),
        (ProjectionState::Rebuilding, _) => ("rebuilding", "rebuilding"),
        (ProjectionState::Live, _) | (ProjectionState::CatchingUp, 0) => ("caught up", "live"),
        (ProjectionState::CatchingUp, _) => ("running, catching up", "catching-up"),
    };
    let lifecycle = match status.lifecycle {
        Lifecycle::Inline => "inline",
        Lifecycle::Async => "async",
    };
    let selected = props.selected.as_deref() == Some(status.name.as_str());
    let rebuild = status.rebuild.map(|progress| {
        let rate = props
            .rate
            .map(|r| format!(", {} events/s", r.round()))
            .unwrap_or_default();
        html! {
            <div class="rebuild-progress">
                <progress max={progress.total.max(1).to_string()} value={progress.processed.to_string()}
                    aria-label={format!("Rebuild of {}", status.name)}></progress>
                <span>{ format!("{} of {} events{rate}", progress.processed, progress.total) }</span>
            </div>
        }
    });
    let blue_green = status.blue_green.as_ref().map(|build| {
        let ready = build.lag == 0 && build.poison.is_none();
        html! {
            <section class="blue-green" aria-label={format!("Blue-green build of {}", status.name)}>
                <div class="bg-side live-side">
                    <strong>{ format!("v{} live", status.version) }</strong>
                    <span>{ format!("checkpoint {}, lag {}, {}", status.checkpoint, status.lag, counted(status.documents as u64, "document")) }</span>
                </div>
                <div class="bg-side next-side">
                    <strong>{ match (&build.poison, build.lag) {
                        (Some(_), _) => format!("v{} stopped", build.version),
                        (None, 0) => format!("v{} caught up: ready to switch", build.version),
                        (None, _) => format!("v{} building", build.version),
                    } }</strong>
                    <span>{ format!("checkpoint {}, lag {}, {}", build.checkpoint, build.lag, counted(build.documents as u64, "document")) }</span>
                    if let Some(poison) = &build.poison {
                        <span class="field-problem">{ format!("stopped at position {}: {}", poison.position, poison.error) }</span>
                    }
                </div>
                <div class="bg-actions">
                    <button type="button" class="primary" disabled={!ready} onclick={act(LabAction::Switch)}
                        title={if ready { "Switch readers to the new version" } else { "Enabled once the new version has caught up" }}>
                        { format!("Switch to v{}", build.version) }
                    </button>
                    <button type="button" onclick={act(LabAction::Cancel)}>{ "Cancel the build" }</button>
                </div>
            </section>
        }
    });
    let resiliency = (status.lifecycle == Lifecycle::Async).then(|| checkpointing(status, props));
    let poison = status.poison.as_ref().map(|poison| html! {
        <div class="poison" role="alert">
            <strong>{ format!("Stopped at position {} ({} in {})", poison.position, poison.event_type, poison.stream_id) }</strong>
            <p>{ poison.error.clone() }</p>
            if status.lifecycle == Lifecycle::Inline {
                <p class="blocked">{ "Inline: the append and this read model move together, so commands that append events it reads are refused until it runs again." }</p>
            }
            <div class="bg-actions">
                <button type="button" class="primary" onclick={act(LabAction::Edit)}>{ "Fix the handler" }</button>
                <button type="button" onclick={act(LabAction::Skip)}>{ "Skip this event" }</button>
            </div>
        </div>
    });
    html! {
        <section class={classes!("lab-card", format!("card-{class}"), selected.then_some("selected"))}
            aria-label={format!("Projection {}", status.name)} key={status.name.clone()}>
            <header>
                <h3>{ format!("{} v{}", status.name, status.version) }</h3>
                <span class="badge">{ lifecycle }</span>
                <span class={classes!("state", format!("state-{class}"))}>{ state }</span>
            </header>
            <dl class="lab-figures">
                <dt>{ "Checkpoint" }</dt><dd>{ status.checkpoint }</dd>
                <dt>{ "Lag" }</dt><dd>{ status.lag }</dd>
                <dt>{ "Documents" }</dt><dd>{ status.documents }</dd>
                if !status.skipped.is_empty() { <dt>{ "Skipped" }</dt><dd>{ status.skipped.len() }</dd> }
            </dl>
            { rebuild }
            { for status.rebuild.or(status.last_rebuild).map(rebuild_report) }
            { resiliency }
            { poison }
            { blue_green }
            <div class="lab-actions">
                <button type="button" onclick={act(LabAction::Select)} aria-pressed={selected.to_string()}>{ "Documents" }</button>
                <button type="button" onclick={act(LabAction::Rebuild)} disabled={status.rebuild.is_some() && !status.stalled()}>{ "Rebuild in place" }</button>
                <button type="button" onclick={act(LabAction::RebuildWith(RebuildFault::CrashHalfway))} disabled={status.rebuild.is_some()}>{ "Rebuild, crashing halfway" }</button>
                <button type="button" onclick={act(LabAction::RebuildWith(RebuildFault::SecondRebuilder))} disabled={status.rebuild.is_some()}>{ "Rebuild with a second rebuilder" }</button>
                <button type="button" onclick={act(LabAction::BlueGreen)} disabled={status.blue_green.is_some()}>{ "Blue-green rebuild…" }</button>
            </div>
        </section>
    }
}

/// How an async projection stores its checkpoint, the crash fault, and the crashes so far.
fn checkpointing(status: &ProjectionStatus, props: &ProjectionsLabProps) -> Html {
    let name = status.name.clone();
    let current = status.checkpointing;
    let onchange = {
        let name = name.clone();
        props.onaction.reform(move |e: Event| {
            let picked = e.target_unchecked_into::<HtmlSelectElement>().value();
            let checkpointing = match picked.as_str() {
                "afterBatch" => Checkpointing::AfterBatch,
                "every" => Checkpointing::Every { events: 100 },
                _ => Checkpointing::WithReadModel,
            };
            (name.clone(), LabAction::Checkpoint(checkpointing))
        })
    };
    let oncrash = {
        let name = name.clone();
        props
            .onaction
            .reform(move |_: MouseEvent| (name.clone(), LabAction::Crash))
    };
    let mode = match current {
        Checkpointing::WithReadModel => "withReadModel",
        Checkpointing::AfterBatch => "afterBatch",
        Checkpointing::Every { .. } => "every",
    };
    let options = [
        ("withReadModel", "with the read model, in one transaction"),
        ("afterBatch", "separately, after each batch"),
        ("every", "separately, every 100 events"),
    ];
    html! {
        <div class="checkpointing">
            <label class="inline-field">{ "Checkpoint " }
                <select aria-label={format!("Checkpoint of {name}")} {onchange}>
                    { for options.into_iter().map(|(value, words)| html! {
                        <option {value} selected={mode == value}>{ words }</option>
                    }) }
                </select>
            </label>
            <button type="button" onclick={oncrash} disabled={status.crash_armed}
                title="The next batch writes its documents, then the process dies before the checkpoint is stored; it restarts from the stored one">
                { if status.crash_armed { "Crash armed: next batch" } else { "Crash between write and checkpoint" } }
            </button>
            { for status.crashes.iter().rev().take(1).map(|crash| html! {
                <p class={classes!("crash-report", (!crash.rolled_back).then_some("harmful"))} role="status">
                    { format!("Crashed after writing its documents up to position {}, before storing the checkpoint; restarted at position {} (the checkpoint it had stored): {} read again",
                        crash.written_up_to.saturating_sub(1), crash.restarted_from, counted(crash.processed_again, "position")) }
                    { if crash.rolled_back {
                        " on the documents as they were (one transaction): nothing counted twice."
                    } else {
                        " on documents that already had them: whatever of them it reads, a handler that is not idempotent applies twice. Rebuild to set it right."
                    } }
                </p>
            }) }
            { gaps(status, props) }
        </div>
    }
}

/// What went wrong in a rebuild, and what a guard did about it.
fn rebuild_report(progress: RebuildProgress) -> Html {
    let mut lines = Vec::new();
    if let Some(at) = progress.crashed_at {
        lines.push(if progress.stalled {
            (true, format!("Its rebuilder crashed at position {at} and, with no lease to expire, nothing took over: stuck rebuilding, reads serve a half-built read model. Rebuild again to start over; the lease prevents it."))
        } else {
            (false, format!("Its rebuilder crashed at position {at}; the lease expired and another node went on from there."))
        });
    }
    if let Some(at) = progress.second_from {
        lines.push((true, format!("A second rebuilder cleared the documents at position {at} and started over beside the first: every event from there on was applied twice. Rebuild again; the lock prevents it.")));
    }
    if progress.second_refused {
        lines.push((
            false,
            "The lock turned a second rebuilder away: the documents were built once.".to_owned(),
        ));
    }
    if progress.inline_twice > 0 {
        lines.push((true, format!("{} written inline while it rebuilt, then read again by the rebuild: applied twice. With the guards on, inline writes wait for the rebuild.",
            counted(progress.inline_twice, "event"))));
    }
    html! {
        { for lines.into_iter().map(|(harmful, line)| html! {
            <p class={classes!("crash-report", harmful.then_some("harmful"))} role="status">{ line }</p>
        }) }
    }
}

/// The slow writer: arm it for the next command, see the transactions in flight, commit them.
fn slow_writer(props: &ProjectionsLabProps) -> Html {
    let writers = &*props.writers;
    let act = |action: LabAction| props.onaction.reform(move |_: MouseEvent| (String::new(), action));
    let flights = writers.in_flight.iter().map(|flight| {
        let events = counted(flight.to - flight.from, "event");
        let left = clock(flight.commits_ms - writers.now_ms);
        html! { <li>{ format!("{events} of {} at position {}, commits in {left}", flight.stream_id, flight.from) }</li> }
    });
    html! {
        <section class="checkpointing slow-writer" aria-label="Slow writer and rebuild guards">
            <button type="button" onclick={act(LabAction::HoldNextWrite)} disabled={writers.armed.is_some()}
                title="The next command's events take their positions now and commit 5 simulated seconds later; commands after it commit above them">
                { if writers.armed.is_some() { "Slow writer armed: next command" } else { "Slow writer: hold the next command open 5 s" } }
            </button>
            if !writers.in_flight.is_empty() {
                <ul class="in-flight" aria-label="In flight">{ for flights }</ul>
                <button type="button" onclick={act(LabAction::CommitInFlight)}>{ "Commit now" }</button>
            }
            <label class="inline-field" title="The lock (one rebuilder at a time), the lease (a crashed rebuilder's work is taken over) and inline writes paused while an inline projection rebuilds; for rebuilds started from now on">
                <input type="checkbox" checked={writers.guards} onclick={act(LabAction::Guards(!writers.guards))} />
                { "Rebuild guards: lock, lease, inline writes paused" }
            </label>
        </section>
    }
}

/// What an async projection does at gaps, and what it missed, waits for or passed.
fn gaps(status: &ProjectionStatus, props: &ProjectionsLabProps) -> Html {
    let name = status.name.clone();
    let onchange = props.onaction.reform(move |e: Event| {
        let gaps = match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
            "wait" => Gaps::HighWaterMark { stale_after_ms: None },
            "stale" => Gaps::HighWaterMark {
                stale_after_ms: Some(STALE_MS),
            },
            _ => Gaps::Naive,
        };
        (name.clone(), LabAction::Gaps(gaps))
    });
    let mode = match status.gaps {
        Gaps::Naive => "naive",
        Gaps::HighWaterMark { stale_after_ms: None } => "wait",
        Gaps::HighWaterMark { .. } => "stale",
    };
    let options = [
        ("naive", "naive: reads past transactions in flight"),
        ("wait", "high-water mark: waits for them"),
        ("stale", "high-water mark, passing a gap stale after 3 s"),
    ];
    let positions = |list: &[u64]| list.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
    html! {
        <>
            <label class="inline-field">{ "Gaps " }
                <select aria-label={format!("Gaps of {}", status.name)} {onchange}>
                    { for options.into_iter().map(|(value, words)| html! {
                        <option {value} selected={mode == value}>{ words }</option>
                    }) }
                </select>
            </label>
            if let Some(at) = status.waiting_at {
                <p class="crash-report" role="status">{ format!("Waiting at position {at}, the high-water mark: a transaction holding it is still in flight.") }</p>
            }
            if !status.missed.is_empty() {
                <p class="crash-report harmful" role="status">
                    { format!("Read past {} in flight (position {}): committed behind its checkpoint, never read. Rebuild to set it right; the high-water mark prevents it.",
                        counted(status.missed.len() as u64, "event"), positions(&status.missed)) }
                </p>
            }
            if !status.pending.is_empty() || status.drained > 0 {
                <p class="crash-report" role="status">
                    { format!("Passed a stale gap: {} listed, read once committed; {} read late.",
                        counted(status.pending.len() as u64, "position"), counted(status.drained, "event")) }
                </p>
            }
        </>
    }
}

/// The documents as a table: the key, then the top-level fields the first documents have.
fn table(docs: &[(String, Value)]) -> Html {
    let mut columns: BTreeSet<&str> = BTreeSet::new();
    for (_, doc) in docs {
        if let Some(map) = doc.as_object() {
            columns.extend(map.keys().map(String::as_str));
        }
    }
    let columns: Vec<&str> = columns.into_iter().take(COLUMNS).collect();
    let cell = |value: Option<&Value>| match value {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    html! {
        <div class="table-scroll">
            <table class="documents">
                <thead><tr><th scope="col">{ "key" }</th>{ for columns.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                <tbody>
                    { for docs.iter().map(|(key, doc)| html! {
                        <tr key={key.clone()}>
                            <th scope="row">{ key }</th>
                            if doc.is_object() {
                                { for columns.iter().map(|c| html! { <td>{ cell(doc.get(*c)) }</td> }) }
                            } else {
                                <td colspan={columns.len().max(1).to_string()}>{ doc.to_string() }</td>
                            }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
