//! The streams panel's list: streams grouped by category, filtered by a part of the id or a
//! wildcard pattern (`cart-*`), listed by id or longest first, each with its event count and a
//! bar sized to it.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::session::{counted, CategoryGroup, StreamOrder, LISTED_MORE};

/// Properties of [`StreamList`].
#[derive(Properties, PartialEq)]
pub struct StreamListProps {
    /// The streams matching `filter`, by category.
    pub groups: std::rc::Rc<Vec<CategoryGroup>>,
    /// The filter as typed.
    pub filter: String,
    /// Called as the filter is typed.
    pub onfilter: Callback<String>,
    /// The order of each category's streams.
    #[prop_or_default]
    pub order: StreamOrder,
    /// Called with the order picked.
    #[prop_or_default]
    pub onorder: Callback<StreamOrder>,
    /// The stream shown in the timeline.
    #[prop_or_default]
    pub selected: Option<String>,
    /// Called with a stream's id when it is picked.
    pub onselect: Callback<String>,
    /// Called to list [`LISTED_MORE`] more streams of each category.
    #[prop_or_default]
    pub onmore: Callback<()>,
}

/// The list.
#[component]
pub fn StreamList(props: &StreamListProps) -> Html {
    let oninput = props
        .onfilter
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    let onchange = props.onorder.reform(|e: Event| {
        let picked = e.target_unchecked_into::<HtmlSelectElement>().selected_index();
        let picked = usize::try_from(picked).ok().and_then(|i| StreamOrder::ALL.get(i));
        picked.copied().unwrap_or_default()
    });
    let longest = props.groups.iter().map(|g| g.longest).max().unwrap_or(1).max(1);
    let total: u64 = props.groups.iter().map(|g| g.matching).sum();
    html! {
        <div class="stream-list">
            <div class="stream-tools">
                <input type="search" class="stream-filter" aria-label="Filter streams" placeholder="Filter: cart-1 or cart-*"
                    value={props.filter.clone()} {oninput} />
                <select class="stream-order" aria-label="Order streams" {onchange}>
                    { for StreamOrder::ALL.into_iter().map(|order| html! {
                        <option selected={order == props.order}>{ order.label() }</option>
                    }) }
                </select>
            </div>
            if total == 0 {
                <p class="empty-state">{
                    if props.filter.trim().is_empty() { "No streams yet. Streams appear here as commands append events." }
                    else { "No stream matches the filter." }
                }</p>
            }
            { for props.groups.iter().map(|group| html! {
                <section class="stream-category" key={group.category.clone()} aria-label={format!("Category {}", group.category)}>
                    <h3>{ &group.category }<span class="count">{ format!("{} · {}", plural(group.matching, "stream"), plural(group.events, "event")) }</span></h3>
                    <ul>
                        { for group.streams.iter().map(|stream| {
                            let id = stream.id.clone();
                            let onclick = props.onselect.reform(move |_| id.clone());
                            let selected = props.selected.as_deref() == Some(stream.id.as_str());
                            let width = format!("width: {:.1}%", stream.events as f64 * 100.0 / longest as f64);
                            html! {
                                <li key={stream.id.clone()}>
                                    <button type="button" class={classes!("stream-row", selected.then_some("selected"))}
                                        aria-pressed={selected.to_string()} {onclick}
                                        title={format!("{}, {}", counted(stream.events, "event"), counted(stream.bytes, "payload byte"))}>
                                        <span class="stream-id">{ &stream.id }</span>
                                        <span class="stream-count">{ stream.events }</span>
                                        <span class="size-bar" aria-hidden="true"><span style={width}></span></span>
                                    </button>
                                </li>
                            }
                        }) }
                    </ul>
                    if let Some(more) = group.matching.checked_sub(group.streams.len() as u64).filter(|&more| more > 0) {
                        <p class="hint">
                            { format!("{more} more: filter to find one (e.g. {}-4*) or ", group.category) }
                            <button type="button" class="link-button" onclick={props.onmore.reform(|_| ())}>
                                { format!("list {} more", more.min(LISTED_MORE as u64)) }
                            </button>
                        </p>
                    }
                </section>
            }) }
        </div>
    }
}

/// `1 stream`, `2 streams`.
fn plural(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
