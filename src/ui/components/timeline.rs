//! A stream's timeline: every readable event in order, coloured by type with a legend, clicking
//! one opens it in the inspector. Virtualised: only the rows in view (and a few around them) are
//! read from the store and drawn, so a stream of a million events scrolls as smoothly as one of
//! ten; while the view is at the end, newly appended events scroll into it.

use std::collections::BTreeSet;

use web_sys::HtmlElement;
use yew::prelude::*;

use crate::store::RecordedEvent;

/// The height of one row, in CSS pixels (the stylesheet's `.timeline-row` agrees).
pub const ROW_HEIGHT: u32 = 30;
/// How many rows the scrolling view is tall.
const VIEW_ROWS: u32 = 12;
/// Rows drawn above and below the view, so a fast scroll does not show blanks.
const OVERSCAN: u64 = 8;

/// Properties of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// The stream.
    pub stream_id: AttrValue,
    /// How many readable events it holds.
    pub total: u64,
    /// Reads `count` events from the `offset`-th readable one, oldest first.
    pub read: Callback<(u64, usize), Vec<RecordedEvent>>,
    /// Bumped whenever the store changed, so what is drawn is read again.
    #[prop_or_default]
    pub generation: u64,
    /// The position of the event in the inspector.
    #[prop_or_default]
    pub selected: Option<u64>,
    /// Called with an event's position when it is clicked.
    pub onselect: Callback<u64>,
}

/// The timeline.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let view = use_node_ref();
    // The first row in view, and whether the view follows the end.
    let first = use_state(|| props.total.saturating_sub(u64::from(VIEW_ROWS)));
    let following = use_state(|| true);
    {
        // At the end, new events scroll in.
        let (view, following, first) = (view.clone(), following.clone(), first.clone());
        use_effect_with((props.total, props.stream_id.clone()), move |(total, _)| {
            if *following {
                if let Some(element) = view.cast::<HtmlElement>() {
                    let end = total.saturating_mul(u64::from(ROW_HEIGHT));
                    element.set_scroll_top(i32::try_from(end).unwrap_or(i32::MAX));
                }
                first.set(total.saturating_sub(u64::from(VIEW_ROWS)));
            }
        });
    }
    let onscroll = {
        let (first, following, total) = (first.clone(), following.clone(), props.total);
        Callback::from(move |e: Event| {
            let element = e.target_unchecked_into::<HtmlElement>();
            let top = u64::try_from(element.scroll_top()).unwrap_or(0);
            let height = u64::try_from(element.client_height()).unwrap_or(0);
            first.set(top / u64::from(ROW_HEIGHT));
            following.set(top + height + u64::from(ROW_HEIGHT) >= total * u64::from(ROW_HEIGHT));
        })
    };
    let start = first.saturating_sub(OVERSCAN).min(props.total);
    let count = (u64::from(VIEW_ROWS) + 2 * OVERSCAN).min(props.total - start);
    let events = props.read.emit((start, usize::try_from(count).unwrap_or(0)));
    let types: BTreeSet<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    let height = props.total.saturating_mul(u64::from(ROW_HEIGHT));
    html! {
        <section class="timeline" aria-label={format!("Timeline of {}", props.stream_id)}>
            <h3>{ &props.stream_id }<span class="count">{ if props.total == 1 { "1 event".to_owned() } else { format!("{} events", props.total) } }</span></h3>
            <ul class="legend" aria-label="Event types">
                { for types.iter().map(|t| html! { <li><span class="swatch" style={colour(t)}></span>{ *t }</li> }) }
            </ul>
            <div class="timeline-view" ref={view} {onscroll} tabindex="0" aria-label={format!("Events of {}", props.stream_id)}
                style={format!("overflow-y: auto; height: {}px", u64::from(VIEW_ROWS).min(props.total.max(1)) * u64::from(ROW_HEIGHT))}>
                <ol class="timeline-events" style={format!("position: relative; height: {height}px")}>
                    { for events.iter().enumerate().map(|(i, event)| {
                        let position = event.position;
                        let onclick = props.onselect.reform(move |_| position);
                        let selected = props.selected == Some(position);
                        let top = (start + i as u64) * u64::from(ROW_HEIGHT);
                        html! {
                            <li key={position.to_string()} class="timeline-row" style={format!("top: {top}px")}>
                                <button type="button" class={classes!("timeline-event", selected.then_some("selected"))}
                                    style={colour(&event.event_type)} aria-pressed={selected.to_string()} {onclick}>
                                    <span class="revision">{ format!("#{}", event.revision) }</span>
                                    <span class="event-type">{ &event.event_type }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            </div>
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
