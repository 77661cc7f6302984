//! A module opened from the System page's map: what it is, its streams with a filter and a
//! stream's last events, its read models (or tables) with their documents (or rows), and buttons
//! to edit it or, for the main module, to open the workspace's pages on it.

use yew::prelude::*;

use web_sys::HtmlInputElement;

use crate::model::edit::Kind;
use crate::session::{counted, instant, Action, Page, MODULE_STREAMS_LISTED};
use crate::ui::state::{use_app, use_workspace_read};

/// How many events of a stream, and documents of a read model, the view shows.
const SHOWN: usize = 50;

/// Properties of [`ModuleView`].
#[derive(Properties, PartialEq)]
pub struct ModuleViewProps {
    /// The module.
    pub module: AttrValue,
    /// Called when the user closes the view.
    #[prop_or_default]
    pub onclose: Callback<()>,
}

/// What the view shows below the module's summary.
#[derive(Clone, PartialEq)]
enum Opened {
    Nothing,
    Stream(String),
    Documents(String),
}

/// What the module holds and publishes, in a line.
fn facts(view: &crate::session::ModuleView) -> String {
    let held = counted(view.size, if view.event_sourced { "event" } else { "row" });
    let mut line = if view.contracts.is_empty() {
        format!("Holds {held}; publishes no contract")
    } else {
        format!("Holds {held}; publishes {}", view.contracts.join(", "))
    };
    let (rows, relayed) = view.outbox;
    if rows > 0 {
        line.push_str(&format!(
            "; outbox: {relayed} of {} relayed",
            counted(rows as u64, "row")
        ));
    }
    if view.lost > 0 {
        line.push_str(&format!(
            "; {} lost between a change and its publish",
            counted(view.lost, "message")
        ));
    }
    line
}

/// The view.
#[component]
pub fn ModuleView(props: &ModuleViewProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let filter = use_state(String::new);
    let opened = use_state(|| Opened::Nothing);
    {
        // Another module opens with nothing open.
        let opened = opened.clone();
        use_effect_with(props.module.clone(), move |_| opened.set(Opened::Nothing));
    }
    let module = props.module.to_string();
    let view = use_workspace_read(
        &app,
        (module.clone(), (*filter).clone()),
        |workspace, (module, filter)| {
            workspace
                .module_view(module, filter, MODULE_STREAMS_LISTED)
                .map_err(|e| e.to_string())
        },
    );
    let shown = use_workspace_read(
        &app,
        (module.clone(), (*opened).clone()),
        |workspace, (module, opened)| {
            match opened {
        Opened::Nothing => Ok(Html::default()),
        Opened::Stream(stream) => workspace.module_stream(module, stream, SHOWN).map(|events| html! {
            <section class="module-opened" aria-label={format!("Events of {stream}")}>
                <h4>{ format!("{stream}: its last {}", counted(events.len() as u64, "event")) }</h4>
                <table class="documents">
                    <thead><tr><th scope="col">{ "#" }</th><th scope="col">{ "Type" }</th><th scope="col">{ "At" }</th><th scope="col">{ "Correlation" }</th><th scope="col">{ "Data" }</th></tr></thead>
                    <tbody>
                        { for events.iter().map(|e| html! {
                            <tr>
                                <td>{ e.revision }</td>
                                <td>{ &e.event_type }</td>
                                <td>{ instant(e.at_ms) }</td>
                                <td class="mono">{ e.correlation_id.clone().unwrap_or_default() }</td>
                                <td class="mono">{ &e.data }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </section>
        }),
        Opened::Documents(name) => workspace.module_documents(module, name, SHOWN).map(|documents| html! {
            <section class="module-opened" aria-label={format!("Documents of {name}")}>
                <h4>{ format!("{name}: {}", counted(documents.len() as u64, "document")) }</h4>
                <table class="documents">
                    <thead><tr><th scope="col">{ "Id" }</th><th scope="col">{ "Document" }</th></tr></thead>
                    <tbody>
                        { for documents.iter().map(|(id, doc)| html! {
                            <tr><td class="mono">{ id }</td><td class="mono">{ crate::session::payload_line(doc) }</td></tr>
                        }) }
                    </tbody>
                </table>
            </section>
        }),
    }
    .map_err(|e| e.to_string())
        },
    );
    let handle = app.handle.clone();
    let view = match &*view {
        Ok(view) => view.clone(),
        Err(error) => {
            return html! {
                <section class="lab-panel module-view" aria-label={format!("Module {module}")}>
                    <p class="field-problem" role="alert">{ format!("{module} cannot be shown: {error}") }</p>
                </section>
            }
        }
    };
    let onedit = {
        let (handle, module) = (handle.clone(), module.clone());
        Callback::from(move |_: MouseEvent| handle.edit_named(Kind::Module, &module))
    };
    let onworkspace = handle.callback(|_: MouseEvent| Action::ShowPage(Page::Workspace));
    let onfilter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| filter.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let open = |what: Opened| {
        let opened = opened.clone();
        Callback::from(move |_: MouseEvent| opened.set(what.clone()))
    };
    let edit_label = format!("Edit module {module}");
    html! {
        <section class="lab-panel module-view" aria-label={format!("Module {module}")}>
            <header class="module-view-header">
                <h3>{ format!("Module {module}") }</h3>
                <span class="muted">{ format!("{} · publishes by {}", if view.event_sourced { "event-sourced" } else { "state-stored" }, view.publishing) }</span>
                if view.main {
                    <button type="button" onclick={onworkspace}>{ "Open in the workspace" }</button>
                }
                <button type="button" aria-label={edit_label}
                    title={if view.main { "How the main module publishes; its model is the model panel's" } else { "Its definition" }}
                    onclick={onedit}>{ "Edit module" }</button>
                <button type="button" class="icon" aria-label="Close the module" onclick={props.onclose.reform(|_| ())}>{ "✕" }</button>
            </header>
            if !view.description.is_empty() { <p>{ &view.description }</p> }
            <p class="module-facts">{ facts(&view) }</p>
            if view.event_sourced {
                <div class="module-columns">
                    <section aria-label={format!("Streams of {module}")}>
                        <h4>{ "Streams" }</h4>
                        <input type="search" aria-label={format!("Filter the streams of {module}")} placeholder="cart-*" value={(*filter).clone()} oninput={onfilter} />
                        if view.streams.is_empty() { <p class="muted">{ "No stream yet: its commands make them." }</p> }
                        { for view.streams.iter().map(|group| html! {
                            <div class="module-category">
                                <p class="muted">{ format!("{}: {} · {}", group.category, counted(group.matching, "stream"), counted(group.events, "event")) }</p>
                                <ul>
                                    { for group.streams.iter().map(|row| html! {
                                        <li><button type="button" class="link" onclick={open(Opened::Stream(row.id.clone()))}>
                                            { format!("{} ({})", row.id, row.events) }
                                        </button></li>
                                    }) }
                                </ul>
                            </div>
                        }) }
                    </section>
                    <section aria-label={format!("Read models of {module}")}>
                        <h4>{ "Read models" }</h4>
                        if view.read_models.is_empty() { <p class="muted">{ "None." }</p> }
                        <ul>
                            { for view.read_models.iter().map(|(name, n)| html! {
                                <li><button type="button" class="link" onclick={open(Opened::Documents(name.clone()))}>
                                    { format!("{name} ({})", counted(*n as u64, "document")) }
                                </button></li>
                            }) }
                        </ul>
                    </section>
                </div>
            } else {
                <section aria-label={format!("Tables of {module}")}>
                    <h4>{ "Tables" }</h4>
                    <ul>
                        { for view.tables.iter().map(|(name, n)| html! {
                            <li><button type="button" class="link" onclick={open(Opened::Documents(name.clone()))}>
                                { format!("{name} ({})", counted(*n as u64, "row")) }
                            </button></li>
                        }) }
                    </ul>
                </section>
            }
            { match &*shown {
                Ok(shown) => shown.clone(),
                Err(error) => html! { <p class="field-problem" role="alert">{ error.clone() }</p> },
            } }
        </section>
    }
}
