//! The Share dialog: a link that carries this workspace's model, and optionally its events,
//! with its length; one too long for the tools people paste links into says so and offers the
//! export instead.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::dialog::Dialog;
use crate::session::{counted, Action};
use crate::ui::header::ExportLink;
use crate::ui::share::{self, MAX_LINK_CHARS, MAX_LINK_EVENTS};
use crate::ui::state::use_app;

/// The link made, or why there is none.
#[derive(Clone, PartialEq)]
enum Made {
    Making,
    Link(String),
    TooLong(usize),
    Failed(String),
}

/// The dialog.
#[component]
pub fn ShareDialog() -> Html {
    let with_events = use_state(|| false);
    let made = use_state(|| Made::Making);
    let copied = use_state(|| None::<String>);
    let app = use_app();
    {
        let (made, handle) = (made.clone(), app.as_ref().map(|app| app.handle.clone()));
        use_effect_with(*with_events, move |with_events| {
            made.set(Made::Making);
            if let Some(handle) = handle {
                let text = {
                    let workspace = handle.workspace.borrow();
                    if *with_events {
                        workspace.save_events()
                    } else {
                        workspace.save_model()
                    }
                };
                wasm_bindgen_futures::spawn_local(async move {
                    made.set(match share::link(&text).await {
                        Ok(link) if link.len() > MAX_LINK_CHARS => Made::TooLong(link.len()),
                        Ok(link) => Made::Link(link),
                        Err(why) => Made::Failed(why),
                    });
                });
            }
        });
    }
    let Some(app) = app else { return Html::default() };
    let (events, name) = {
        let workspace = app.handle.workspace.borrow();
        (workspace.event_count(), workspace.scenario().name.clone())
    };
    let ontoggle = {
        let with_events = with_events.clone();
        Callback::from(move |e: Event| with_events.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let body = match &*made {
        Made::Making => html! { <p role="status">{ "Making the link…" }</p> },
        Made::Failed(why) => {
            html! { <p class="problem" role="alert">{ format!("The link could not be made: {why}") }</p> }
        }
        Made::TooLong(length) => html! {
            <div class="problem" role="alert">
                <p>{ format!(
                    "This link would be {length} characters long: links past {MAX_LINK_CHARS} are cut by mail, chat and slide tools. Export the workspace and share the file instead."
                ) }</p>
                <ExportLink name={name.clone()}>{ "Export" }</ExportLink>
            </div>
        },
        Made::Link(link) => {
            let oncopy = {
                let (link, copied) = (link.clone(), copied.clone());
                Callback::from(move |_: MouseEvent| {
                    let (link, copied) = (link.clone(), copied.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        copied.set(Some(match share::copy(&link).await {
                            Ok(()) => "Copied.".to_owned(),
                            Err(why) => why,
                        }));
                    });
                })
            };
            html! {
                <>
                    <input class="share-link" type="text" readonly=true value={link.clone()} aria-label="Share link"
                        onfocus={Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select())} />
                    <p class="hint">
                        <button type="button" class="primary" onclick={oncopy}>{ "Copy link" }</button>
                        { format!(" {} characters. ", link.len()) }
                        if let Some(said) = &*copied { <span role="status">{ said.clone() }</span> }
                    </p>
                </>
            }
        }
    };
    html! {
        <Dialog title="Share this workspace" class="share-dialog" onclose={app.handle.callback(|()| Action::CloseOverlays)}>
            <p>{ "The link carries this workspace's model, compressed in the address itself (it never reaches a server). Whoever opens it is asked, then gets a copy as a new workspace of their own." }</p>
            <label class="check">
                <input type="checkbox" checked={*with_events} onchange={ontoggle} disabled={events == 0 || events > MAX_LINK_EVENTS} />
                { if events > MAX_LINK_EVENTS {
                    format!(" With its {events} events: too many for a link (at most {MAX_LINK_EVENTS}); export to share them")
                } else {
                    format!(" With its {}", counted(events, "event"))
                } }
            </label>
            { body }
        </Dialog>
    }
}
