//! The system page's run: the seed, Replay (the system rebuilt from the scenario as it is now and
//! the page's inputs run again), the inputs logged so far, and how each module publishes.

use yew::prelude::*;

use web_sys::{HtmlInputElement, HtmlSelectElement};

use crate::model::Publishing;
use crate::session::{parse_seed, publishing_words, Action, RunStep};
use crate::ui::state::{use_app, use_workspace_read, Handle};

/// Seed, replay, run log and publishing switches.
#[component]
pub fn RunControls() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let seed = use_workspace_read(&app, (), |workspace, ()| workspace.seed());
    let log = use_workspace_read(&app, (), |workspace, ()| {
        workspace.run_log().iter().map(RunStep::describe).collect::<Vec<_>>()
    });
    let switches = use_workspace_read(&app, (), |workspace, ()| workspace.publishing_switches());
    let typed = use_state(|| None::<String>);
    let seed_text = (*typed).clone().unwrap_or_else(|| seed.to_string());
    let problem = parse_seed(&seed_text).err();
    let on_seed = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| typed.set(Some(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let on_replay = {
        let (handle, typed, text) = (app.handle.clone(), typed.clone(), seed_text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(seed) = parse_seed(&text) else { return };
            let replayed = {
                let mut workspace = handle.workspace.borrow_mut();
                workspace.set_seed(seed);
                workspace.replay()
            };
            typed.set(None);
            handle.dispatch(Action::Status(match replayed {
                Ok(said) => said,
                Err(error) => format!("Not replayed: {error}"),
            }));
            handle.changed();
        })
    };
    html! {
        <form class="lab-panel run-controls" aria-label="Seed and replay" onsubmit={on_replay}>
            <h3>{ "Seed and replay" }</h3>
            <label class="field">{ "Seed " }
                <input aria-label="Seed" inputmode="numeric" size="10" value={seed_text}
                    aria-invalid={problem.is_some().to_string()} oninput={on_seed} />
                if let Some(problem) = problem.clone() {
                    <span class="field-problem" role="alert">{ problem }</span>
                }
            </label>
            <button type="submit" disabled={problem.is_some()}
                title="Rebuilds the system from the scenario as it is now, with this seed, and runs the inputs below again">
                { "Replay" }
            </button>
            <details class="run-log">
                <summary>{ format!("{} logged since the system started", crate::session::counted(log.len() as u64, "input")) }</summary>
                <ol>{ for log.iter().map(|step| html! { <li>{ step }</li> }) }</ol>
            </details>
            <fieldset class="publishing-switches">
                <legend>{ "Publishing" }</legend>
                { for switches.iter().map(|s| html! {
                    <label>
                        { format!("{} ", s.module) }
                        <select aria-label={format!("Publishing of {}", s.module)}
                            onchange={switch(&app.handle, &s.module, &s.choices)}>
                            { for s.choices.iter().map(|c| html! {
                                <option selected={*c == s.defined}>{ publishing_words(*c) }</option>
                            }) }
                        </select>
                        if s.running != s.defined {
                            <span class="muted">{ format!(" running: {}", publishing_words(s.running)) }</span>
                        }
                    </label>
                }) }
            </fieldset>
        </form>
    }
}

fn switch(handle: &Handle, module: &str, choices: &[Publishing]) -> Callback<Event> {
    let (handle, module, choices) = (handle.clone(), module.to_owned(), choices.to_vec());
    Callback::from(move |e: Event| {
        let at = e.target_unchecked_into::<HtmlSelectElement>().selected_index().max(0) as usize;
        let Some(&publishing) = choices.get(at) else { return };
        let done = handle.workspace.borrow_mut().set_publishing(&module, publishing);
        handle.dispatch(Action::Status(match done {
            Ok(said) => said,
            Err(error) => format!("Publishing not changed: {error}"),
        }));
        handle.changed();
    })
}
