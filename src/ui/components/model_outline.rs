//! The model panel's outline: every definition of the loaded scenario, grouped by kind, each
//! opening its editor; a New button per kind.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::edit::{self, Kind};
use crate::model::{Scenario, Visibility};

/// Properties of [`ModelOutline`].
#[derive(Properties, PartialEq)]
pub struct ModelOutlineProps {
    /// The loaded scenario.
    pub scenario: Rc<Scenario>,
    /// Called with a definition the user opens.
    #[prop_or_default]
    pub onedit: Callback<(Kind, usize)>,
    /// Called with the kind of a definition the user starts.
    #[prop_or_default]
    pub onnew: Callback<Kind>,
}

/// Lists the scenario's event types, commands, stream types, projections, upcasters, policies and specs.
#[component]
pub fn ModelOutline(props: &ModelOutlineProps) -> Html {
    let scenario = &props.scenario;
    let groups = Kind::ALL.into_iter().map(|kind| {
        let names = edit::names(scenario, kind);
        let slug = kind.title().to_lowercase().replace(' ', "-");
        let onnew = props.onnew.reform(move |_: MouseEvent| kind);
        html! {
            <section class={classes!("outline-group", format!("outline-{slug}"))} aria-label={kind.title()}>
                <h3>
                    { kind.title() }<span class="count">{ names.len() }</span>
                    <button type="button" class="icon new" aria-label={format!("New {kind}")} title={format!("New {kind}")} onclick={onnew}>{ "+" }</button>
                </h3>
                if names.is_empty() {
                    <p class="empty-state">{ "None yet." }</p>
                } else {
                    <ul>
                        { for names.into_iter().enumerate().map(|(i, name)| {
                            let onclick = props.onedit.reform(move |_: MouseEvent| (kind, i));
                            html! {
                                <li key={format!("{i}-{name}")}>
                                    <button type="button" class="item-name link" aria-label={format!("Edit {kind} {name}")} {onclick}>{ name }</button>
                                    if let Some(badge) = badge(scenario, kind, i) { <span class="badge">{ badge }</span> }
                                </li>
                            }
                        }) }
                    </ul>
                }
            </section>
        }
    });
    html! { <div class="model-outline">{ for groups }</div> }
}

fn badge(scenario: &Scenario, kind: Kind, index: usize) -> Option<String> {
    let model = &scenario.model;
    match kind {
        Kind::EventType => model.event_types.get(index).map(|t| {
            let visibility = match t.visibility {
                Visibility::Private => "private",
                Visibility::Public => "public",
            };
            format!("v{} · {visibility}", t.current_version())
        }),
        Kind::Command => model.commands.get(index).map(|c| format!("→ {}", c.stream_type)),
        Kind::StreamType => model.stream_types.get(index).map(|s| s.stream_id_pattern.clone()),
        _ => None,
    }
}
