//! The system page: the modules and external systems as a map with the broker's live figures on
//! each subscription, the simulated clock, the fault presets, and the messages each consumer
//! parked, to replay or skip.

use yew::prelude::*;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use crate::session::{payload_line, Action, BoxKind, MapArrow, MapBox, Preset, SystemMap};
use crate::ui::components::TraceSection;
use crate::ui::reads::PageProps;
use crate::ui::state::{use_app, use_workspace_read, Handle};

/// A consumer's parked messages as the page lists them: message id, topic, attempts, error, payload.
type Parked = Vec<(String, Vec<(String, String, u32, String, String)>)>;

/// The page.
#[component]
pub fn SystemPage(_props: &PageProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let map = use_workspace_read(&app, (), |workspace, ()| workspace.system_map());
    let parked = use_workspace_read(&app, (), |workspace, ()| parked_of(workspace));
    let staged = use_state(|| Preset::Calm);
    let handle = &app.handle;
    html! {
        <main class="lab-page system-page" aria-label="System">
            <section class="system-controls" aria-label="Clock and faults">
                <p class="system-clock">
                    { format!("Simulated time {}", clock(map.now_ms)) }
                    <span class="muted">{ format!(" · {} waiting", map.waiting) }</span>
                </p>
                <div class="lab-actions" role="group" aria-label="Run the clock">
                    { for [(100, "+100 ms"), (1_000, "+1 s"), (10_000, "+10 s")].into_iter().map(|(ms, label)| html! {
                        <button type="button" onclick={run(handle, Some(ms))}>{ label }</button>
                    }) }
                    <button type="button" onclick={run(handle, None)}>{ "Until idle" }</button>
                </div>
                <div class="lab-actions presets" role="group" aria-label="Fault presets">
                    { for Preset::ALL.into_iter().map(|preset| html! {
                        <button type="button" title={preset.explanation()}
                            aria-pressed={(*staged == preset).to_string()}
                            onclick={stage(handle, &staged, preset)}>{ preset.label() }</button>
                    }) }
                </div>
                <p class="preset-explanation">{ staged.explanation() }</p>
            </section>
            <ModuleConsole />
            <Map map={map.clone()} />
            <Links map={map.clone()} />
            <DeadLetters parked={parked} />
            <TraceSection />
        </main>
    }
}

/// Each subscriber with parked messages, and those messages.
fn parked_of(workspace: &crate::session::Workspace) -> Parked {
    let services = workspace.services();
    services
        .subscribers()
        .into_iter()
        .filter(|s| s.parked > 0)
        .map(|s| {
            let rows = services
                .parked(&s.name)
                .unwrap_or_default()
                .into_iter()
                .map(|p| {
                    let message = p.message;
                    (
                        message.id,
                        message.topic.to_string(),
                        p.attempts,
                        p.error,
                        payload_line(&message.data),
                    )
                })
                .collect();
            (s.name, rows)
        })
        .collect()
}

/// `12.345 s`, or minutes and seconds past a minute.
fn clock(ms: i64) -> String {
    if ms < 60_000 {
        format!("{:.3} s", ms as f64 / 1000.0)
    } else {
        format!("{} min {:.1} s", ms / 60_000, (ms % 60_000) as f64 / 1000.0)
    }
}

fn run(handle: &Handle, ms: Option<u64>) -> Callback<MouseEvent> {
    let handle = handle.clone();
    Callback::from(move |_| {
        let ran = {
            let mut workspace = handle.workspace.borrow_mut();
            match ms {
                Some(ms) => workspace.run_system(ms).map_err(|e| e.to_string()),
                None => Ok(workspace.run_system_until_idle()),
            }
        };
        match ran {
            Ok(tasks) => handle.dispatch(Action::Status(format!("{tasks} tasks ran"))),
            Err(error) => handle.dispatch(Action::Status(format!("The clock did not run: {error}"))),
        }
        handle.changed();
    })
}

fn stage(handle: &Handle, staged: &UseStateHandle<Preset>, preset: Preset) -> Callback<MouseEvent> {
    let (handle, staged) = (handle.clone(), staged.clone());
    Callback::from(move |_| {
        let done = handle.workspace.borrow_mut().stage(preset);
        match done {
            Ok(()) => {
                staged.set(preset);
                handle.dispatch(Action::Status(format!("Staged: {}", preset.label())));
            }
            Err(error) => handle.dispatch(Action::Status(format!("{} was not staged: {error}", preset.label()))),
        }
        handle.changed();
    })
}

/// Properties of the map and the links table.
#[derive(Properties, PartialEq)]
struct MapProps {
    map: std::rc::Rc<SystemMap>,
}

/// The map, as SVG scaled to the page's width.
#[component]
fn Map(props: &MapProps) -> Html {
    let map = &props.map;
    let view_box = format!("0 0 {:.0} {:.0}", map.width.max(1.0), map.height.max(1.0));
    html! {
        <figure class="system-map">
            <svg viewBox={view_box} role="img" aria-label="Service map: modules, external systems and the messages between them"
                preserveAspectRatio="xMinYMin meet">
                <defs>
                    <marker id="arrow-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" />
                    </marker>
                </defs>
                { for map.arrows.iter().map(arrow) }
                { for map.boxes.iter().map(module_box) }
                // The figures last, over the boxes, so that a long topic name is never hidden.
                { for map.arrows.iter().map(arrow_label) }
            </svg>
            <figcaption class="muted">
                { "Boxes: event-sourced modules (rounded), state-stored modules (square), external systems (dashed). Arrows: a consumer's subscription to a topic, with the messages it handled; red once a message was lost or parked, or a duplicate reached the consumer (no inbox dropped it)." }
            </figcaption>
        </figure>
    }
}

fn module_box(b: &MapBox) -> Html {
    let (class, unit) = match b.kind {
        BoxKind::EventSourced => ("map-box event-sourced", "events"),
        BoxKind::StateStored => ("map-box state-stored", "rows"),
        BoxKind::External => ("map-box external", "calls"),
    };
    let radius = if b.kind == BoxKind::StateStored { "0" } else { "10" };
    let lost = if b.lost > 0 {
        format!(" · {} lost", b.lost)
    } else {
        String::new()
    };
    html! {
        <g class={class}>
            <title>{ format!("{}: {} {unit}, {}{lost}", b.name, b.size, b.detail) }</title>
            <rect x={fmt(b.x)} y={fmt(b.y)} width={fmt(b.w)} height={fmt(b.h)} rx={radius} />
            <text class="map-name" x={fmt(b.x + 12.0)} y={fmt(b.y + 26.0)}>{ &b.name }</text>
            <text class="map-detail" x={fmt(b.x + 12.0)} y={fmt(b.y + 48.0)}>
                { format!("{} {unit} · {}{lost}", b.size, b.detail) }
            </text>
        </g>
    }
}

fn arrow(a: &MapArrow) -> Html {
    let class = if a.troubled() {
        "map-arrow troubled"
    } else {
        "map-arrow"
    };
    html! {
        <g class={class}>
            <title>{ format!("{} → {} ({}): {}", a.topic, a.consumer, a.to, a.summary()) }</title>
            <path d={a.path.clone()} marker-end="url(#arrow-head)" />
        </g>
    }
}

fn arrow_label(a: &MapArrow) -> Html {
    let class = if a.troubled() {
        "map-figures troubled"
    } else {
        "map-figures"
    };
    html! {
        <g class={class}>
            <title>{ format!("{} → {} ({}): {}", a.topic, a.consumer, a.to, a.summary()) }</title>
            <text class="map-label" x={fmt(a.label_x)} y={fmt(a.label_y)} text-anchor="end">
                { format!("{} · {}", a.topic, a.stats.handled) }
            </text>
        </g>
    }
}

fn fmt(value: f64) -> String {
    format!("{value:.0}")
}

/// Every subscription with all of its figures.
#[component]
fn Links(props: &MapProps) -> Html {
    html! {
        <section class="lab-panel" aria-label="Subscriptions">
            <h3>{ "Subscriptions" }</h3>
            <div class="table-scroll">
                <table class="documents system-links">
                    <thead>
                        <tr>
                            { for ["Topic", "Consumer", "Module", "Published", "Delivered", "Handled", "Duplicates", "Dropped by inbox", "Lost", "Parked", "In flight"]
                                .into_iter().map(|h| html! { <th scope="col">{ h }</th> }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for props.map.arrows.iter().map(|a| {
                            let s = &a.stats;
                            let class = if a.troubled() { "troubled" } else { "" };
                            html! {
                                <tr class={class}>
                                    <td>{ &a.topic }</td>
                                    <td>{ &a.consumer }</td>
                                    <td>{ &a.to }</td>
                                    { for [s.published, s.delivered, s.handled, s.duplicates_delivered, s.duplicates_dropped, s.lost, s.parked, s.in_flight]
                                        .into_iter().map(|n| html! { <td>{ n }</td> }) }
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Properties of [`DeadLetters`].
#[derive(Properties, PartialEq)]
struct DeadLettersProps {
    parked: std::rc::Rc<Parked>,
}

/// The parked messages of each consumer, to replay (ahead of new ones) or skip.
#[component]
fn DeadLetters(props: &DeadLettersProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let handle = &app.handle;
    html! {
        <section class="lab-panel" aria-label="Dead letters">
            <h3>{ "Dead letters" }</h3>
            if props.parked.is_empty() {
                <p class="muted">{ "No message is parked. A message that fails its last retry is parked here, to inspect, replay or skip." }</p>
            }
            { for props.parked.iter().map(|(consumer, rows)| html! {
                <div class="poison">
                    <h4>{ format!("{consumer}: {} parked", rows.len()) }</h4>
                    <button type="button" onclick={replay(handle, consumer, None)}>{ "Replay all" }</button>
                    <ul>
                        { for rows.iter().map(|(id, topic, attempts, error, payload)| html! {
                            <li>
                                <p>{ format!("{id} on {topic}, after {attempts} attempts: {error}") }</p>
                                <p>{ payload }</p>
                                <button type="button" onclick={replay(handle, consumer, Some(id.clone()))}>{ "Replay" }</button>
                                <button type="button" onclick={skip(handle, consumer, id)}>{ "Skip" }</button>
                            </li>
                        }) }
                    </ul>
                </div>
            }) }
        </section>
    }
}

fn replay(handle: &Handle, consumer: &str, only: Option<String>) -> Callback<MouseEvent> {
    let (handle, consumer) = (handle.clone(), consumer.to_owned());
    Callback::from(move |_| {
        let done = handle
            .workspace
            .borrow_mut()
            .services_mut()
            .replay_parked(&consumer, only.as_deref());
        handle.dispatch(Action::Status(match done {
            Ok(n) => format!("{n} replayed to {consumer}"),
            Err(error) => format!("Not replayed: {error}"),
        }));
        handle.changed();
    })
}

fn skip(handle: &Handle, consumer: &str, id: &str) -> Callback<MouseEvent> {
    let (handle, consumer, id) = (handle.clone(), consumer.to_owned(), id.to_owned());
    Callback::from(move |_| {
        let done = handle.workspace.borrow_mut().services_mut().skip_parked(&consumer, &id);
        handle.dispatch(Action::Status(match done {
            Ok(()) => format!("{id} skipped by {consumer}"),
            Err(error) => format!("Not skipped: {error}"),
        }));
        handle.changed();
    })
}

/// A command to any module: module, command, stream (or row) id and data as JSON; the data starts
/// as the command's fields, empty.
#[component]
fn ModuleConsole() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let modules = use_workspace_read(&app, (), |workspace, ()| workspace.module_commands());
    let module = use_state(|| 0usize);
    let command = use_state(|| 0usize);
    let stream = use_state(String::new);
    let data = use_state(String::new);
    let result = use_state(|| None::<Result<String, String>>);
    let chosen = modules.get(*module);
    let commands = chosen.map(|m| m.commands.clone()).unwrap_or_default();
    let template = |fields: &[String]| {
        let entries: Vec<String> = fields.iter().map(|f| format!("  \"{f}\": \"\"")).collect();
        format!("{{\n{}\n}}", entries.join(",\n"))
    };
    let on_module = {
        let (module, command, data, modules) = (module.clone(), command.clone(), data.clone(), modules.clone());
        Callback::from(move |e: Event| {
            let at = e.target_unchecked_into::<HtmlSelectElement>().selected_index().max(0) as usize;
            module.set(at);
            command.set(0);
            let fields = modules
                .get(at)
                .and_then(|m| m.commands.first())
                .map(|c| c.1.clone())
                .unwrap_or_default();
            data.set(template(&fields));
        })
    };
    let on_command = {
        let (command, data, commands) = (command.clone(), data.clone(), commands.clone());
        Callback::from(move |e: Event| {
            let at = e.target_unchecked_into::<HtmlSelectElement>().selected_index().max(0) as usize;
            command.set(at);
            data.set(template(commands.get(at).map(|c| c.1.as_slice()).unwrap_or_default()));
        })
    };
    let on_stream = {
        let stream = stream.clone();
        Callback::from(move |e: InputEvent| stream.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_data = {
        let data = data.clone();
        Callback::from(move |e: InputEvent| data.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let shown_data = if data.is_empty() {
        template(commands.get(*command).map(|c| c.1.as_slice()).unwrap_or_default())
    } else {
        (*data).clone()
    };
    let on_send = {
        let handle = app.handle.clone();
        let payload = shown_data.clone();
        let target = chosen.map(|m| m.module.clone()).unwrap_or_default();
        let name = commands.get(*command).map(|c| c.0.clone()).unwrap_or_default();
        let (stream, result) = (stream.clone(), result.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let sent = handle
                .workspace
                .borrow_mut()
                .send_to_module(&target, &name, &stream, &payload);
            result.set(Some(sent.map_err(|error| error.to_string())));
            handle.changed();
        })
    };
    html! {
        <form class="lab-panel module-console" aria-label="Module console" onsubmit={on_send}>
            <h3>{ "Send a command to a module" }</h3>
            <label>{ "Module " }
                <select aria-label="Module" onchange={on_module}>
                    { for modules.iter().enumerate().map(|(i, m)| html! {
                        <option selected={i == *module}>{ &m.module }</option>
                    }) }
                </select>
            </label>
            <label>{ " Command " }
                <select aria-label="Module command" onchange={on_command}>
                    { for commands.iter().enumerate().map(|(i, c)| html! {
                        <option selected={i == *command}>{ &c.0 }</option>
                    }) }
                </select>
            </label>
            <label>{ " Stream or row id " }
                <input aria-label="Stream or row id" value={(*stream).clone()} oninput={on_stream} />
            </label>
            <textarea aria-label="Command data" rows="4" value={shown_data} oninput={on_data} />
            <button type="submit">{ "Send" }</button>
            { match &*result {
                Some(Ok(said)) => html! { <p class="console-result" role="status">{ said }</p> },
                Some(Err(error)) => html! { <p class="console-result field-problem" role="alert">{ error }</p> },
                None => html! {},
            } }
        </form>
    }
}
