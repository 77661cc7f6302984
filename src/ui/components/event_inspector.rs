//! The inspector: one event's envelope, metadata and payload, the JSON unfolded; for an event
//! stored at an old schema version, also what every read sees of it (upcast, maybe split); for an
//! event with a correlation id, a button to trace it on the system page.

use yew::prelude::*;

use super::{JsonTree, UpcastRead};
use crate::session::{instant, Traced, UpcastView};
use crate::store::RecordedEvent;

/// Properties of [`EventInspector`].
#[derive(Properties, PartialEq)]
pub struct EventInspectorProps {
    /// The event shown, if one is selected.
    #[prop_or_default]
    pub event: Option<RecordedEvent>,
    /// What reads see of it, when it is stored below its type's current version.
    #[prop_or_default]
    pub upcast: Option<UpcastView>,
    /// Trace the event's correlation (the event selected in its graph); no button without it.
    #[prop_or_default]
    pub ontrace: Option<Callback<Traced>>,
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
    let label = match props.upcast {
        Some(_) => format!("Payload as stored (v{})", event.schema_version),
        None => "Payload".to_owned(),
    };
    let trace = match (&props.ontrace, &meta.correlation_id) {
        (Some(ontrace), Some(correlation)) => {
            let traced = Traced {
                correlation: correlation.clone(),
                node: Some(event.event_id.to_string()),
            };
            let onclick = ontrace.reform(move |_: MouseEvent| traced.clone());
            html! {
                <button type="button" class="trace-button" {onclick}
                    title="Show what caused this event and what came of it, across the modules, on the System page">
                    { "Trace" }
                </button>
            }
        }
        _ => Html::default(),
    };
    html! {
        <div class="event-inspector" aria-label={format!("Event {}", event.position)}>
            { trace }
            <dl class="envelope">
                { for rows.into_iter().map(|(name, value)| html! { <><dt>{ name }</dt><dd>{ value }</dd></> }) }
                { for meta.headers.iter().map(|(k, v)| html! { <><dt>{ format!("Header {k}") }</dt><dd>{ v }</dd></> }) }
            </dl>
            <JsonTree {label} value={event.data.clone()} />
            if let Some(view) = &props.upcast {
                <section class="upcast-read" aria-label="As reads see it">
                    <h4>{ "As every read sees it, upcast to the current version" }</h4>
                    <UpcastRead read={view.read.clone()} />
                </section>
            }
        </div>
    }
}
