//! The system page's Trace section: the correlations begun last to choose from, a box to type
//! one (or an event's id), and the chosen correlation's causal graph ([`CausalGraphView`]). The
//! correlation chosen lives in the page's state ([`crate::session::State::traced`]), so that the
//! inspector's Trace button can open this page on it.

use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use super::CausalGraphView;
use crate::session::{counted, Action, Traced};
use crate::ui::state::{use_app, use_workspace_read};

/// How many correlations the list offers at first, and how many more each click adds.
const LISTED: usize = 20;

/// The section.
#[component]
pub fn TraceSection() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let listed = use_state(|| LISTED);
    let typed = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let list = use_workspace_read(&app, *listed, |workspace, n| workspace.recent_correlations(*n));
    let traced = app.state.traced.clone();
    let correlation = traced.as_ref().map(|t| t.correlation.clone());
    let graph = use_workspace_read(&app, correlation.clone(), |workspace, c| {
        c.as_deref().map(|c| std::rc::Rc::new(workspace.causal_graph(c)))
    });
    // Opened on a correlation (from the inspector, or the list): the section comes into view.
    let section = use_node_ref();
    {
        let section = section.clone();
        use_effect_with(traced.clone(), move |traced| {
            if let (Some(_), Some(element)) = (traced, section.cast::<Element>()) {
                element.scroll_into_view();
            }
        });
    }
    let (rows, total) = &*list;
    let choose = |id: &str| {
        let traced = Traced {
            correlation: id.to_owned(),
            node: None,
        };
        app.handle.callback(move |_: MouseEvent| Action::Trace(traced.clone()))
    };
    let oninput = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| typed.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let onsubmit = {
        let (handle, typed, problem) = (app.handle.clone(), typed.clone(), problem.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let found = handle.workspace.borrow().find_trace(&typed);
            match found {
                Some(traced) => {
                    problem.set(None);
                    handle.dispatch(Action::Trace(traced));
                }
                None => problem.set(Some(format!(
                    "Nothing carries the correlation id {:?}, and no module stores an event with that id.",
                    typed.trim()
                ))),
            }
        })
    };
    let more = {
        let listed = listed.clone();
        Callback::from(move |_: MouseEvent| listed.set(*listed + LISTED))
    };
    html! {
        <section ref={section} class="lab-panel trace-section" aria-label="Trace">
            <h3>{ "Trace" }</h3>
            <p class="muted">
                { format!("{} traced, the latest first. Choose one to see what caused what across the modules, or type a correlation id or an event's id.", counted(*total as u64, "correlation")) }
            </p>
            <form class="trace-find" {onsubmit}>
                <input aria-label="Correlation or event id" placeholder="Correlation or event id" value={(*typed).clone()} {oninput} />
                <button type="submit">{ "Trace" }</button>
            </form>
            if let Some(problem) = &*problem {
                <p class="field-problem" role="alert">{ problem }</p>
            }
            <ul class="trace-list" aria-label="Correlations">
                { for rows.iter().map(|row| html! {
                    <li key={row.id.clone()}>
                        <button type="button" onclick={choose(&row.id)}
                            aria-pressed={(correlation.as_deref() == Some(row.id.as_str())).to_string()}>
                            <span class="trace-id">{ &row.id }</span>
                            <span>{ &row.description }</span>
                            <span class="muted">{ counted(row.nodes as u64, "node") }</span>
                            if row.flagged > 0 {
                                <span class="graph-badge flag-failed">{ format!("{} flagged", row.flagged) }</span>
                            }
                        </button>
                    </li>
                }) }
            </ul>
            if rows.len() < *total {
                <button type="button" class="link" onclick={more}>{ "More correlations" }</button>
            }
            if let (Some(graph), Some(traced)) = (&*graph, &traced) {
                if graph.nodes.is_empty() {
                    <p class="muted">{ format!("Nothing traced carries {}.", traced.correlation) }</p>
                } else {
                    <CausalGraphView graph={graph.clone()} selected={traced.node.clone()} />
                }
            }
        </section>
    }
}
