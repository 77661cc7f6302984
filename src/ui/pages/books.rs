//! The lifecycle page's "Closing the books" section: the guided refactor that gives a stream
//! type periods (previewed as the model change, then applied), and each period stream type's
//! tracker with its bases' open periods and a "Close now".

use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::lifecycle::{act, said_line, Said};
use crate::model::PeriodEnd;
use crate::session::{counted, listed, BooksView, BOOKS_LISTED};
use crate::ui::state::{use_app, use_workspace_read};

/// The most a period may span: days or events.
const MOST: u32 = 100_000;

/// The section.
#[component]
pub fn Books() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let said: Said = use_state(|| None);
    // The stream types without periods, those the lint flags first.
    let open_types = use_workspace_read(&app, (), |workspace, ()| {
        let flagged: Vec<String> = workspace
            .findings()
            .iter()
            .filter(|f| f.code == "stream-without-lifecycle")
            .filter_map(|f| match &f.subject {
                crate::lint::Subject::StreamType { name } => Some(name.clone()),
                _ => None,
            })
            .collect();
        let mut types: Vec<(String, bool)> = workspace
            .scenario()
            .model
            .stream_types
            .iter()
            .filter(|s| s.periods.is_none())
            .map(|s| (s.name.clone(), flagged.contains(&s.name)))
            .collect();
        types.sort_by_key(|(_, flagged)| !flagged);
        types
    });
    let trackers = use_workspace_read(&app, (), |workspace, ()| workspace.books_view());
    let target = app.state.books_target.clone();
    let chosen = use_state(|| None::<String>);
    let is_open = |name: &String| open_types.iter().any(|(n, _)| n == name);
    let name = (*chosen)
        .clone()
        .filter(is_open)
        .or_else(|| target.clone().filter(is_open))
        .or_else(|| open_types.first().map(|(n, _)| n.clone()));
    // After a refactor the form folds away, so the trackers it made are what shows.
    let folded = use_state(|| false);
    let unit = use_state(|| "days".to_owned());
    let amount = use_state(|| "1".to_owned());
    let close_after = period_end(&unit, &amount);
    let plan = use_workspace_read(
        &app,
        (name.clone(), close_after.clone()),
        |workspace, (name, close_after)| {
            let (Some(name), Ok(close_after)) = (name, close_after) else {
                return None;
            };
            Some(
                workspace
                    .books_plan(name, *close_after)
                    .map_err(|problems| listed(&problems)),
            )
        },
    );
    // Opened from a warning: the section comes into view.
    let section = use_node_ref();
    {
        let section = section.clone();
        use_effect_with(target.clone(), move |target| {
            if let (Some(_), Some(element)) = (target, section.cast::<Element>()) {
                element.scroll_into_view();
            }
        });
    }
    let on_type = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| chosen.set(Some(e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let on_unit = {
        let unit = unit.clone();
        Callback::from(move |e: Event| unit.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_amount = {
        let amount = amount.clone();
        Callback::from(move |e: InputEvent| amount.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_unfold = {
        let folded = folded.clone();
        Callback::from(move |_: MouseEvent| folded.set(false))
    };
    let on_apply = {
        let (handle, said, name, close_after) = (app.handle.clone(), said.clone(), name.clone(), close_after.clone());
        let folded = folded.clone();
        Callback::from(move |_: MouseEvent| {
            let (Some(name), Ok(close_after)) = (name.clone(), close_after.clone()) else {
                return;
            };
            folded.set(true);
            act(&handle, &said, |workspace| {
                let applied = workspace
                    .close_the_books(&name, close_after)
                    .map_err(|problems| listed(&problems))?;
                let moved: Vec<String> = applied
                    .closed
                    .iter()
                    .take(3)
                    .map(|c| format!("{} → {}", c.closed, c.opened))
                    .collect();
                let mut done = format!(
                    "{name} now closes its books {}; {} closed now{}",
                    applied.plan.close_after,
                    counted(applied.closed.len() as u64, "stream"),
                    if moved.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " ({}{})",
                            moved.join(", "),
                            if applied.closed.len() > moved.len() {
                                ", …"
                            } else {
                                ""
                            }
                        )
                    }
                );
                if !applied.not_closed.is_empty() {
                    let (id, why) = &applied.not_closed[0];
                    done.push_str(&format!("; {} left open, e.g. {id}: {why}", applied.not_closed.len()));
                }
                Ok(done)
            });
        })
    };
    let amount_problem = close_after.as_ref().err();
    html! {
        <section class="lab-panel books" aria-label="Closing the books" ref={section}>
            <h3>{ "Closing the books" }</h3>
            <p class="muted">{ "A stream that never ends only grows. Closing the books gives each stream a period: \
                the period's last event says how it closed, and the next period's stream opens with that state. \
                Commands still go to the stream they always went to and land in its open period (<stream>:<n>); \
                the close and the next open are written in one transaction across the two streams." }</p>
            { said_line(&said) }
            { for trackers.iter().map(|view| tracker(&app, &said, view)) }
            if open_types.is_empty() {
                <p class="muted">{ "Every stream type already closes its books." }</p>
            } else if *folded {
                <button onclick={on_unfold}>{ "Close the books of another stream type…" }</button>
            } else {
                <div class="lifecycle-form">
                    <label class="inline-field">{ "Stream type " }
                        <select aria-label="Stream type to close the books of" onchange={on_type}>
                            { for open_types.iter().map(|(n, flagged)| html! {
                                <option value={n.clone()} selected={name.as_deref() == Some(n.as_str())}>
                                    { if *flagged { format!("{n} (never ends)") } else { n.clone() } }
                                </option>
                            }) }
                        </select>
                    </label>
                    <label class="inline-field">{ "close every " }
                        <input aria-label="Period length" inputmode="numeric" size="6" value={(*amount).clone()}
                            aria-invalid={amount_problem.is_some().to_string()} oninput={on_amount} />
                    </label>
                    <select aria-label="Period unit" onchange={on_unit}>
                        <option value="days" selected={*unit == "days"}>{ "simulated days" }</option>
                        <option value="events" selected={*unit == "events"}>{ "events" }</option>
                    </select>
                </div>
                if let Some(problem) = amount_problem {
                    <p class="field-problem" role="alert">{ problem }</p>
                }
                { plan_view(plan.as_ref().as_ref()) }
                <button class="primary" onclick={on_apply}
                    disabled={!matches!(plan.as_ref(), Some(Ok(_)))}>
                    { format!("Close the books of {}", name.as_deref().unwrap_or("…")) }
                </button>
            }
        </section>
    }
}

/// The period length from the form: 1 to [`MOST`] days or events.
fn period_end(unit: &str, amount: &str) -> Result<PeriodEnd, String> {
    let n = amount
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MOST).contains(n))
        .ok_or_else(|| format!("Period length: a whole number from 1 to {MOST}"))?;
    Ok(match unit {
        "events" => PeriodEnd::Events(n),
        _ => PeriodEnd::Days(n),
    })
}

fn plan_view(plan: Option<&Result<crate::session::BooksPlan, String>>) -> Html {
    match plan {
        Some(Ok(plan)) => html! {
            <div class="books-plan" aria-label="The model change">
                <p><strong>{ "The model change:" }</strong></p>
                <ul>{ for plan.changes.iter().map(|c| html! { <li>{ c }</li> }) }</ul>
                <pre class="diff" aria-label={format!("{} before and after", plan.stream_type)}>
                    { for plan.diff.lines().map(|line| {
                        let class = match line.get(..1) {
                            Some("+") => "added",
                            Some("-") => "removed",
                            _ => "same",
                        };
                        html! { <span class={class}>{ line }{ "\n" }</span> }
                    }) }
                </pre>
            </div>
        },
        Some(Err(why)) => {
            html! { <p class="field-problem" role="alert">{ format!("Cannot close the books: {why}") }</p> }
        }
        None => Html::default(),
    }
}

/// One period stream type's tracker: its bases' open periods, each with "Close now".
fn tracker(app: &crate::ui::state::AppContext, said: &Said, view: &BooksView) -> Html {
    let close = |base: &str| {
        let (handle, said, base) = (app.handle.clone(), said.clone(), base.to_owned());
        Callback::from(move |_: MouseEvent| {
            act(&handle, &said, |workspace| {
                workspace
                    .close_books(&base)
                    .map(|c| format!("Closed {}: {} opened with the state it closed with", c.closed, c.opened))
                    .map_err(|e| e.to_string())
            })
        })
    };
    html! {
        <div class="books-tracker">
            <h4>{ format!("{}: periods close {}", view.stream_type, view.close_after) }</h4>
            if view.bases.is_empty() {
                <p class="muted">{ "No stream yet." }</p>
            } else {
                <table class="lifecycle-table">
                    <thead><tr><th>{ "Stream" }</th><th>{ "Open period" }</th><th>{ "Events in it" }</th><th></th></tr></thead>
                    <tbody>
                        { for view.bases.iter().map(|b| html! {
                            <tr key={b.base.clone()}>
                                <td class="mono">{ &b.base }</td>
                                <td class="mono">{ &b.stream }</td>
                                <td>{ b.events }</td>
                                <td><button aria-label={format!("Close the books of {} now", b.base)}
                                    onclick={close(&b.base)}>{ "Close now" }</button></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if view.bases_total > BOOKS_LISTED {
                    <p class="muted">{ format!("The first {BOOKS_LISTED} of {} streams, by id.", view.bases_total) }</p>
                }
            }
        </div>
    }
}
