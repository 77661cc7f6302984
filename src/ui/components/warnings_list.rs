//! The warnings panel: the anti-pattern findings with their severity, what was found, why it
//! hurts in production and the fix.

use std::rc::Rc;

use yew::prelude::*;

use crate::lint::{Finding, Subject};

/// Properties of [`WarningsList`].
#[derive(Properties, PartialEq)]
pub struct WarningsListProps {
    /// The findings, sorted by id.
    pub findings: Rc<Vec<Finding>>,
    /// Findings seen earlier that no longer hold, shown as resolved.
    #[prop_or_default]
    pub resolved: Rc<Vec<Finding>>,
    /// Called with what a finding is about when the user asks to see it.
    #[prop_or_default]
    pub onjump: Callback<Subject>,
    /// Called with a stream type when the user asks to close its books (the guided refactor of
    /// `stream-without-lifecycle`).
    #[prop_or_default]
    pub onbooks: Callback<String>,
}

/// How many findings are drawn; a generator can make thousands (one per long stream).
const LISTED: usize = 100;

/// The list, most severe first.
#[component]
pub fn WarningsList(props: &WarningsListProps) -> Html {
    if props.findings.is_empty() && props.resolved.is_empty() {
        return html! { <p class="empty-state">{ "No warnings. Anti-patterns are flagged here as you model and simulate." }</p> };
    }
    let mut findings: Vec<&Finding> = props.findings.iter().collect();
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.id.cmp(&b.id)));
    let more = findings.len().saturating_sub(LISTED);
    findings.truncate(LISTED);
    let jump = |finding: &Finding| {
        let subject = finding.subject.clone();
        let label = format!("Show {subject}");
        let onclick = props.onjump.reform(move |e: MouseEvent| {
            // Inside the summary: show the subject without folding the details.
            e.prevent_default();
            subject.clone()
        });
        html! { <button type="button" class="link jump" aria-label={label} {onclick}>{ "Show" }</button> }
    };
    let refactor = |finding: &Finding| match &finding.subject {
        Subject::StreamType { name } if finding.code == "stream-without-lifecycle" => {
            let name = name.clone();
            let label = format!("Close the books of {name}…");
            let onclick = props.onbooks.reform(move |_: MouseEvent| name.clone());
            html! { <p><button type="button" class="refactor" {onclick}>{ label }</button></p> }
        }
        _ => Html::default(),
    };
    html! {
        <ul class="warnings-list">
            { for findings.into_iter().map(|finding| html! {
                <li key={finding.id.clone()} class={classes!("finding", format!("severity-{}", finding.severity))}>
                    <details>
                        <summary>
                            <span class="severity">{ finding.severity.to_string() }</span>
                            <span class="message">{ &finding.message }</span>
                            { jump(finding) }
                        </summary>
                        <p><strong>{ "Why it hurts: " }</strong>{ finding.why }</p>
                        <p><strong>{ "Fix: " }</strong>{ finding.fix }</p>
                        { refactor(finding) }
                        <p><a href={finding.learn_more} target="_blank" rel="noopener">{ "Learn more" }</a>{ format!(" · {}", finding.code) }</p>
                    </details>
                </li>
            }) }
            if more > 0 {
                <li class="finding more">{ format!("and {more} more of lower or equal severity") }</li>
            }
            { for props.resolved.iter().take(LISTED).map(|finding| html! {
                <li key={format!("resolved-{}", finding.id)} class="finding resolved">
                    <span class="severity">{ "resolved" }</span>
                    <span class="message">{ &finding.message }</span>
                </li>
            }) }
        </ul>
    }
}
