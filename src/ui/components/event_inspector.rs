//! The inspector: one event's envelope, metadata and payload, the JSON unfolded.

use yew::prelude::*;

use super::JsonTree;
use crate::session::instant;
use crate::store::RecordedEvent;

/// Properties of [`EventInspector`].
#[derive(Properties, PartialEq)]
pub struct EventInspectorProps {
    /// The event shown, if one is selected.
    #[prop_or_default]
    pub event: Option<RecordedEvent>,
}

/// The inspector.
#[component]
pub fn EventInspector(props: &EventInspectorProps) -> Html {
    let Some(event) = &props.event else {
        return html! { <p class="empty-state">{ "Select an event to inspect it." }</p> };
    };
    let meta = &event.metadata;
    let rows = [
        ("Type", format!("{} v{}", event.event_type, event.schema_version)),
        ("Stream", event.stream_id.clone()),
        ("Revision", event.revision.to_string()),
        ("Position", event.position.to_string()),
        ("Event id", event.event_id.to_string()),
        ("Recorded at", instant(meta.timestamp_ms)),
        ("Correlation", meta.correlation_id.clone().unwrap_or_else(|| "—".into())),
        ("Causation", meta.causation_id.clone().unwrap_or_else(|| "—".into())),
    ];
    html! {
        <div class="event-inspector" aria-label={format!("Event {}", event.position)}>
            <dl class="envelope">
                { for rows.into_iter().map(|(name, value)| html! { <><dt>{ name }</dt><dd>{ value }</dd></> }) }
                { for meta.headers.iter().map(|(k, v)| html! { <><dt>{ format!("Header {k}") }</dt><dd>{ v }</dd></> }) }
            </dl>
            <JsonTree label="Payload" value={event.data.clone()} />
        </div>
    }
}
