//! The system page's fault form: a target (the whole system, a consumer's link, a module's
//! publisher), its current faults, each field checked as typed with the problem beside it, and
//! Apply, which applies nothing while a field has a problem.

use yew::prelude::*;

use web_sys::{HtmlInputElement, HtmlSelectElement};

use crate::session::{Action, FaultField, FaultForm, FaultScope};
use crate::ui::state::{use_app, use_workspace_read};

/// Properties of [`FaultControls`].
#[derive(Properties, PartialEq)]
pub struct FaultControlsProps {
    /// What the map selected: the form targets it.
    #[prop_or_default]
    pub selected: Option<FaultScope>,
}

/// The fault form.
#[component]
pub fn FaultControls(props: &FaultControlsProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let scopes = use_workspace_read(&app, (), |workspace, ()| workspace.fault_scopes());
    let scope = use_state(|| FaultScope::All);
    {
        let scope = scope.clone();
        use_effect_with(props.selected.clone(), move |selected| {
            if let Some(selected) = selected {
                scope.set(selected.clone());
            }
        });
    }
    let current = use_workspace_read(&app, (*scope).clone(), |workspace, scope| {
        let now = workspace.services().now();
        workspace.faults(scope).map(|faults| FaultForm::of(&faults, now)).ok()
    });
    let now = use_workspace_read(&app, (), |workspace, ()| workspace.services().now());
    let form = use_state(FaultForm::default);
    {
        let form = form.clone();
        use_effect_with(current.clone(), move |current| {
            form.set((**current).clone().unwrap_or_default());
        });
    }
    let problems = form.read(*now).err().unwrap_or_default();
    let problem_of = |field: FaultField| problems.iter().find(|(f, _)| *f == field).map(|(_, p)| p.clone());
    let on_scope = {
        let (scope, scopes) = (scope.clone(), scopes.clone());
        Callback::from(move |e: Event| {
            let at = e.target_unchecked_into::<HtmlSelectElement>().selected_index().max(0) as usize;
            if let Some(chosen) = scopes.get(at) {
                scope.set(chosen.clone());
            }
        })
    };
    let on_apply = {
        let (handle, form, scope, now) = (app.handle.clone(), form.clone(), scope.clone(), *now);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(faults) = form.read(now) else { return };
            let done = handle.workspace.borrow_mut().set_faults(&scope, faults);
            handle.dispatch(Action::Status(match done {
                Ok(said) => said,
                Err(error) => format!("The faults were not set: {error}"),
            }));
            handle.changed();
        })
    };
    html! {
        <form class="lab-panel fault-controls" aria-label="Faults" onsubmit={on_apply}>
            <h3>{ "Faults" }</h3>
            <label>{ "Target " }
                <select aria-label="Fault target" onchange={on_scope}>
                    { for scopes.iter().map(|s| html! {
                        <option selected={*s == *scope}>{ s.label() }</option>
                    }) }
                </select>
            </label>
            { for FaultField::ALL.into_iter().filter(|f| f.applies_to(&scope)).map(|field| {
                let problem = problem_of(field);
                let oninput = {
                    let form = form.clone();
                    Callback::from(move |e: InputEvent| {
                        let mut next = (*form).clone();
                        next.set(field, e.target_unchecked_into::<HtmlInputElement>().value());
                        form.set(next);
                    })
                };
                html! {
                    <label class="field">
                        { field.label() }
                        <input aria-label={field.label()} inputmode="decimal" size="6"
                            aria-invalid={problem.is_some().to_string()}
                            value={form.get(field).to_owned()} {oninput} />
                        if let Some(problem) = problem {
                            <span class="field-problem" role="alert">{ problem }</span>
                        }
                    </label>
                }
            }) }
            <button type="submit" disabled={!problems.is_empty()}>{ "Apply" }</button>
        </form>
    }
}
