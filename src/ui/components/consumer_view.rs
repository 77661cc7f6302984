//! A consumer opened from the system map: its checkpoint, inbox, deliveries newest first,
//! retries waiting on the clock, retry policy, stopped state and parked messages.

use yew::prelude::*;

use crate::session::{clock, retry_words, Action, ConsumerView, SHOWN_DELIVERIES};
use crate::ui::state::{use_app, use_workspace_read, Handle};

/// Properties of [`ConsumerPanel`].
#[derive(Properties, PartialEq)]
pub struct SelectedProps {
    /// The consumer's name.
    pub name: String,
}

/// A consumer opened from the map or the links table.
#[component]
pub fn ConsumerPanel(props: &SelectedProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let shown = use_state(|| SHOWN_DELIVERIES);
    {
        let shown = shown.clone();
        use_effect_with(props.name.clone(), move |_| shown.set(SHOWN_DELIVERIES));
    }
    let view = use_workspace_read(&app, (props.name.clone(), *shown), |workspace, (name, shown)| {
        workspace.consumer_view(name, *shown).map_err(|e| e.to_string())
    });
    let view = match &*view {
        Ok(view) => view,
        Err(error) => {
            return html! { <section class="lab-panel consumer-view" aria-label="Consumer"><p class="field-problem">{ error }</p></section> }
        }
    };
    let handle = &app.handle;
    let on_more = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(*shown + SHOWN_DELIVERIES))
    };
    html! {
        <section class="lab-panel consumer-view" aria-label={format!("Consumer {}", view.name)}>
            <h3>{ format!("{} ({} in {})", view.name, view.kind, view.module) }</h3>
            <p class="muted">{ format!("Reads {}", view.topics.join(", ")) }</p>
            <dl class="consumer-facts">
                <dt>{ "Checkpoint" }</dt>
                <dd>{ format!("{} passed · last {} · {} pending", view.checkpoint,
                    view.checkpoint_message_id.as_deref().unwrap_or("none"), view.pending) }</dd>
                <dt>{ "Retries" }</dt>
                <dd>{ retry_words(&view.policy) }</dd>
                <dt>{ "Parked" }</dt>
                <dd>{ format!("{} (listed under Dead letters)", view.parked) }</dd>
                <dt>{ "State" }</dt>
                <dd>
                    { match &view.stopped {
                        Some(reason) => html! { <>
                            { format!("stopped ({} held): {reason} ", view.held) }
                            <button type="button" onclick={resume(handle, &view.name)}>{ "Resume" }</button>
                        </> },
                        None => html! { "running" },
                    } }
                </dd>
                <dt>{ "Inbox" }</dt>
                <dd>
                    { if view.inbox.is_some() { "on " } else { "off " } }
                    <button type="button" onclick={inbox(handle, &view.name, view.inbox.is_none())}>
                        { if view.inbox.is_some() { "Turn off" } else { "Turn on" } }
                    </button>
                </dd>
            </dl>
            { inbox_rows(view) }
            { retries(view) }
            { deliveries(view, on_more) }
        </section>
    }
}

fn inbox_rows(view: &ConsumerView) -> Html {
    let Some(rows) = &view.inbox else {
        return Html::default();
    };
    html! {
        <details class="consumer-inbox">
            <summary>{ format!("Inbox: {} kept, {} duplicates dropped", rows.len(), rows.iter().map(|r| r.dropped).sum::<usize>()) }</summary>
            <table class="documents">
                <thead><tr><th scope="col">{ "Message" }</th><th scope="col">{ "Handled at" }</th><th scope="col">{ "Dropped again" }</th></tr></thead>
                <tbody>
                    { for rows.iter().rev().map(|r| html! {
                        <tr class={if r.dropped > 0 { "dedup-hit" } else { "" }}>
                            <td>{ &r.message_id }</td><td>{ clock(r.handled_ms) }</td><td>{ r.dropped }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </details>
    }
}

fn retries(view: &ConsumerView) -> Html {
    if view.retries.is_empty() {
        return html! { <p class="muted">{ "No retry waits on the clock." }</p> };
    }
    html! {
        <table class="documents consumer-retries" aria-label="Retries waiting">
            <thead><tr><th scope="col">{ "Message" }</th><th scope="col">{ "Attempt" }</th><th scope="col">{ "Due at" }</th></tr></thead>
            <tbody>
                { for view.retries.iter().map(|r| html! {
                    <tr><td>{ format!("{} on {}", r.message_id, r.topic) }</td><td>{ r.attempt }</td><td>{ clock(r.due_ms) }</td></tr>
                }) }
            </tbody>
        </table>
    }
}

fn deliveries(view: &ConsumerView, on_more: Callback<MouseEvent>) -> Html {
    html! {
        <>
            <h4>{ format!("Deliveries, newest first ({} of {})", view.deliveries.len(), view.delivery_count) }</h4>
            <div class="table-scroll">
                <table class="documents consumer-deliveries">
                    <thead>
                        <tr>
                            { for ["Message", "Topic", "Attempt", "Duplicate", "Outcome", "Error", "At"]
                                .into_iter().map(|h| html! { <th scope="col">{ h }</th> }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for view.deliveries.iter().map(|d| html! {
                            <tr class={d.outcome}>
                                <td>{ &d.message_id }</td>
                                <td>{ &d.topic }</td>
                                <td>{ d.attempt }</td>
                                <td>{ if d.duplicate { "yes" } else { "" } }</td>
                                <td>{ d.outcome }</td>
                                <td>{ d.error.clone().unwrap_or_default() }</td>
                                <td>{ clock(d.at_ms) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            if view.deliveries.len() < view.delivery_count {
                <button type="button" onclick={on_more}>{ "Show more" }</button>
            }
        </>
    }
}

fn resume(handle: &Handle, consumer: &str) -> Callback<MouseEvent> {
    let (handle, consumer) = (handle.clone(), consumer.to_owned());
    Callback::from(move |_| {
        let done = handle.workspace.borrow_mut().resume(&consumer);
        handle.dispatch(Action::Status(match done {
            Ok(n) => format!("{consumer} resumed with {n} held messages"),
            Err(error) => format!("Not resumed: {error}"),
        }));
        handle.changed();
    })
}

fn inbox(handle: &Handle, consumer: &str, on: bool) -> Callback<MouseEvent> {
    let (handle, consumer) = (handle.clone(), consumer.to_owned());
    Callback::from(move |_| {
        let done = handle.workspace.borrow_mut().set_inbox(&consumer, on);
        handle.dispatch(Action::Status(match done {
            Ok(said) => said,
            Err(error) => format!("The inbox was not changed: {error}"),
        }));
        handle.changed();
    })
}
