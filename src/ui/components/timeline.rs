//! A stream's timeline: its latest events in order, coloured by type with a legend; clicking one
//! opens it in the inspector.

use std::collections::BTreeSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::store::RecordedEvent;

/// How many of a stream's latest events the timeline shows.
pub const SHOWN: usize = 200;

/// Properties of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// The stream.
    pub stream_id: String,
    /// Its latest events, oldest first.
    pub events: Rc<Vec<RecordedEvent>>,
    /// How many events the stream holds in all.
    pub total: u64,
    /// The position of the event in the inspector.
    #[prop_or_default]
    pub selected: Option<u64>,
    /// Called with an event's position when it is clicked.
    pub onselect: Callback<u64>,
}

/// The timeline.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let types: BTreeSet<&str> = props.events.iter().map(|e| e.event_type.as_str()).collect();
    let hidden = props.total.saturating_sub(props.events.len() as u64);
    html! {
        <section class="timeline" aria-label={format!("Timeline of {}", props.stream_id)}>
            <h3>{ &props.stream_id }</h3>
            <ul class="legend" aria-label="Event types">
                { for types.iter().map(|t| html! { <li><span class="swatch" style={colour(t)}></span>{ *t }</li> }) }
            </ul>
            if hidden > 0 { <p class="hint">{ format!("{hidden} earlier events not shown") }</p> }
            <ol class="timeline-events">
                { for props.events.iter().map(|event| {
                    let position = event.position;
                    let onclick = props.onselect.reform(move |_| position);
                    let selected = props.selected == Some(position);
                    html! {
                        <li key={position.to_string()}>
                            <button type="button" class={classes!("timeline-event", selected.then_some("selected"))}
                                style={colour(&event.event_type)} aria-pressed={selected.to_string()} {onclick}>
                                <span class="revision">{ format!("#{}", event.revision) }</span>
                                <span class="event-type">{ &event.event_type }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

/// A stable colour per event type, as a CSS custom property the stylesheet uses.
fn colour(event_type: &str) -> String {
    let hue = event_type
        .bytes()
        .fold(7u32, |hash, b| hash.wrapping_mul(31).wrapping_add(u32::from(b)))
        % 360;
    format!("--type-hue: {hue}")
}
