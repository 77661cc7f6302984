//! The lifecycle page: what the store holds where and what it costs, archiving closed streams
//! (by stream) and uploading segments (by position), scavenging, compaction and summaries, and
//! what a projection rebuild would now do.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::books::Books;
use super::forget::Forget;
use super::migrate::Migrate;
use crate::session::{
    bytes, counted, counted_as, duration, instant, money, Action, CostModel, DaySample, LifecyclePolicy,
    LifecycleStream, LifecycleView, Workspace,
};
use crate::store::{ArchiveSettings, SegmentInfo};
use crate::ui::reads::PageProps;
use crate::ui::state::{use_app, use_workspace_read, Handle};

const DAY_MS: u64 = 86_400_000;
/// The most commands per tick of a year of traffic: what the page keeps up with at a frame each.
const YEAR_SPEED: usize = 1_000;

/// Commands per tick for a year of `generator`: a third of a simulated day each (a year in about
/// 1,100 ticks, some twenty seconds, however busy the day), at most [`YEAR_SPEED`].
fn year_speed(generator: &serde_json::Value) -> usize {
    let interval = generator["intervalMs"].as_u64().unwrap_or(1).max(1);
    ((DAY_MS / interval / 3) as usize).clamp(1, YEAR_SPEED)
}

/// What the last action of a section did, or why it did not.
pub(super) type Said = UseStateHandle<Option<Result<String, String>>>;

/// The page.
#[component]
pub fn LifecyclePage(_props: &PageProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let view = use_workspace_read(&app, (), |workspace, ()| {
        workspace.lifecycle_view(&CostModel::default())
    });
    let projections = use_workspace_read(&app, (), |workspace, ()| {
        let model = &workspace.scenario().model;
        model.projections.iter().map(|p| p.name.clone()).collect::<Vec<_>>()
    });
    html! {
        <main class="lab-page lifecycle" aria-label="Data lifecycle">
            <Meter view={view.clone()} />
            <TimeLapse />
            <Books />
            <Forget />
            <Migrate />
            <div class="lifecycle-grid">
                <ByStream view={view.clone()} />
                <ByPosition view={view.clone()} />
                <Compaction view={view.clone()} />
                <RebuildPreview {projections} />
            </div>
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct ViewProps {
    view: Rc<LifecycleView>,
}

/// Runs `act` on the workspace; says what it did (or why not) in `said` and the status bar, and
/// redraws what reads the workspace.
pub(super) fn act(handle: &Handle, said: &Said, act: impl FnOnce(&mut Workspace) -> Result<String, String>) {
    let outcome = act(&mut handle.workspace.borrow_mut());
    if let Ok(done) = &outcome {
        handle.dispatch(Action::Status(done.clone()));
    }
    said.set(Some(outcome));
    handle.changed();
}

pub(super) fn said_line(said: &Said) -> Html {
    match &**said {
        Some(Ok(done)) => html! { <p class="lifecycle-said" role="status">{ done }</p> },
        Some(Err(why)) => html! { <p class="field-problem" role="alert">{ why }</p> },
        None => Html::default(),
    }
}

/// The storage meter: a bar of the tiers, their figures and costs, the cold reads and the clock.
#[component]
fn Meter(props: &ViewProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let said: Said = use_state(|| None);
    let view = &props.view;
    let storage = &view.storage;
    let costs = &view.costs;
    let local_total = storage.hot_bytes + storage.archived_bytes + storage.archive_only_bytes;
    let share = |part: u64| {
        if local_total == 0 {
            0.0
        } else {
            part as f64 * 100.0 / local_total as f64
        }
    };
    let saving = if costs.all_hot > 0.0 {
        (1.0 - costs.total / costs.all_hot) * 100.0
    } else {
        0.0
    };
    let advance = |days: u64| {
        let (handle, said) = (app.handle.clone(), said.clone());
        Callback::from(move |_: MouseEvent| {
            act(&handle, &said, |workspace| {
                workspace
                    .advance_clock(days * DAY_MS)
                    .map(|now| format!("The clock is at {}", instant(now)))
                    .map_err(|e| e.to_string())
            })
        })
    };
    let reads = storage.reads;
    html! {
        <section class="lab-panel lifecycle-meter" aria-label="Storage meter">
            <header class="lifecycle-head">
                <h3>{ "Storage" }</h3>
                <span class="lifecycle-clock">{ format!("Simulated now: {}", instant(view.now_ms)) }</span>
                <button onclick={advance(1)}>{ "+1 day" }</button>
                <button onclick={advance(30)}>{ "+30 days" }</button>
                <button onclick={advance(365)}>{ "+1 year" }</button>
            </header>
            { said_line(&said) }
            <div class="meter-bar" role="img"
                aria-label={format!("Hot {:.0}%, archived streams {:.0}%, archive only {:.0}%",
                    share(storage.hot_bytes), share(storage.archived_bytes), share(storage.archive_only_bytes))}>
                <span class="tier-hot" style={format!("width: {:.2}%", share(storage.hot_bytes))}></span>
                <span class="tier-archived" style={format!("width: {:.2}%", share(storage.archived_bytes))}></span>
                <span class="tier-cold" style={format!("width: {:.2}%", share(storage.archive_only_bytes))}></span>
            </div>
            <dl class="meter-figures">
                <dt><span class="swatch tier-hot"></span>{ "Hot" }</dt>
                <dd>{ format!("{} · {} · {}/month", counted(storage.hot_events, "event"), bytes(storage.hot_bytes), money(costs.hot)) }</dd>
                <dt><span class="swatch tier-archived"></span>{ "Archived streams" }</dt>
                <dd>{ format!("{} · {} kept locally · {} · {}/month", counted(storage.archived_streams, "stream"),
                    counted(storage.archived_events, "event"), bytes(storage.archived_bytes), money(costs.archived)) }</dd>
                <dt><span class="swatch tier-cold"></span>{ "Archive (object storage)" }</dt>
                <dd>{ format!("{} uploaded · {} · {}/month; {} only there", counted(storage.uploaded_events, "event"),
                    bytes(storage.uploaded_bytes), money(costs.archive), counted(storage.archive_only_events, "event")) }</dd>
                <dt>{ "All of it hot" }</dt>
                <dd>{ if saving >= 0.0 {
                    format!("{}/month: tiering saves {saving:.0}%", money(costs.all_hot))
                } else {
                    format!("{}/month: tiering costs {:.0}% more for now, uploaded segments being paid for twice until a scavenge removes their local copy",
                        money(costs.all_hot), -saving)
                } }</dd>
                <dt>{ "Cold reads" }</dt>
                <dd>{ format!("{} of archived streams, {} from the archive: +{} simulated",
                    counted(reads.archived_stream_reads, "read"), counted_as(reads.archive_fetches, "fetch", "fetches"),
                    duration(costs.cold_read_ms)) }</dd>
            </dl>
        </section>
    }
}

/// Archiving closed streams to the archived partition, reading one back, restoring it.
#[component]
fn ByStream(props: &ViewProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let said: Said = use_state(|| None);
    let days = use_state(|| "30".to_owned());
    let view = &props.view;
    let idle_days = days.trim().parse::<u64>().ok().filter(|d| *d <= 36_500);
    let on_days = {
        let days = days.clone();
        Callback::from(move |e: InputEvent| days.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_archive_closed = {
        let (handle, said) = (app.handle.clone(), said.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(days) = idle_days else { return };
            act(&handle, &said, |workspace| {
                workspace
                    .archive_closed(days * DAY_MS)
                    .map(|n| format!("Archived {} closed for {days} days or more", counted(n, "stream")))
                    .map_err(|e| e.to_string())
            })
        })
    };
    let stream_action = |label: &'static str, id: &str| {
        let (handle, said, id) = (app.handle.clone(), said.clone(), id.to_owned());
        Callback::from(move |_: MouseEvent| {
            let id = id.clone();
            act(&handle, &said, move |workspace| match label {
                "Archive" => workspace
                    .archive_stream(&id)
                    .map(|()| format!("{id} is in the archived partition"))
                    .map_err(|e| e.to_string()),
                "Restore" => workspace
                    .restore_stream(&id)
                    .map(|()| format!("{id} is back: every read sees it and it can be written"))
                    .map_err(|e| e.to_string()),
                _ => read_back(workspace, &id),
            })
        })
    };
    html! {
        <section class="lab-panel" aria-label="Archive by stream">
            <h3>{ "Archive closed streams" }</h3>
            <p class="muted">{ "As Marten and Emmett do: an archived stream moves to a partition off the hot \
                indexes. Reading it still works, a little slower; $all, categories, subscriptions and \
                projection rebuilds skip it, and writing to it fails until it is restored." }</p>
            <form class="lifecycle-form" onsubmit={on_archive_closed}>
                <label class="inline-field">{ "Idle for at least " }
                    <input aria-label="Idle days" inputmode="numeric" size="5" value={(*days).clone()}
                        aria-invalid={idle_days.is_none().to_string()} oninput={on_days} />
                    { " days" }
                </label>
                <button type="submit" class="primary" disabled={idle_days.is_none()}>{ "Archive closed streams" }</button>
                if idle_days.is_none() {
                    <span class="field-problem" role="alert">{ "Type a whole number of days, at most 36500" }</span>
                }
            </form>
            { said_line(&said) }
            <h4>{ format!("Closed, not archived ({})", view.closed_total) }
                if view.closed_total > view.closed.len() as u64 { <span class="muted">{ format!(" · the {} idle longest", view.closed.len()) }</span> }</h4>
            { stream_table(&view.closed, true, &|id| html! {
                <button onclick={stream_action("Archive", id)} aria-label={format!("Archive {id}")}>{ "Archive" }</button>
            }) }
            <h4>{ format!("Archived ({})", view.storage.archived_streams) }
                if view.storage.archived_streams > view.archived.len() as u64 { <span class="muted">{ format!(" · the first {} by id", view.archived.len()) }</span> }</h4>
            { stream_table(&view.archived, false, &|id| html! { <>
                <button onclick={stream_action("Read", id)} aria-label={format!("Read back {id}")}>{ "Read back" }</button>
                <button onclick={stream_action("Restore", id)} aria-label={format!("Restore {id}")}>{ "Restore" }</button>
            </> }) }
        </section>
    }
}

/// Reads an archived stream back and says what it cost.
fn read_back(workspace: &mut Workspace, id: &str) -> Result<String, String> {
    let store = workspace.runtime().store();
    let before = store.cold_reads();
    let events = store
        .read_stream(id, 0, usize::MAX, crate::store::Direction::Forwards)
        .map_err(|e| e.to_string())?;
    let after = store.cold_reads();
    let costs = CostModel::default();
    Ok(format!(
        "Read {} of {id} back from the archived partition: +{} simulated",
        counted(events.len() as u64, "event"),
        duration(costs.cold_read_ms(after).saturating_sub(costs.cold_read_ms(before)))
    ))
}

fn stream_table(streams: &[LifecycleStream], last_event: bool, actions: &dyn Fn(&str) -> Html) -> Html {
    if streams.is_empty() {
        return html! { <p class="muted">{ "None." }</p> };
    }
    html! {
        <div class="table-scroll">
            <table class="lifecycle-table">
                <thead><tr>
                    <th>{ "Stream" }</th><th>{ "Events" }</th><th>{ "Bytes" }</th>
                    if last_event { <th>{ "Last event" }</th> }
                    <th>{ "Idle" }</th><th></th>
                </tr></thead>
                <tbody>
                    { for streams.iter().map(|s| html! {
                        <tr>
                            <td class="mono">{ &s.id }</td>
                            <td>{ s.events }</td>
                            <td>{ bytes(s.bytes) }</td>
                            if last_event { <td class="mono">{ &s.last_event }</td> }
                            <td>{ duration(s.idle_ms) }</td>
                            <td class="row-actions">{ actions(&s.id) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// The archiver's settings, uploads, scavenges and the segments.
#[component]
fn ByPosition(props: &ViewProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let said: Said = use_state(|| None);
    let view = &props.view;
    let settings = view.storage.settings;
    let typed = use_state(|| None::<[String; 3]>);
    let fields = (*typed).clone().unwrap_or_else(|| {
        let s = settings.unwrap_or(ArchiveSettings {
            segment_events: 1000,
            retain_ms: 30 * DAY_MS as i64,
            retain_bytes: 0,
        });
        [
            s.segment_events.to_string(),
            (s.retain_ms / DAY_MS as i64).to_string(),
            (s.retain_bytes / 1024).to_string(),
        ]
    });
    let parsed = parse_settings(&fields);
    let on_field = |index: usize| {
        let (typed, fields) = (typed.clone(), fields.clone());
        Callback::from(move |e: InputEvent| {
            let mut next = fields.clone();
            next[index] = e.target_unchecked_into::<HtmlInputElement>().value();
            typed.set(Some(next));
        })
    };
    let on_save = {
        let (handle, said, typed, parsed) = (app.handle.clone(), said.clone(), typed.clone(), parsed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(settings) = parsed.clone() else { return };
            typed.set(None);
            act(&handle, &said, |workspace| {
                workspace
                    .configure_archive(Some(settings))
                    .map(|()| "The archiver is set up".to_owned())
                    .map_err(|e| e.to_string())
            })
        })
    };
    let button = |label: &'static str| {
        let (handle, said) = (app.handle.clone(), said.clone());
        Callback::from(move |_: MouseEvent| {
            act(&handle, &said, |workspace| match label {
                "Upload" => workspace
                    .upload_segments()
                    .map(|r| {
                        format!(
                            "Uploaded {} ({}, {})",
                            counted(r.segments, "segment"),
                            counted(r.events, "event"),
                            bytes(r.bytes)
                        )
                    })
                    .map_err(|e| e.to_string()),
                "Off" => workspace
                    .configure_archive(None)
                    .map(|()| "The archiver is off; what it uploaded stays".to_owned())
                    .map_err(|e| e.to_string()),
                _ => {
                    let r = workspace.scavenge();
                    Ok(format!(
                        "Scavenged: {} removed ({}), {} now only in the archive ({})",
                        counted(r.events_removed, "event"),
                        bytes(r.bytes_reclaimed),
                        counted(r.events_offloaded, "event"),
                        bytes(r.bytes_offloaded)
                    ))
                }
            })
        })
    };
    let problem = parsed.as_ref().err().cloned();
    html! {
        <section class="lab-panel" aria-label="Archive by position">
            <h3>{ "Archive old segments" }</h3>
            <p class="muted">{ "As KurrentDB's archiver does: complete segments of the log are uploaded to \
                object storage. A scavenge removes the local copy only of segments outside the retention \
                window; reads below that horizon fetch from the archive, slower, and return the same events." }</p>
            <form class="lifecycle-form" onsubmit={on_save}>
                <label class="inline-field">{ "Segment " }
                    <input aria-label="Segment size in events" inputmode="numeric" size="7" value={fields[0].clone()} oninput={on_field(0)} />
                    { " events" }</label>
                <label class="inline-field">{ "Keep locally " }
                    <input aria-label="Keep locally for days" inputmode="numeric" size="5" value={fields[1].clone()} oninput={on_field(1)} />
                    { " days" }</label>
                <label class="inline-field">{ "and while less than " }
                    <input aria-label="Keep locally while KB written after" inputmode="numeric" size="6" value={fields[2].clone()} oninput={on_field(2)} />
                    { " KB follow" }</label>
                <button type="submit" disabled={problem.is_some()}>{ if settings.is_some() { "Save settings" } else { "Set up the archiver" } }</button>
                if let Some(problem) = problem {
                    <span class="field-problem" role="alert">{ problem }</span>
                }
            </form>
            <div class="lab-actions">
                <button class="primary" onclick={button("Upload")} disabled={settings.is_none()}>{ "Upload segments" }</button>
                <button onclick={button("Scavenge")}>{ "Scavenge" }</button>
                if settings.is_some() {
                    <button onclick={button("Off")}>{ "Turn the archiver off" }</button>
                }
            </div>
            { said_line(&said) }
            <h4>{ format!("Segments ({} uploaded; local from position {})", view.segments_total, view.storage.local_from_position) }
                if view.segments_total > view.segments.len() { <span class="muted">{ format!(" · the newest {}", view.segments.len()) }</span> }</h4>
            { segment_table(&view.segments, view.now_ms) }
        </section>
    }
}

fn parse_settings(fields: &[String; 3]) -> Result<ArchiveSettings, String> {
    // Digits too many for a u64 are a number all the same, past every limit below.
    let number = |text: &str, what: &str| {
        let text = text.trim();
        match text.parse::<u64>() {
            Ok(n) => Ok(n),
            Err(_) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => Ok(u64::MAX),
            Err(_) => Err(format!("{what}: type a whole number")),
        }
    };
    let segment_events = number(&fields[0], "Segment size")?;
    if !(1..=crate::store::MAX_SEGMENT_EVENTS).contains(&segment_events) {
        return Err(format!(
            "Segment size: between 1 and {} events",
            crate::store::MAX_SEGMENT_EVENTS
        ));
    }
    let days = number(&fields[1], "Days kept")?.min(36_500);
    let kb = number(&fields[2], "KB kept")?.min(1 << 30);
    Ok(ArchiveSettings {
        segment_events,
        retain_ms: (days * DAY_MS) as i64,
        retain_bytes: kb * 1024,
    })
}

fn segment_table(segments: &[SegmentInfo], now_ms: i64) -> Html {
    if segments.is_empty() {
        return html! { <p class="muted">{ "Nothing uploaded yet." }</p> };
    }
    html! {
        <div class="table-scroll">
            <table class="lifecycle-table">
                <thead><tr><th>{ "Positions" }</th><th>{ "Events" }</th><th>{ "Bytes" }</th><th>{ "Newest" }</th><th>{ "Where" }</th></tr></thead>
                <tbody>
                    { for segments.iter().map(|s| html! {
                        <tr class={if s.local { "" } else { "archive-only" }}>
                            <td class="mono">{ format!("{}–{}", s.first_position, s.end_position.saturating_sub(1)) }</td>
                            <td>{ s.events }</td>
                            <td>{ bytes(s.bytes) }</td>
                            <td>{ s.newest_timestamp_ms.map_or_else(|| "—".to_owned(), |ts|
                                format!("{} ago", duration(u64::try_from(now_ms.saturating_sub(ts)).unwrap_or(0)))) }</td>
                            <td>{ if s.local { "local and archive" } else { "archive only" } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// Compaction and summary events on one stream.
#[component]
fn Compaction(props: &ViewProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let said: Said = use_state(|| None);
    let view = &props.view;
    let stream = use_state(|| None::<String>);
    let through = use_state(String::new);
    let chosen = (*stream).clone().or_else(|| view.longest.first().map(|s| s.id.clone()));
    let through_value = match through.trim() {
        "" => Ok(None),
        text => text
            .parse::<u64>()
            .map(Some)
            .map_err(|_| "Through revision: type a whole number, or leave it empty for the last".to_owned()),
    };
    let on_stream = {
        let stream = stream.clone();
        Callback::from(move |e: Event| stream.set(Some(e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let on_through = {
        let through = through.clone();
        Callback::from(move |e: InputEvent| through.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let run = |compact: bool| {
        let (handle, said, chosen, through_value, stream) = (
            app.handle.clone(),
            said.clone(),
            chosen.clone(),
            through_value.clone(),
            stream.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(id) = chosen.clone() else { return };
            // The list is by length: the stream acted on stays chosen when it moves down.
            stream.set(Some(id.clone()));
            let Ok(through) = through_value.clone() else { return };
            act(&handle, &said, |workspace| {
                if compact {
                    workspace
                        .compact_stream(&id, through)
                        .map(|r| {
                            format!(
                                "Compacted {id}: {} gave way to one snapshot at revision {} ({} saved)",
                                counted(r.events_removed + 1, "event"),
                                r.revision,
                                bytes(r.bytes_removed.saturating_sub(r.snapshot_bytes))
                            )
                        })
                        .map_err(|e| e.to_string())
                } else {
                    workspace
                        .summarize_stream(&id)
                        .map(|r| {
                            format!(
                                "Summarized {id}: a summary at revision {} hides {} until the next scavenge",
                                r.revision,
                                counted(r.hidden, "event")
                            )
                        })
                        .map_err(|e| e.to_string())
                }
            })
        })
    };
    let disabled = chosen.is_none() || through_value.is_err();
    html! {
        <section class="lab-panel" aria-label="Compact or summarize">
            <h3>{ "Compact or summarize a stream" }</h3>
            <p class="muted">{ "Both write the state the stream folds to as one event. Compaction (as Marten 8 does) \
                replaces the events up to a revision in place: no new position, so projections past it never \
                see it and a rebuild sees the snapshot instead (a script projection handles it with fn on_compacted(doc, event), \
                event.data being the stream's state; without one, a rebuild finds no document where the events were). A summary is appended at the head and the stream \
                is truncated before it: subscribers see it as a new event, the old ones leave at the next scavenge." }</p>
            <div class="lifecycle-form">
                <label class="inline-field">{ "Stream " }
                    <select aria-label="Stream to compact or summarize" onchange={on_stream}>
                        { for view.longest.iter().map(|s| html! {
                            <option value={s.id.clone()} selected={chosen.as_deref() == Some(s.id.as_str())}>
                                { format!("{} ({})", s.id, counted(s.events, "event")) }
                            </option>
                        }) }
                    </select>
                </label>
                <label class="inline-field">{ "through revision " }
                    <input aria-label="Compact through revision" inputmode="numeric" size="6" placeholder="last"
                        value={(*through).clone()} aria-invalid={through_value.is_err().to_string()} oninput={on_through} />
                </label>
                <button onclick={run(true)} {disabled}>{ "Compact" }</button>
                <button onclick={run(false)} disabled={chosen.is_none()}>{ "Summarize" }</button>
            </div>
            if let Err(problem) = &through_value {
                <p class="field-problem" role="alert">{ problem }</p>
            }
            if view.longest.is_empty() {
                <p class="muted">{ "No stream holds events yet: run commands or a load generator first." }</p>
            }
            { said_line(&said) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PreviewProps {
    projections: Rc<Vec<String>>,
}

/// What a rebuild from scratch would now do to a projection's documents.
#[component]
fn RebuildPreview(props: &PreviewProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let chosen = use_state(|| None::<String>);
    let preview = use_state(|| None::<Result<crate::session::RebuildPreview, String>>);
    let name = (*chosen).clone().or_else(|| props.projections.first().cloned());
    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| chosen.set(Some(e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let on_preview = {
        let (handle, preview, name) = (app.handle.clone(), preview.clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(name) = name.clone() else { return };
            let result = handle
                .workspace
                .borrow_mut()
                .rebuild_preview(&name)
                .map_err(|e| format!("A rebuild from scratch would stop: {e}"));
            preview.set(Some(result));
        })
    };
    html! {
        <section class="lab-panel" aria-label="Rebuild preview">
            <h3>{ "What a rebuild would do now" }</h3>
            <p class="muted">{ "A rebuild reads $all from the start: archived streams, truncated and compacted \
                events are not there any more. Replayed aside; the live read model is untouched." }</p>
            if props.projections.is_empty() {
                <p class="muted">{ "The model has no projection." }</p>
            } else {
                <div class="lifecycle-form">
                    <label class="inline-field">{ "Projection " }
                        <select aria-label="Projection to preview" onchange={on_choose}>
                            { for props.projections.iter().map(|p| html! {
                                <option selected={name.as_deref() == Some(p.as_str())}>{ p }</option>
                            }) }
                        </select>
                    </label>
                    <button onclick={on_preview}>{ "Preview a rebuild" }</button>
                </div>
            }
            { match &*preview {
                Some(Ok(p)) => html! {
                    <div class={classes!("rebuild-result", (p.lost_total > 0).then_some("loses"))} role="status">
                        <p>{ format!("{}: {} now, {} after a rebuild; {} lost, {} changed.", p.projection,
                            counted(p.now as u64, "document"), p.after, p.lost_total, p.changed) }</p>
                        if !p.lost.is_empty() {
                            <p class="mono">{ format!("Lost: {}{}", p.lost.join(", "),
                                if p.lost_total > p.lost.len() { " …" } else { "" }) }</p>
                        }
                    </div>
                },
                Some(Err(why)) => html! { <p class="field-problem" role="alert">{ why }</p> },
                None => Html::default(),
            } }
        </section>
    }
}

/// The time-lapse: a year of the generator's traffic on the simulated clock, the lifecycle
/// policy applied day by day, and charts of what each day left.
#[component]
fn TimeLapse() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let samples = use_workspace_read(&app, (), |workspace, ()| workspace.time_lapse().to_vec());
    let policy = use_workspace_read(&app, (), |workspace, ()| workspace.lifecycle_policy());
    let status = app.handle.workspace.borrow().load_status();
    let playing = app.state.generator.playing;
    let running = status.as_ref().is_some_and(|s| !s.done);
    let on_year = {
        let handle = app.handle.clone();
        let seed = app.state.generator.seed;
        Callback::from(move |_: MouseEvent| {
            let year = handle.workspace.borrow().year_of_traffic();
            let started = handle.workspace.borrow_mut().start_load(year.clone(), seed);
            crate::ui::storage::save_generator(Some(&year));
            handle.dispatch(Action::SetSpeed(year_speed(&year)));
            handle.dispatch(Action::SetGenerator(year));
            handle.dispatch(Action::Started(started.map(drop).map_err(|e| e.problems())));
            handle.changed();
        })
    };
    let on_play = {
        let handle = app.handle.clone();
        Callback::from(move |_: MouseEvent| {
            let mut workspace = handle.workspace.borrow_mut();
            let action = if playing {
                let _ = workspace.pause_load();
                Action::Pause
            } else {
                let _ = workspace.resume_load();
                Action::Play
            };
            drop(workspace);
            handle.dispatch(action);
        })
    };
    let set_policy = |change: fn(&mut LifecyclePolicy, &web_sys::HtmlInputElement)| {
        let (handle, policy) = (app.handle.clone(), *policy);
        Callback::from(move |e: Event| {
            let mut next = policy;
            change(&mut next, &e.target_unchecked_into::<web_sys::HtmlInputElement>());
            handle.workspace.borrow_mut().set_lifecycle_policy(next);
            handle.changed();
        })
    };
    let on_archive = set_policy(|p, input| {
        p.archive_closed_after_days = input.checked().then_some(p.archive_closed_after_days.unwrap_or(30));
    });
    // The days as typed: a policy takes them only when they read; the field says why not.
    let typed_days = use_state(|| None::<String>);
    let days_text = (*typed_days)
        .clone()
        .unwrap_or_else(|| policy.archive_closed_after_days.unwrap_or(30).to_string());
    let days_problem = (policy.archive_closed_after_days.is_some()
        && days_text
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|d| (1..=36_500).contains(d))
            .is_none())
    .then_some("Type a whole number of days from 1 to 36500");
    let on_archive_days = {
        let (handle, policy, typed_days) = (app.handle.clone(), *policy, typed_days.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            if let Some(days) = text.trim().parse::<u64>().ok().filter(|d| (1..=36_500).contains(d)) {
                let mut next = policy;
                next.archive_closed_after_days = Some(days);
                handle.workspace.borrow_mut().set_lifecycle_policy(next);
                handle.changed();
            }
            typed_days.set(Some(text));
        })
    };
    let on_upload = set_policy(|p, input| p.upload_daily = input.checked());
    let on_scavenge = set_policy(|p, input| {
        p.scavenge_every_days = input.checked().then_some(p.scavenge_every_days.unwrap_or(30));
    });
    let last = samples.last().copied();
    let series = |pick: fn(&DaySample) -> u64| samples.iter().map(pick).collect::<Vec<u64>>();
    html! {
        <section class="lab-panel time-lapse" aria-label="Time-lapse">
            <header class="lifecycle-head">
                <h3>{ "Time-lapse" }</h3>
                <button class="primary" onclick={on_year} disabled={running}
                    title={if running { "A generator runs: pause it and let it finish, or start another on the Simulate page" } else { "Starts a generator whose traffic spans a year of simulated time" }}>
                    { "Run a year of traffic" }</button>
                <button onclick={on_play} disabled={status.as_ref().is_none_or(|s| s.done)}>{ if playing { "Pause" } else { "Play" } }</button>
            </header>
            <p class="muted">{ "One sample at the end of each simulated day the generator runs through. The policy below runs at \
                each day's end: closed streams archived once idle, segments uploaded (set the archiver up below), a scavenge." }</p>
            <div class="lifecycle-form" role="group" aria-label="Lifecycle policy">
                <label class="inline-field"><input type="checkbox" checked={policy.archive_closed_after_days.is_some()} onchange={on_archive} />
                    { "Archive closed streams idle " }
                    <input aria-label="Archive after days" inputmode="numeric" size="4" disabled={policy.archive_closed_after_days.is_none()}
                        aria-invalid={days_problem.is_some().to_string()} value={days_text} oninput={on_archive_days} />
                    { " days" }</label>
                if let Some(problem) = days_problem {
                    <span class="field-problem" role="alert">{ problem }</span>
                }
                <label class="inline-field"><input type="checkbox" checked={policy.upload_daily} onchange={on_upload} />{ "Upload segments daily" }</label>
                <label class="inline-field"><input type="checkbox" checked={policy.scavenge_every_days.is_some()} onchange={on_scavenge} />{ "Scavenge every 30 days" }</label>
            </div>
            if let Some(status) = &status {
                <p class="load-status">{ format!("{}: {} commands sent, {} of simulated time{}", status.name, status.commands_sent,
                    duration(status.simulated_ms), if status.done { " · done" } else { "" }) }</p>
            }
            if let Some(last) = last {
                <p class="muted">{ format!("{} sampled · day {}: {} in the store", counted(samples.len() as u64, "day"), last.day + 1, counted(last.total_events, "event")) }</p>
                <div class="day-charts">
                    { day_chart("Events per day", &[("events", "s1", series(|s| s.events))], false) }
                    { day_chart("Hot and cold bytes", &[("hot", "s1", series(|s| s.hot_bytes)), ("cold", "s2", series(|s| s.cold_bytes))], true) }
                    { day_chart("Longest stream (events)", &[("longest", "s1", series(|s| s.longest_stream))], false) }
                    { day_chart("Projection lag (events)", &[("lag", "s1", series(|s| s.projection_lag))], false) }
                    { day_chart("Conflicts so far", &[("conflicts", "s1", series(|s| s.conflicts))], false) }
                </div>
            } else {
                <p class="muted">{ "No day has ended yet." }</p>
            }
        </section>
    }
}

/// A small chart of daily values, one polyline per series, days along the bottom.
fn day_chart(title: &str, series: &[(&str, &str, Vec<u64>)], in_bytes: bool) -> Html {
    const W: f64 = 320.0;
    const H: f64 = 120.0;
    let days = series.iter().map(|s| s.2.len()).max().unwrap_or(0);
    let top = series
        .iter()
        .flat_map(|s| s.2.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let shown = |v: u64| if in_bytes { bytes(v) } else { v.to_string() };
    #[allow(clippy::cast_precision_loss, reason = "pixel coordinates")]
    let line = |values: &[u64]| -> String {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let x = 58.0 + (W - 66.0) * i as f64 / (days.max(2) - 1) as f64;
                let y = 8.0 + (H - 28.0) * (1.0 - *v as f64 / top as f64);
                format!("{x:.1},{y:.1}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let last: Vec<String> = series
        .iter()
        .map(|(name, _, values)| format!("{name} {}", values.last().map_or_else(String::new, |v| shown(*v))))
        .collect();
    html! {
        <figure class="day-chart" aria-label={title.to_owned()}>
            <figcaption>{ title.to_owned() }<span class="muted">{ format!(" · {}", last.join(", ")) }</span></figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={format!("{title} over {} days", days)}>
                <line class="axis" x1="58" y1="8" x2="58" y2={(H - 20.0).to_string()} />
                <line class="axis" x1="58" y1={(H - 20.0).to_string()} x2={W.to_string()} y2={(H - 20.0).to_string()} />
                <text x="54" y="14" text-anchor="end">{ shown(top) }</text>
                <text x="54" y={(H - 20.0).to_string()} text-anchor="end">{ "0" }</text>
                <text x="58" y={(H - 4.0).to_string()}>{ "day 1" }</text>
                <text x={W.to_string()} y={(H - 4.0).to_string()} text-anchor="end">{ format!("day {days}") }</text>
                { for series.iter().map(|(_, class, values)| html! { <polyline class={classes!("day-line", class.to_string())} points={line(values)} /> }) }
            </svg>
        </figure>
    }
}
