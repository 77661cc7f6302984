//! The simulation page: a load generator (as JSON, seeded, at a chosen speed) with play, pause
//! and step; the warnings as they appear while it runs; and a time-travel slider over the global
//! position that shows the streams and a read model as of that point, with a way back to now.

use std::rc::Rc;

use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{JsonField, JsonTree};
use crate::model::Problem;
use crate::session::{counted, duration};
use crate::sim::load::LoadStatus;

/// A read model's first documents, and how many it has.
pub type DocumentPage = (Vec<(String, Value)>, usize);

/// How many of a read model's documents the time-travel view shows (the page is redrawn on every
/// tick of a generator, so the rest are not copied for it).
pub const SHOWN_DOCUMENTS: usize = 20;
/// The most streams listed as of a position.
pub const SHOWN_STREAMS: usize = 100;

/// The first streams by id, with their event counts ([`SHOWN_STREAMS`] at most), and how many
/// there are.
pub type StreamPage = (Vec<(String, u64)>, usize);

/// Commands per tick the speed picker offers (a tick is every 16 ms; the fastest is bounded by
/// the tick's time budget instead).
pub const SPEEDS: [(usize, &str); 4] = [
    (1, "slow: ~60 commands/s"),
    (10, "~600 commands/s"),
    (100, "~6,000 commands/s"),
    (1_000, "as fast as it goes"),
];

/// What the user does with the generator.
#[derive(Debug, Clone, PartialEq)]
pub enum Control {
    /// A new definition.
    Generator(Value),
    /// A new seed.
    Seed(u64),
    /// Commands per tick.
    Speed(usize),
    /// Start (again) from the definition, then play.
    Start,
    /// Play.
    Play,
    /// Pause.
    Pause,
    /// Send one command.
    Step,
    /// Travel to a position, or back to now.
    Travel(Option<u64>),
    /// The read model time travel shows.
    TravelProjection(String),
}

/// Properties of [`Simulation`].
#[derive(Properties, PartialEq)]
pub struct SimulationProps {
    /// The generator's definition.
    pub generator: Value,
    /// Generators to start from, by name.
    #[prop_or_default]
    pub presets: Rc<Vec<(String, Value)>>,
    /// Its seed.
    pub seed: u64,
    /// Commands per tick.
    pub speed: usize,
    /// Whether it plays.
    pub playing: bool,
    /// Where the run is, once started.
    pub status: Option<LoadStatus>,
    /// What was wrong with the last start.
    #[prop_or_default]
    pub problems: Vec<Problem>,
    /// The head of `$all`.
    pub head: u64,
    /// The position time travel shows, `None` for now.
    pub travel: Option<u64>,
    /// The streams as of it, with their event counts.
    pub streams: Rc<StreamPage>,
    /// The projections, and the one shown as of the position.
    pub projections: Rc<Vec<String>>,
    /// The one shown.
    pub projection: Option<String>,
    /// Its first documents as of the position ([`SHOWN_DOCUMENTS`] at most) and how many it has,
    /// or why they could not be replayed.
    pub documents: Rc<Result<DocumentPage, String>>,
    /// Called with each control.
    pub oncontrol: Callback<Control>,
    /// The warnings, drawn beside.
    #[prop_or_default]
    pub children: Html,
}

/// The page.
#[component]
pub fn Simulation(props: &SimulationProps) -> Html {
    let control = |c: Control| props.oncontrol.reform(move |_: MouseEvent| c.clone());
    let onseed = props.oncontrol.reform(|e: Event| {
        Control::Seed(
            e.target_unchecked_into::<HtmlInputElement>()
                .value()
                .trim()
                .parse()
                .unwrap_or(0),
        )
    });
    let onpreset = {
        let presets = props.presets.clone();
        let oncontrol = props.oncontrol.clone();
        Callback::from(move |e: Event| {
            let picked = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some((_, generator)) = picked.parse::<usize>().ok().and_then(|i| presets.get(i)) {
                oncontrol.emit(Control::Generator(generator.clone()));
            }
        })
    };
    let onspeed = props.oncontrol.reform(|e: Event| {
        Control::Speed(
            e.target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(10),
        )
    });
    let onslide = props
        .oncontrol
        .reform(|e: InputEvent| Control::Travel(e.target_unchecked_into::<HtmlInputElement>().value().parse().ok()));
    let onprojection = props
        .oncontrol
        .reform(|e: Event| Control::TravelProjection(e.target_unchecked_into::<HtmlSelectElement>().value()));
    let last = props.head.saturating_sub(1);
    let at = props.travel.unwrap_or(last).min(last);
    let status = props.status.as_ref().map(|s| html! {
        <p class="load-status" role="status">
            { format!("{}: {} of {} done, {} ({} accepted, {} rejected, {} failed), {} of simulated time{}",
                s.name, s.instances_done, counted(s.instances as u64, "instance"), counted(s.commands_sent, "command"),
                s.accepted, s.rejected, s.failed, duration(s.simulated_ms),
                if s.done { " · done" } else if s.paused { " · paused" } else { "" }) }
        </p>
    });
    let errors = props.status.as_ref().map(|s| s.last_errors.clone()).unwrap_or_default();
    html! {
        <div class="lab simulation">
            <section class="lab-panel controls" aria-label="Load generator">
                <h3>{ "Load generator" }</h3>
                if !props.presets.is_empty() {
                    <label class="editor-field"><span>{ "Start from" }</span>
                        <select aria-label="Generator preset" onchange={onpreset}>
                            <option value="" selected=true>{ "A preset…" }</option>
                            { for props.presets.iter().enumerate().map(|(i, (name, _))| html! { <option value={i.to_string()}>{ name.clone() }</option> }) }
                        </select></label>
                }
                <JsonField label="Generator definition" value={props.generator.clone()} rows={12}
                    onchange={props.oncontrol.reform(Control::Generator)} />
                <div class="editor-row">
                    <label class="editor-field short"><span>{ "Seed" }</span>
                        <input type="number" min="0" value={props.seed.to_string()} onchange={onseed} /></label>
                    <label class="editor-field"><span>{ "Speed" }</span>
                        <select onchange={onspeed}>
                            { for SPEEDS.iter().map(|(n, label)| html! { <option value={n.to_string()} selected={*n == props.speed}>{ *label }</option> }) }
                        </select></label>
                </div>
                <div class="lab-actions">
                    <button type="button" class="primary" onclick={control(Control::Start)}>{ if props.status.is_some() { "Restart" } else { "Start" } }</button>
                    if props.status.is_some() {
                        if props.playing {
                            <button type="button" onclick={control(Control::Pause)}>{ "Pause" }</button>
                        } else {
                            <button type="button" onclick={control(Control::Play)}>{ "Play" }</button>
                        }
                        <button type="button" onclick={control(Control::Step)}>{ "Step one command" }</button>
                    }
                </div>
                if !props.problems.is_empty() {
                    <ul class="editor-problems">{ for props.problems.iter().map(|p| html! { <li>{ p.to_string() }</li> }) }</ul>
                }
                { status }
                if !errors.is_empty() {
                    <details><summary>{ format!("{} recent failures", errors.len()) }</summary>
                        <ul>{ for errors.into_iter().map(|e| html! { <li>{ e }</li> }) }</ul></details>
                }
            </section>
            <section class="lab-panel live-warnings" aria-label="Live warnings">
                <h3>{ "Warnings" }</h3>
                { props.children.clone() }
            </section>
            <section class="lab-panel time-travel" aria-label="Time travel">
                <h3>{ match props.travel { Some(_) => format!("As of position {at}"), None => "Now".to_owned() } }</h3>
                if props.head == 0 {
                    <p class="empty-state">{ "Nothing stored yet: start the generator or send a command." }</p>
                } else {
                    <div class="editor-row travel-row">
                        <input type="range" min="0" max={last.to_string()} value={at.to_string()} oninput={onslide}
                            aria-label="Global position" aria-valuetext={format!("position {at} of {last}")} />
                        <button type="button" disabled={props.travel.is_none()} onclick={control(Control::Travel(None))}>{ "Back to now" }</button>
                    </div>
                    <div class="travel-views">
                        <div>
                            <h4>{ counted(props.streams.1 as u64, "stream") }</h4>
                            <ul class="travel-streams">
                                { for props.streams.0.iter().take(SHOWN_STREAMS).map(|(id, n)| html! { <li><span>{ id.clone() }</span><span class="count">{ n }</span></li> }) }
                            </ul>
                        </div>
                        <div>
                            <label class="editor-field"><span>{ "Read model" }</span>
                                <select onchange={onprojection}>
                                    { for props.projections.iter().map(|p| html! { <option value={p.clone()} selected={props.projection.as_ref() == Some(p)}>{ p.clone() }</option> }) }
                                </select></label>
                            { match &*props.documents {
                                Ok((docs, total)) => html! { <JsonTree label={counted(*total as u64, "document")} open={false} value={Value::Object(docs.iter().take(SHOWN_DOCUMENTS).cloned().collect())} /> },
                                Err(e) => html! { <p class="field-problem">{ e.clone() }</p> },
                            } }
                        </div>
                    </div>
                }
            </section>
        </div>
    }
}
