//! The specs of the scenario, run on demand: each passed, failed with a readable diff of
//! expected (`-`) against actual (`+`), or errored with the script's message.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::spec::{SpecReport, Verdict};

/// Properties of [`SpecResults`].
#[derive(Properties, PartialEq)]
pub struct SpecResultsProps {
    /// The specs' names, in order.
    pub names: Rc<Vec<String>>,
    /// The reports of the last run, if any.
    #[prop_or_default]
    pub reports: Option<Rc<Vec<SpecReport>>>,
    /// Called with `None` to run every spec, or a spec's name to run that one.
    pub onrun: Callback<Option<String>>,
}

/// The runner.
#[component]
pub fn SpecResults(props: &SpecResultsProps) -> Html {
    if props.names.is_empty() {
        return html! {};
    }
    let run_all = props.onrun.reform(|_| None);
    let summary = props.reports.as_ref().map(|reports| {
        let passed = reports.iter().filter(|r| r.passed()).count();
        format!("{passed} of {} passed", reports.len())
    });
    html! {
        <section class="spec-results" aria-label="Spec results">
            <div class="spec-actions">
                <button type="button" class="primary" onclick={run_all}>{ "Run all specs" }</button>
                if let Some(summary) = summary { <span class="spec-summary" role="status">{ summary }</span> }
            </div>
            if let Some(reports) = &props.reports {
                <ul>
                    { for reports.iter().map(|report| view_report(report, &props.onrun)) }
                </ul>
            }
        </section>
    }
}

fn view_report(report: &SpecReport, onrun: &Callback<Option<String>>) -> Html {
    let name = report.name.clone();
    let again = onrun.reform(move |_| Some(name.clone()));
    let (class, mark, detail) = match &report.verdict {
        Verdict::Passed => ("spec-passed", "passed", html! {}),
        Verdict::Failed { diff } => (
            "spec-failed",
            "failed",
            html! {
                <pre class="diff" aria-label="expected (-) and actual (+)">
                    { for diff.lines().map(|line| {
                        let kind = match line.as_bytes().first() {
                            Some(b'-') => "diff-expected",
                            Some(b'+') => "diff-actual",
                            _ => "diff-same",
                        };
                        html! { <span class={kind}>{ line }{ "\n" }</span> }
                    }) }
                </pre>
            },
        ),
        Verdict::Errored(error) => (
            "spec-errored",
            "error",
            html! { <p class="field-problem">{ error.to_string() }</p> },
        ),
    };
    html! {
        <li key={report.name.clone()} class={classes!("spec", class)}>
            <span class="spec-verdict">{ mark }</span>
            <span class="spec-name">{ &report.name }</span>
            <button type="button" class="link" aria-label={format!("Run {}", report.name)} onclick={again}>{ "run" }</button>
            { detail }
        </li>
    }
}
