//! The warnings panel: the anti-pattern findings with their severity, what was found, why it
//! hurts in production and the fix.

use std::rc::Rc;

use yew::prelude::*;

use crate::lint::Finding;

/// Properties of [`WarningsList`].
#[derive(Properties, PartialEq)]
pub struct WarningsListProps {
    /// The findings, sorted by id.
    pub findings: Rc<Vec<Finding>>,
}

/// The list, most severe first.
#[component]
pub fn WarningsList(props: &WarningsListProps) -> Html {
    if props.findings.is_empty() {
        return html! { <p class="empty-state">{ "No warnings. Anti-patterns are flagged here as you model and simulate." }</p> };
    }
    let mut findings: Vec<&Finding> = props.findings.iter().collect();
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.id.cmp(&b.id)));
    html! {
        <ul class="warnings-list">
            { for findings.into_iter().map(|finding| html! {
                <li key={finding.id.clone()} class={classes!("finding", format!("severity-{}", finding.severity))}>
                    <details>
                        <summary>
                            <span class="severity">{ finding.severity.to_string() }</span>
                            <span class="message">{ &finding.message }</span>
                        </summary>
                        <p><strong>{ "Why it hurts: " }</strong>{ finding.why }</p>
                        <p><strong>{ "Fix: " }</strong>{ finding.fix }</p>
                        <p><a href={finding.learn_more} target="_blank" rel="noopener">{ "Learn more" }</a>{ format!(" · {}", finding.code) }</p>
                    </details>
                </li>
            }) }
        </ul>
    }
}
