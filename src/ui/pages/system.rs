//! The system page: the modules and external systems as a map with the broker's live figures on
//! each subscription, the simulated clock, the fault presets, and the messages each consumer
//! parked, to replay or skip.

use yew::prelude::*;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use crate::session::{clock, counted, payload_line, Action, BoxKind, FaultScope, MapArrow, MapBox, Preset, SystemMap};
use crate::ui::components::{
    ConsumerPanel, FaultControls, ModuleTables, ModuleView, Outboxes, ProcessInstances, RunControls, TraceSection,
};
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
    let staged = use_workspace_read(&app, (), |workspace, ()| workspace.staged_preset());
    let selected = use_state(|| None::<FaultScope>);
    let onselect = {
        let selected = selected.clone();
        Callback::from(move |chosen: FaultScope| selected.set(Some(chosen)))
    };
    let onclose = {
        let selected = selected.clone();
        Callback::from(move |()| selected.set(None))
    };
    let console_module = match &*selected {
        Some(FaultScope::Module(name)) => Some(name.clone()),
        _ => None,
    };
    let waiting = use_workspace_read(&app, (), |workspace, ()| workspace.restart_needed().to_vec());
    let handle = &app.handle;
    html! {
        <main class="lab-page system-page" aria-label="System">
            if !waiting.is_empty() {
                <p class="restart-needed" role="status">
                    { format!("The running system is not the one drafted: {}. ", waiting.join("; ")) }
                    { "A restart brings it in: the main module keeps its events, the other modules, the broker and the process managers start empty." }
                    <button type="button" onclick={restart(handle)}>{ "Restart the system" }</button>
                </p>
            }
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
                <ClockControls />
                <div class="lab-actions presets" role="group" aria-label="Fault presets">
                    { for Preset::ALL.into_iter().map(|preset| html! {
                        <button type="button" title={preset.explanation()}
                            aria-pressed={(*staged == Some(preset)).to_string()}
                            onclick={stage(handle, preset)}>{ preset.label() }</button>
                    }) }
                </div>
                <p class="preset-explanation">
                    { staged.map_or("No preset staged: the faults are as the form below shows them.", Preset::explanation) }
                </p>
            </section>
            <div class="system-run">
                <FaultControls selected={(*selected).clone()} />
                <RunControls />
            </div>
            <ModuleConsole selected={console_module} />
            <Map map={map.clone()} animate={app.state.system_clock.animate} selected={(*selected).clone()} onselect={onselect.clone()} />
            { match &*selected {
                Some(FaultScope::Consumer(name)) => html! { <ConsumerPanel name={name.clone()} /> },
                Some(FaultScope::Module(name)) => html! { <ModuleView module={name.clone()} {onclose} /> },
                _ => Html::default(),
            } }
            <Links map={map.clone()} selected={(*selected).clone()} {onselect} />
            <DeadLetters parked={parked} />
            <ProcessInstances />
            <Outboxes />
            <ModuleTables />
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

fn restart(handle: &Handle) -> Callback<MouseEvent> {
    let handle = handle.clone();
    Callback::from(move |_| {
        handle.workspace.borrow_mut().restart_system();
        handle.dispatch(Action::Status("The system restarted as drafted".to_owned()));
        handle.changed();
    })
}

fn stage(handle: &Handle, preset: Preset) -> Callback<MouseEvent> {
    let handle = handle.clone();
    Callback::from(move |_| {
        let done = handle.workspace.borrow_mut().stage(preset);
        match done {
            Ok(()) => handle.dispatch(Action::Status(format!("Staged: {}", preset.label()))),
            Err(error) => handle.dispatch(Action::Status(format!("{} was not staged: {error}", preset.label()))),
        }
        handle.changed();
    })
}

/// Play and pause the simulated clock, its speed, and whether messages are drawn moving.
#[component]
fn ClockControls() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let clock = app.state.system_clock;
    let lags = use_workspace_read(&app, (), |workspace, ()| workspace.clock_lags());
    let handle = &app.handle;
    let onplay = {
        let handle = handle.clone();
        Callback::from(move |_: MouseEvent| {
            handle.dispatch(Action::PlaySystem(!clock.playing));
            if clock.playing {
                // Paused between whole moves, as the log and a reload have it, and shown so.
                handle.workspace.borrow_mut().finish_clock_move();
                handle.changed();
            }
        })
    };
    let onspeed = handle.callback(|e: Event| {
        let picked = e.target_unchecked_into::<HtmlSelectElement>().value();
        Action::SystemSpeed(picked.parse().unwrap_or(1))
    });
    let onanimate =
        handle.callback(|e: Event| Action::AnimateMessages(e.target_unchecked_into::<HtmlInputElement>().checked()));
    html! {
        <div class="lab-actions clock-play" role="group" aria-label="Play the clock">
            <button type="button" class={classes!(clock.playing.then_some("primary"))} aria-pressed={clock.playing.to_string()} onclick={onplay}>
                { if clock.playing { "Pause the clock" } else { "Play the clock" } }
            </button>
            <label>{ "Speed " }
                <select aria-label="Clock speed" onchange={onspeed}>
                    { for [(1u32, "real time"), (10, "×10"), (100, "×100")].into_iter().map(|(speed, label)| html! {
                        <option value={speed.to_string()} selected={clock.speed == speed}>{ label }</option>
                    }) }
                </select>
            </label>
            <label class="check">
                <input type="checkbox" checked={clock.animate} onchange={onanimate} />{ " Draw messages moving" }
            </label>
            if clock.playing && *lags {
                <span class="muted" role="status">{ "The system cannot keep up at this speed: its clock lags real time." }</span>
            }
        </div>
    }
}

/// Properties of the map and the links table.
#[derive(Properties, PartialEq)]
struct MapProps {
    map: std::rc::Rc<SystemMap>,
    /// Whether messages are drawn moving along the arrows.
    #[prop_or_default]
    animate: bool,
    /// The consumer or module opened.
    selected: Option<FaultScope>,
    /// Opens a consumer (an arrow, a row) or a module (a box).
    onselect: Callback<FaultScope>,
}

/// What opens `chosen`: a click, or Enter or Space on the focused element.
fn opener(onselect: &Callback<FaultScope>, chosen: FaultScope) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let (on_click, on_key) = (onselect.clone(), onselect.clone());
    let again = chosen.clone();
    (
        Callback::from(move |_| on_click.emit(chosen.clone())),
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                on_key.emit(again.clone());
            }
        }),
    )
}

/// How many moving messages an arrow shows at most.
const MOVING_AT_MOST: u64 = 3;

/// The map, as SVG scaled to the page's width. While messages travel an arrow (in flight, or
/// delivered since the last drawing), dots move along it: the browser animates them (SVG's
/// `animateMotion`), so a playing clock costs no work per frame.
#[component]
fn Map(props: &MapProps) -> Html {
    let map = &props.map;
    let delivered_before = use_mut_ref(Vec::<u64>::new);
    let moving: Vec<u64> = {
        let mut before = delivered_before.borrow_mut();
        let moving = map
            .arrows
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let delivered = a
                    .stats
                    .delivered
                    .saturating_sub(before.get(i).copied().unwrap_or(a.stats.delivered));
                (a.stats.in_flight + delivered).min(MOVING_AT_MOST)
            })
            .collect();
        *before = map.arrows.iter().map(|a| a.stats.delivered).collect();
        moving
    };
    let messages = map
        .arrows
        .iter()
        .zip(&moving)
        .enumerate()
        .filter(|_| props.animate)
        .flat_map(|(i, (a, &n))| {
            (0..n).map(move |k| {
                // Staggered along the arrow: each dot starts a third of the way behind the one before.
                let begin = format!("-{:.2}s", k as f64 * 0.3);
                html! {
                    <circle key={format!("{i}-{k}")} class="map-message" r="4">
                        <animateMotion dur="0.9s" repeatCount="indefinite" begin={begin} path={a.path.clone()} />
                    </circle>
                }
            })
        });
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
                { for map.arrows.iter().map(|a| arrow(a, props)) }
                { for map.boxes.iter().map(|b| module_box(b, props)) }
                <g class="map-messages" aria-hidden="true">{ for messages }</g>
                // The figures last, over the boxes, so that a long topic name is never hidden.
                { for map.arrows.iter().map(|a| arrow_label(a, props)) }
            </svg>
            <figcaption class="muted">
                { "Boxes: event-sourced modules (rounded), state-stored modules (square), external systems (dashed). Arrows: a consumer's subscription to a topic, with the messages it handled; red once a message was lost or parked, or a duplicate reached the consumer (no inbox dropped it)." }
            </figcaption>
        </figure>
    }
}

/// A module's or external system's box; a module's opens below the map.
fn module_box(b: &MapBox, props: &MapProps) -> Html {
    let (kind, unit) = match b.kind {
        BoxKind::EventSourced => ("event-sourced", "event"),
        BoxKind::StateStored => ("state-stored", "row"),
        BoxKind::External => ("external", "call"),
    };
    let scope = FaultScope::Module(b.name.clone());
    let class = classes!(
        "map-box",
        kind,
        (b.kind != BoxKind::External).then_some("openable"),
        (props.selected.as_ref() == Some(&scope)).then_some("selected")
    );
    let (onclick, onkeydown) = opener(&props.onselect, scope);
    let radius = if b.kind == BoxKind::StateStored { "0" } else { "10" };
    let lost = if b.lost > 0 {
        format!(" · {} lost", b.lost)
    } else {
        String::new()
    };
    let module = b.kind != BoxKind::External;
    html! {
        <g class={class} tabindex={module.then_some("0")} role={module.then_some("button")}
            aria-label={module.then(|| format!("Open module {}", b.name))}
            onclick={module.then_some(onclick)} onkeydown={module.then_some(onkeydown)}>
            <title>{ format!("{}: {}, {}{lost}", b.name, counted(b.size, unit), b.detail) }</title>
            <rect x={fmt(b.x)} y={fmt(b.y)} width={fmt(b.w)} height={fmt(b.h)} rx={radius} />
            <text class="map-name" x={fmt(b.x + 12.0)} y={fmt(b.y + 26.0)}>{ &b.name }</text>
            <text class="map-detail" x={fmt(b.x + 12.0)} y={fmt(b.y + 48.0)}>
                { format!("{} · {}{lost}", counted(b.size, unit), b.detail) }
            </text>
        </g>
    }
}

fn arrow(a: &MapArrow, props: &MapProps) -> Html {
    let scope = FaultScope::Consumer(a.consumer.clone());
    let class = classes!(
        "map-arrow",
        a.troubled().then_some("troubled"),
        (props.selected.as_ref() == Some(&scope)).then_some("selected")
    );
    let (onclick, onkeydown) = opener(&props.onselect, scope);
    html! {
        <g class={class} tabindex="0" role="button" aria-label={format!("{} to {}", a.topic, a.consumer)} {onclick} {onkeydown}>
            <title>{ format!("{} → {} ({}): {}", a.topic, a.consumer, a.to, a.summary()) }</title>
            // A wide, invisible stroke under the arrow, so that it is easy to click.
            <path class="map-hit" d={a.path.clone()} />
            <path class="map-line" d={a.path.clone()} marker-end="url(#arrow-head)" />
        </g>
    }
}

/// An arrow's topic and figures, drawn over the boxes; a click on them opens the arrow's consumer
/// as a click on the arrow does (the keyboard reaches it through the arrow).
fn arrow_label(a: &MapArrow, props: &MapProps) -> Html {
    let class = if a.troubled() {
        "map-figures troubled"
    } else {
        "map-figures"
    };
    let (onclick, _) = opener(&props.onselect, FaultScope::Consumer(a.consumer.clone()));
    html! {
        <g class={class} {onclick}>
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
                            // What went wrong first, so that it shows on a narrow screen too.
                            { for ["Topic", "Consumer", "Module", "Lost", "Parked", "In flight", "Published", "Delivered", "Handled", "Duplicates", "Dropped by inbox"]
                                .into_iter().map(|h| html! { <th scope="col">{ h }</th> }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for props.map.arrows.iter().map(|a| {
                            let s = &a.stats;
                            let scope = FaultScope::Consumer(a.consumer.clone());
                            let class = classes!(
                                a.troubled().then_some("troubled"),
                                (props.selected.as_ref() == Some(&scope)).then_some("selected")
                            );
                            let (onclick, onkeydown) = opener(&props.onselect, scope);
                            html! {
                                <tr class={class} tabindex="0" title={format!("Open {}", a.consumer)} {onclick} {onkeydown}>
                                    <td>{ &a.topic }</td>
                                    <td>{ &a.consumer }</td>
                                    <td>{ &a.to }</td>
                                    { for [s.lost, s.parked, s.in_flight, s.published, s.delivered, s.handled, s.duplicates_delivered, s.duplicates_dropped]
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
        let done = handle.workspace.borrow_mut().replay_parked(&consumer, only.as_deref());
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
        let done = handle.workspace.borrow_mut().skip_parked(&consumer, &id);
        handle.dispatch(Action::Status(match done {
            Ok(()) => format!("{id} skipped by {consumer}"),
            Err(error) => format!("Not skipped: {error}"),
        }));
        handle.changed();
    })
}

/// Properties of [`ModuleConsole`].
#[derive(Properties, PartialEq)]
struct ModuleConsoleProps {
    /// The module selected on the map: the console switches to it.
    selected: Option<String>,
}

/// A command to any module: module, command, stream (or row) id and data as JSON; the data starts
/// as the command's fields, empty.
#[component]
fn ModuleConsole(props: &ModuleConsoleProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let modules = use_workspace_read(&app, (), |workspace, ()| workspace.module_commands());
    let module = use_state(|| 0usize);
    let command = use_state(|| 0usize);
    let stream = use_state(String::new);
    let data = use_state(String::new);
    let chain = use_state(String::new);
    {
        let (module, command, data, modules) = (module.clone(), command.clone(), data.clone(), modules.clone());
        use_effect_with(props.selected.clone(), move |selected| {
            if let Some(at) = selected
                .as_ref()
                .and_then(|name| modules.iter().position(|m| &m.module == name))
            {
                module.set(at);
                command.set(0);
                data.set(String::new());
            }
        });
    }
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
    let on_chain = {
        let chain = chain.clone();
        Callback::from(move |e: InputEvent| chain.set(e.target_unchecked_into::<HtmlInputElement>().value()))
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
        let (stream, chain, result) = (stream.clone(), chain.clone(), result.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let sent = handle
                .workspace
                .borrow_mut()
                .send_in_chain(&target, &name, &stream, &payload, Some(&chain));
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
            <label title="Leave blank to start a new chain; give one to add this command to its trace">
                { " Correlation " }
                <input aria-label="Correlation id" placeholder="new" value={(*chain).clone()} oninput={on_chain} />
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
