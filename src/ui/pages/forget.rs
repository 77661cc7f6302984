//! The lifecycle page's "Right to be forgotten" section: which stream types seal their personal
//! fields (crypto-shredding) and by which subject, sealing them for one, the subjects the key vault
//! knows, and forgetting one, with the read models left to rebuild.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::lifecycle::{act, said_line, Said};
use crate::session::{counted, listed, ForgetReport, ShreddingType};
use crate::ui::state::{use_app, use_workspace_read, Handle};

/// The section.
#[component]
pub fn Forget() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let said: Said = use_state(|| None);
    let report = use_state(|| None::<ForgetReport>);
    let view = use_workspace_read(&app, (), |workspace, ()| workspace.shredding_view());
    let typed = use_state(String::new);
    let on_type = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| typed.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_forget = {
        let (handle, said, report, typed) = (app.handle.clone(), said.clone(), report.clone(), typed.clone());
        Callback::from(move |_: MouseEvent| {
            let subject = typed.trim().to_owned();
            let typed = typed.clone();
            act(&handle, &said, |workspace| {
                let done = workspace.forget_subject(&subject).map_err(|e| e.to_string())?;
                let words = format!(
                    "Forgot {subject}: its key is gone, so its fields in {} read as shredded{}.{}",
                    counted(done.events, "stored event"),
                    if done.archived_copies > 0 {
                        format!(", {} in the archive too", counted(done.archived_copies, "copy"))
                    } else {
                        String::new()
                    },
                    match done.projections.len() {
                        0 => " No read model holds it.".to_owned(),
                        1 => format!(
                            " {} was built before and still holds it: rebuild it.",
                            done.projections[0]
                        ),
                        _ => format!(
                            " {} were built before and still hold it: rebuild them.",
                            done.projections.join(", ")
                        ),
                    }
                );
                report.set(Some(done));
                // Not left on screen: the point was to forget it.
                typed.set(String::new());
                Ok(words)
            });
        })
    };
    let rebuilds = report.as_ref().map(|r| r.projections.clone()).unwrap_or_default();
    html! {
        <section class="lab-panel forget" aria-label="Right to be forgotten">
            <h3>{ "Right to be forgotten" }</h3>
            <p class="muted">{ "Crypto-shredding: a stream type's personal fields (pii) are stored sealed with a key per \
                data subject; forgetting the subject drops the key, and every copy (the log, the archive's segments, \
                an exported file, read models built again) reads as shredded. Deleting the streams instead removes \
                them at the next scavenge, but not from uploaded segments, nor from other streams that copied the \
                data; read models lose their documents on a rebuild." }</p>
            if view.stream_types.is_empty() {
                <p class="muted">{ "No event type of the model has a personal field: mark one pii in its editor." }</p>
            }
            <ul class="shredding-types">
                { for view.stream_types.iter().map(|t| stream_type(&app.handle, &said, t)) }
            </ul>
            <div class="lifecycle-form">
                <label class="inline-field">{ "Subject " }
                    <input aria-label="Subject to forget" list="vault-subjects" size="16" value={(*typed).clone()} oninput={on_type} />
                </label>
                <datalist id="vault-subjects">
                    { for view.subjects.iter().filter(|s| !s.forgotten).map(|s| html! { <option value={s.subject.clone()} /> }) }
                </datalist>
                <button onclick={on_forget} disabled={typed.trim().is_empty()}>{ "Forget" }</button>
            </div>
            { said_line(&said) }
            if !rebuilds.is_empty() {
                <div class="lifecycle-form">
                    { for rebuilds.iter().map(|name| rebuild(&app.handle, &said, &report, name)) }
                </div>
            }
            if view.subjects_total > 0 {
                <p class="muted">{ format!("The key vault: {} ({} forgotten). Newest: {}", counted(view.subjects_total as u64, "subject"),
                    view.forgotten_total,
                    view.subjects.iter().map(|s| if s.forgotten { format!("{} (forgotten)", s.subject) } else { s.subject.clone() })
                        .collect::<Vec<_>>().join(", ")) }</p>
            }
        </section>
    }
}

fn stream_type(handle: &Handle, said: &Said, t: &ShreddingType) -> Html {
    let fields = t.personal.join(", ");
    let action = match (&t.subject, t.sealed) {
        (Some(subject), true) => html! { { format!(" — sealed by {subject}") } },
        (Some(subject), false) => {
            let label = format!("Seal by {subject}");
            let aria = format!("Seal the personal fields of {} by {subject}", t.name);
            let (handle, said, name, subject) = (handle.clone(), said.clone(), t.name.clone(), subject.clone());
            let onclick = Callback::from(move |_: MouseEvent| {
                act(&handle, &said, |workspace| {
                    workspace
                        .seal_personal_fields(&name, &subject)
                        .map(|()| format!("{name} seals its personal fields by {subject} from its next event on"))
                        .map_err(|problems| listed(&problems))
                })
            });
            html! { <>{ " " }<button aria-label={aria} {onclick}>{ label }</button></> }
        }
        (None, _) => {
            html! { { " — no id field names the subject: set its retention's subject in the stream type's editor" } }
        }
    };
    html! { <li><strong>{ &t.name }</strong>{ format!(": {fields}") }{ action }</li> }
}

/// "Rebuild X", gone once clicked.
fn rebuild(handle: &Handle, said: &Said, report: &UseStateHandle<Option<ForgetReport>>, name: &str) -> Html {
    let (handle, said, projection, report) = (handle.clone(), said.clone(), name.to_owned(), report.clone());
    let onclick = Callback::from(move |_: MouseEvent| {
        if let Some(mut left) = (*report).clone() {
            left.projections.retain(|p| *p != projection);
            report.set(Some(left));
        }
        act(&handle, &said, |workspace| {
            workspace
                .rebuild(&projection)
                .map(|_| format!("Rebuilding {projection} from the events as they now read: the Projections page shows its progress"))
                .map_err(|e| e.to_string())
        })
    });
    html! { <button {onclick}>{ format!("Rebuild {name}") }</button> }
}
