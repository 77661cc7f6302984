//! What the System page shows of what the modules hold: [`ProcessInstances`] (each process
//! manager's instances, with a button to fire a pending timeout now), [`Outboxes`] (each outbox's
//! rows and its relay's checkpoint) and [`ModuleTables`] (each state-stored module's rows and the
//! changes commands made to them). Each reads its view from the workspace (`crate::session`).

use serde_json::Value;
use yew::prelude::*;

use super::JsonTree;
use crate::session::{
    counted, duration, payload_line, Action, InstanceStatus, InstanceView, ModuleTablesView, OutboxView, ProcessView,
};
use crate::sim::system::ChangeRow;
use crate::ui::state::{use_app, use_workspace_read, Handle};

/// Each process manager's instances: status, state, history, commands sent, and the timeouts
/// they wait for, counting down on the simulated clock, each with "Fire now".
#[component]
pub fn ProcessInstances() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let processes = use_workspace_read(&app, (), |workspace, ()| workspace.process_views());
    html! {
        <section class="lab-panel system-instances" aria-label="Process instances">
            <h3>{ "Process instances" }</h3>
            if processes.is_empty() {
                <p class="muted">{ "No process manager in this system: a process manager keeps an instance per order (or other key), with its state and deadlines." }</p>
            }
            { for processes.iter().map(|process| process_view(&app.handle, process)) }
        </section>
    }
}

/// Says which of `total` are listed when not all of them are: `20 of 1,204 instances: the latest`.
fn shown(listed: usize, total: usize, noun: &str, which: &str) -> Html {
    if listed >= total {
        return Html::default();
    }
    html! { <p class="muted">{ format!("{listed} of {}: {which}", counted(total as u64, noun)) }</p> }
}

fn process_view(handle: &Handle, process: &ProcessView) -> Html {
    html! {
        <div class="process-view">
            <h4>{ &process.name }<span class="muted">{ format!(" in {}", process.module) }</span></h4>
            { shown(process.instances.len(), process.total, "instance", "the running ones first") }
            if process.instances.is_empty() {
                <p class="muted">{ format!("No process instance yet: a message on {} starts one (confirm a cart, for instance).", process.topics.join(", ")) }</p>
            }
            <div class="instance-cards">
                { for process.instances.iter().map(|instance| html! {
                    <InstanceCard key={instance.key.clone()} process={process.name.clone()}
                        instance={instance.clone()} onfire={fire(handle, &process.name, &instance.key)} />
                }) }
            </div>
        </div>
    }
}

/// Properties of [`InstanceCard`].
#[derive(Properties, PartialEq)]
struct InstanceCardProps {
    /// The process manager.
    process: AttrValue,
    /// The instance.
    instance: InstanceView,
    /// Fires the pending timeout with this id now.
    onfire: Callback<String>,
}

/// One instance: its status, state as a tree, history, commands sent and pending timeouts.
#[component]
fn InstanceCard(props: &InstanceCardProps) -> Html {
    let instance = &props.instance;
    let status = match instance.status {
        InstanceStatus::Running => "instance-status running",
        InstanceStatus::Done => "instance-status done",
        InstanceStatus::Compensated => "instance-status compensated",
    };
    let history = if instance.history.is_empty() {
        "none".to_owned()
    } else {
        instance.history.join(" → ")
    };
    html! {
        <article class="instance-card" aria-label={format!("{} {}", props.process, instance.key)}>
            <header>
                <strong>{ &instance.key }</strong>
                <span class={status}>{ instance.status.label() }</span>
                <span class="muted">{ &instance.stream_id }</span>
            </header>
            <JsonTree label="State" value={instance.state.clone()} open={false} />
            <p class="instance-history">{ format!("History: {history}") }</p>
            <p>{ "Commands sent:" }</p>
            if instance.sent.is_empty() {
                <p class="muted">{ "none accepted yet" }</p>
            } else {
                <ul class="instance-sent">{ for instance.sent.iter().map(|c| html! { <li>{ c }</li> }) }</ul>
            }
            if !instance.timeouts.is_empty() {
                <ul class="instance-timeouts" aria-label="Pending timeouts">
                    { for instance.timeouts.iter().map(|t| {
                        let (onfire, id) = (props.onfire.clone(), t.id.clone());
                        html! {
                            <li>
                                <span>{ format!("{} ({}) {}", t.name, t.id, t.countdown) }</span>
                                <button type="button" onclick={Callback::from(move |_| onfire.emit(id.clone()))}>{ "Fire now" }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </article>
    }
}

fn fire(handle: &Handle, process: &str, key: &str) -> Callback<String> {
    let (handle, process, key) = (handle.clone(), process.to_owned(), key.to_owned());
    Callback::from(move |timeout: String| {
        let fired = handle.workspace.borrow_mut().fire_timeout_now(&process, &key, &timeout);
        handle.dispatch(Action::Status(match fired {
            Ok(said) => said,
            Err(error) => format!("The timeout did not fire: {error}"),
        }));
        handle.changed();
    })
}

/// Each outbox: its rows (message, topic, written, relayed or waiting, relay crashes) and how far
/// its relay's checkpoint has come.
#[component]
pub fn Outboxes() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let outboxes = use_workspace_read(&app, (), |workspace, ()| workspace.outbox_views());
    html! {
        <section class="lab-panel system-outboxes" aria-label="Outboxes">
            <h3>{ "Outboxes" }</h3>
            if outboxes.is_empty() {
                <p class="muted">{ "No module publishes through an outbox: with one, a module writes its messages with its change, and a relay publishes them later from a checkpoint." }</p>
            }
            { for outboxes.iter().map(outbox_view) }
        </section>
    }
}

fn outbox_view(outbox: &OutboxView) -> Html {
    html! {
        <div class="outbox-view">
            <h4>{ &outbox.module }<span class="muted">{ format!(" · relay checkpoint: {}", outbox.checkpoint()) }</span></h4>
            { shown(outbox.rows.len(), outbox.total, "row", "the latest") }
            if outbox.rows.is_empty() {
                <p class="muted">{ format!("Empty: a command to {} writes its messages here with the change.", outbox.module) }</p>
            } else {
                <div class="table-scroll">
                    <table class="documents">
                        <thead><tr>
                            { for ["Message", "Topic", "Written at", "Relayed", "Relay crashes"].into_iter().map(|h| html! { <th scope="col">{ h }</th> }) }
                        </tr></thead>
                        <tbody>
                            { for outbox.rows.iter().map(|row| html! {
                                <tr class={if row.relayed_ms.is_none() { "waiting" } else { "" }}>
                                    <td>{ &row.message_id }</td>
                                    <td>{ &row.topic }</td>
                                    <td>{ at(row.written_ms) }</td>
                                    <td>{ row.relayed_ms.map_or_else(|| "waiting".to_owned(), at) }</td>
                                    <td>{ row.relay_crashes }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </div>
    }
}

/// Each state-stored module's tables with their rows, and the changes its commands made.
#[component]
pub fn ModuleTables() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let modules = use_workspace_read(&app, (), |workspace, ()| workspace.module_tables_views());
    html! {
        <section class="lab-panel system-tables" aria-label="State-stored tables">
            <h3>{ "State-stored tables" }</h3>
            if modules.is_empty() {
                <p class="muted">{ "No state-stored module in this system: such a module keeps rows that its commands overwrite, with no history but its changes." }</p>
            }
            { for modules.iter().map(tables_view) }
        </section>
    }
}

fn tables_view(module: &ModuleTablesView) -> Html {
    html! {
        <div class="module-tables">
            <h4>{ &module.module }</h4>
            { for module.tables.iter().map(|table| html! {
                <div class="module-table">
                    <h5>{ format!("{} · {} rows", table.name, table.total) }</h5>
                    { shown(table.rows.len(), table.total, "row", "the first by id") }
                    if table.rows.is_empty() {
                        <p class="muted">{ format!("No row yet: send a command to {} with the console above.", module.module) }</p>
                    } else {
                        <ul class="table-rows">
                            { for table.rows.iter().map(|(id, row)| html! { <li><strong>{ id }</strong>{ " " }{ payload_line(row) }</li> }) }
                        </ul>
                    }
                </div>
            }) }
            <h5>{ "Changes, newest first" }</h5>
            { shown(module.changes.len(), module.changes_total, "change", "the latest") }
            if module.changes.is_empty() {
                <p class="muted">{ "No change yet: each command that writes a row is listed here, with the row before and after." }</p>
            } else {
                <ol class="table-changes">{ for module.changes.iter().map(change_view) }</ol>
            }
        </div>
    }
}

fn change_view(change: &ChangeRow) -> Html {
    let side = |row: &Option<Value>| row.as_ref().map_or_else(|| "(none)".to_owned(), payload_line);
    html! {
        <li>
            <p>{ format!("{} {} {} {}/{} at {} (command {}, correlation {})", change.id, change.command, change.op, change.table, change.row_id, at(change.at_ms), change.command_id, change.correlation_id) }</p>
            <p class="change-rows">
                <span class="before">{ side(&change.before) }</span>{ " → " }<span class="after">{ side(&change.after) }</span>
            </p>
        </li>
    }
}

/// A simulated time as a span since the clock started: `12 s`, `1 min 5 s`.
fn at(ms: i64) -> String {
    duration(u64::try_from(ms).unwrap_or(0))
}
