//! What every read sees of an event stored at an old schema version: the events its upcasters
//! make of it (maybe several, maybe none), or the upcaster's error. The schema lab shows it for
//! each old event, the inspector for the event it shows.

use yew::prelude::*;

use super::JsonTree;
use crate::sim::Envelope;

/// Properties of [`UpcastRead`].
#[derive(Properties, PartialEq)]
pub struct UpcastReadProps {
    /// The events reads see, or why the upcasters failed.
    pub read: Result<Vec<Envelope>, String>,
}

/// The events as read, each a JSON tree labelled with its type and version, or the error.
#[component]
pub fn UpcastRead(props: &UpcastReadProps) -> Html {
    match &props.read {
        Ok(events) if events.is_empty() => html! { <p class="hint">{ "Dropped: reads see no event." }</p> },
        Ok(events) => html! {
            { for events.iter().map(|e| html! {
                <JsonTree label={format!("Read as {} v{}", e.event_type, e.schema_version)} value={e.data.clone()} />
            }) }
        },
        Err(error) => html! { <p class="field-problem">{ format!("Reads fail: {error}") }</p> },
    }
}
