//! The model panel's outline: every definition of the loaded scenario, grouped by kind.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::{Scenario, Visibility};

/// Properties of [`ModelOutline`].
#[derive(Properties, PartialEq)]
pub struct ModelOutlineProps {
    /// The loaded scenario.
    pub scenario: Rc<Scenario>,
}

/// One group of the outline: a heading with a count, then one line per definition.
struct Group {
    title: &'static str,
    items: Vec<(String, Option<String>)>,
}

/// Lists the scenario's event types, commands, stream types, projections, upcasters, policies and specs.
#[component]
pub fn ModelOutline(props: &ModelOutlineProps) -> Html {
    let groups = groups(&props.scenario);
    html! {
        <div class="model-outline">
            { for groups.into_iter().map(view_group) }
        </div>
    }
}

fn view_group(group: Group) -> Html {
    let slug = group.title.to_lowercase().replace(' ', "-");
    html! {
        <section class={classes!("outline-group", format!("outline-{slug}"))} aria-label={group.title}>
            <h3>{ group.title }<span class="count">{ group.items.len() }</span></h3>
            if group.items.is_empty() {
                <p class="empty-state">{ "None yet." }</p>
            } else {
                <ul>
                    { for group.items.into_iter().map(|(name, badge)| html! {
                        <li key={name.clone()}>
                            <span class="item-name">{ name }</span>
                            if let Some(badge) = badge { <span class="badge">{ badge }</span> }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

fn groups(scenario: &Scenario) -> Vec<Group> {
    let model = &scenario.model;
    let named = |names: Vec<String>| names.into_iter().map(|n| (n, None)).collect();
    vec![
        Group {
            title: "Event types",
            items: model
                .event_types
                .iter()
                .map(|t| {
                    let visibility = match t.visibility {
                        Visibility::Private => "private",
                        Visibility::Public => "public",
                    };
                    let version = t.versions.iter().map(|v| v.version).max().unwrap_or(1);
                    (t.name.clone(), Some(format!("v{version} · {visibility}")))
                })
                .collect(),
        },
        Group {
            title: "Commands",
            items: named(model.commands.iter().map(|c| c.name.clone()).collect()),
        },
        Group {
            title: "Stream types",
            items: named(model.stream_types.iter().map(|s| s.name.clone()).collect()),
        },
        Group {
            title: "Projections",
            items: named(model.projections.iter().map(|p| p.name.clone()).collect()),
        },
        Group {
            title: "Upcasters",
            items: named(
                model
                    .upcasters
                    .iter()
                    .map(|u| format!("{} v{} → v{}", u.event_type, u.from, u.to))
                    .collect(),
            ),
        },
        Group {
            title: "Policies",
            items: named(model.policies.iter().map(|p| p.name.clone()).collect()),
        },
        Group {
            title: "Specs",
            items: named(scenario.specs.iter().map(|s| s.name().to_owned()).collect()),
        },
    ]
}
