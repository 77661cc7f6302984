//! The page's state and its reducer (`eventarium::session::State`): each action's effect, as a
//! table of cases named in their assertion messages. Plain Rust: they run natively without the
//! UI (`--no-default-features`) and, compiled to wasm, under `wasm-pack test --node`.

use std::rc::Rc;

use eventarium::lint::{Finding, Severity, Subject};
use eventarium::model::edit::Kind;
use eventarium::model::Problem;
use eventarium::session::{
    Action, Draft, Page, Panel, Participant, PendingDelete, SendOutcome, Start, State, Step, StreamOrder, Traced,
    DEFAULT_SPEED, LISTED, LISTED_MORE,
};
use eventarium::sim::spec::{SpecReport, Verdict};
use serde_json::json;

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The state a page opens with when nothing was saved.
fn fresh() -> State {
    State::new(Start::default())
}

/// The state after `actions`, from [`fresh`].
fn after(actions: Vec<Action>) -> State {
    actions.into_iter().fold(fresh(), State::reduce)
}

fn draft() -> Draft {
    Draft {
        kind: Kind::Command,
        index: Some(0),
        item: json!({"name": "AddItem"}),
        blue_green: false,
    }
}

fn finding(id: &str, message: &str) -> Finding {
    Finding {
        id: id.to_owned(),
        code: "oversized-stream",
        severity: Severity::Warning,
        subject: Subject::Stream { id: id.to_owned() },
        message: message.to_owned(),
        why: "",
        fix: "",
        learn_more: "",
    }
}

fn appended(stream_id: &str) -> SendOutcome {
    SendOutcome::Appended {
        command_id: "cmd-1".to_owned(),
        stream_id: stream_id.to_owned(),
        events: vec![("ItemAdded".to_owned(), 0)],
    }
}

fn traced(correlation: &str, node: Option<&str>) -> Traced {
    Traced {
        correlation: correlation.to_owned(),
        node: node.map(str::to_owned),
    }
}

fn report(name: &str, passed: bool) -> SpecReport {
    let verdict = if passed {
        Verdict::Passed
    } else {
        Verdict::Failed {
            diff: "- a\n+ b".to_owned(),
        }
    };
    SpecReport {
        name: name.to_owned(),
        verdict,
    }
}

/// A case: its name, the actions from a fresh state, and what must hold after them.
type Case = (&'static str, Vec<Action>, fn(&State) -> bool);
/// A case whose state is already reduced: its name, the state, and what must hold.
type Reached = (&'static str, State, fn(&State) -> bool);

#[test]
fn the_fresh_state_shows_the_workspace_with_every_panel_open() {
    let state = fresh();
    assert_eq!(state.page, Page::Workspace, "fresh: the workspace page");
    assert_eq!(state.open_count(), Panel::ALL.len(), "fresh: every panel open");
    assert_eq!(state.shown_panels(), Panel::ALL.to_vec(), "fresh: every panel shown");
    assert_eq!(
        (state.revision, state.listed),
        (0, LISTED),
        "fresh: revision 0, the first few streams"
    );
    assert_eq!(state.generator.speed, DEFAULT_SPEED, "fresh: the default speed");
    assert!(
        !state.generator.playing && !state.picking,
        "fresh: not playing, no picker"
    );
    let first = State::new(Start {
        first_start: true,
        draft: Some((draft(), vec![Problem::new("name", "taken")])),
        ..Start::default()
    });
    assert!(first.picking, "first start: the picker shows");
    assert_eq!(
        first.editor.as_deref(),
        Some(&draft()),
        "a kept draft: the editor opens on it"
    );
    assert_eq!(first.draft_problems.len(), 1, "a kept draft: with its problems");
}

#[test]
fn the_shell_actions_change_the_panels_and_overlays() {
    let cases: Vec<Case> = vec![
        (
            "a toggled panel is collapsed",
            vec![Action::TogglePanel(Panel::Inspector)],
            |s| !s.is_open(Panel::Inspector) && s.open_count() == 4,
        ),
        (
            "a panel toggled twice is open again",
            vec![
                Action::TogglePanel(Panel::Inspector),
                Action::TogglePanel(Panel::Inspector),
            ],
            |s| *s == fresh(),
        ),
        (
            "opening a collapsed panel opens it",
            vec![Action::TogglePanel(Panel::Streams), Action::OpenPanel(Panel::Streams)],
            |s| s.is_open(Panel::Streams),
        ),
        (
            "opening an open panel keeps it open",
            vec![Action::OpenPanel(Panel::Model)],
            |s| *s == fresh(),
        ),
        ("the help toggles on", vec![Action::ToggleHelp], |s| s.help),
        (
            "the help toggles off",
            vec![Action::ToggleHelp, Action::ToggleHelp],
            |s| !s.help,
        ),
        (
            "closing the overlays hides the help and the palette",
            vec![Action::ToggleHelp, Action::TogglePalette, Action::CloseOverlays],
            |s| !s.help && !s.palette,
        ),
        ("the palette toggles on", vec![Action::TogglePalette], |s| s.palette),
        ("another page shows", vec![Action::ShowPage(Page::Charts)], |s| {
            s.page == Page::Charts
        }),
    ];
    for (name, actions, holds) in cases {
        assert!(holds(&after(actions)), "{name}");
    }
}

#[test]
fn presenter_mode_steps_through_every_panel_and_back() {
    let on = [Action::TogglePanel(Panel::Streams), Action::TogglePresenter];
    let with = |more: &[Action]| after(on.iter().chain(more).cloned().collect());
    let cases: Vec<(&str, State, Panel)> = vec![
        ("presenter starts on the first panel", with(&[]), Panel::Model),
        (
            "backwards from the first wraps to the last",
            with(&[Action::Focus(Step::Previous)]),
            Panel::Warnings,
        ),
        (
            "forwards twice",
            with(&[Action::Focus(Step::Next), Action::Focus(Step::Next)]),
            Panel::Streams,
        ),
        (
            "forwards from the last wraps to the first",
            with(&[Action::Focus(Step::Previous), Action::Focus(Step::Next)]),
            Panel::Model,
        ),
    ];
    for (name, state, focused) in cases {
        assert!(state.presenter, "{name}: presenter on");
        assert_eq!(state.focused(), focused, "{name}");
        assert_eq!(
            state.shown_panels(),
            vec![focused],
            "{name}: only the focused panel shows"
        );
    }
    let streams = with(&[Action::Focus(Step::Next), Action::Focus(Step::Next)]);
    assert!(
        streams.is_open(Panel::Streams),
        "a collapsed panel opens when it gets the focus"
    );
    assert!(
        !streams.reduce(Action::TogglePresenter).presenter,
        "presenter toggles off"
    );
}

#[test]
fn the_workspace_page_selects_filters_and_sends() {
    let cases: Vec<Case> = vec![
        (
            "more streams list more",
            vec![Action::MoreStreams, Action::MoreStreams],
            |s| s.listed == LISTED + 2 * LISTED_MORE,
        ),
        (
            "a new filter lists the first few again",
            vec![Action::MoreStreams, Action::Filter("cart-*".to_owned())],
            |s| s.filter == "cart-*" && s.listed == LISTED,
        ),
        ("the streams list by id, numbers as numbers, at first", vec![], |s| {
            s.stream_order == StreamOrder::Natural
        }),
        (
            "another order lists the first few again and outlives a page switch",
            vec![
                Action::MoreStreams,
                Action::OrderStreams(StreamOrder::LongestFirst),
                Action::ShowPage(Page::Simulation),
                Action::ShowPage(Page::Workspace),
            ],
            |s| s.stream_order == StreamOrder::LongestFirst && s.listed == LISTED,
        ),
        (
            "a new filter keeps the order",
            vec![
                Action::OrderStreams(StreamOrder::LongestFirst),
                Action::Filter("cart-*".to_owned()),
            ],
            |s| s.stream_order == StreamOrder::LongestFirst,
        ),
        (
            "a stream is selected",
            vec![Action::SelectStream("cart-1".to_owned())],
            |s| s.selected_stream.as_deref() == Some("cart-1"),
        ),
        ("an event is inspected", vec![Action::SelectEvent(7)], |s| {
            s.selected_event == Some(7)
        }),
        (
            "tracing a correlation opens the system page on its graph",
            vec![Action::Trace(traced("c-1", Some("msg-2")))],
            |s| s.page == Page::System && s.traced == Some(traced("c-1", Some("msg-2"))),
        ),
        (
            "an append selects its stream",
            vec![Action::Sent(appended("cart-9"))],
            |s| s.selected_stream.as_deref() == Some("cart-9") && s.outcome == Some(appended("cart-9")),
        ),
        (
            "a rejection keeps the selected stream",
            vec![
                Action::SelectStream("cart-1".to_owned()),
                Action::Sent(SendOutcome::Rejected("closed".to_owned())),
            ],
            |s| s.selected_stream.as_deref() == Some("cart-1") && s.outcome.is_some(),
        ),
        (
            "replacing the workspace forgets what was selected and the notice, not the page",
            vec![
                Action::ShowPage(Page::Schema),
                Action::SelectStream("cart-1".to_owned()),
                Action::SelectEvent(3),
                Action::Sent(appended("cart-1")),
                Action::OpenDraft(draft(), Vec::new()),
                Action::SpecsRan(None, vec![report("a", true)]),
                Action::Notice("could not be read".to_owned()),
                Action::Trace(traced("c-1", None)),
                Action::ShowPage(Page::Schema),
                Action::Replaced,
            ],
            |s| {
                s.selected_stream.is_none()
                    && s.traced.is_none()
                    && s.selected_event.is_none()
                    && s.outcome.is_none()
                    && s.editor.is_none()
                    && s.spec_reports.is_none()
                    && s.notice.is_none()
                    && s.page == Page::Schema
            },
        ),
        (
            "the picker closes once answered",
            vec![Action::Replaced, Action::ClosePicker],
            |s| !s.picking,
        ),
        (
            "an import's problems show until closed",
            vec![Action::ImportFailed("x.json".to_owned(), vec!["bad".to_owned()])],
            |s| s.import_problems == Some(("x.json".to_owned(), vec!["bad".to_owned()])),
        ),
        (
            "closed import problems go",
            vec![
                Action::ImportFailed("x.json".to_owned(), Vec::new()),
                Action::CloseImportProblems,
            ],
            |s| s.import_problems.is_none(),
        ),
        (
            "the status line is dismissed",
            vec![Action::Status("Saved.".to_owned()), Action::DismissStatus],
            |s| s.status.is_none(),
        ),
    ];
    for (name, actions, holds) in cases {
        assert!(holds(&after(actions)), "{name}");
    }
}

#[test]
fn running_specs_again_replaces_only_the_named_line() {
    let all = Action::SpecsRan(None, vec![report("a", true), report("b", true)]);
    let cases: Vec<(&str, Action, Vec<SpecReport>)> = vec![
        (
            "one spec again replaces its line and keeps the others'",
            Action::SpecsRan(Some("b".to_owned()), vec![report("b", false)]),
            vec![report("a", true), report("b", false)],
        ),
        (
            "a spec that no longer reports keeps its old line",
            Action::SpecsRan(Some("b".to_owned()), Vec::new()),
            vec![report("a", true), report("b", true)],
        ),
        (
            "all specs again replace every line",
            Action::SpecsRan(None, vec![report("a", false)]),
            vec![report("a", false)],
        ),
    ];
    for (name, again, want) in cases {
        let state = after(vec![all.clone(), again]);
        assert_eq!(state.spec_reports.as_deref(), Some(&want), "{name}");
    }
    let first = after(vec![Action::SpecsRan(Some("a".to_owned()), vec![report("a", true)])]);
    assert_eq!(
        first.spec_reports.as_deref(),
        Some(&vec![report("a", true)]),
        "one spec first: its line alone"
    );
}

#[test]
fn the_editor_opens_checks_saves_and_deletes() {
    let open = || vec![Action::OpenDraft(draft(), vec![Problem::new("name", "taken")])];
    let pending = PendingDelete {
        kind: Kind::Command,
        index: 0,
        what: "command AddItem".to_owned(),
        dependents: Vec::new(),
        stored: 0,
    };
    let with = |more: Vec<Action>| after(open().into_iter().chain(more).collect());
    let cases: Vec<Reached> = vec![
        ("an opened draft shows with its problems", with(Vec::new()), |s| {
            s.editor.is_some() && s.draft_problems.len() == 1
        }),
        (
            "an edit keeps the problems until checked",
            with(vec![Action::EditDraft(draft())]),
            |s| s.draft_problems.len() == 1,
        ),
        (
            "a check replaces the problems",
            with(vec![Action::DraftProblems(Vec::new())]),
            |s| s.draft_problems.is_empty() && s.editor.is_some(),
        ),
        (
            "closing the editor forgets the draft",
            with(vec![Action::CloseEditor]),
            |s| s.editor.is_none(),
        ),
        (
            "a save closes the editor and says what it did",
            with(vec![Action::Saved("Saved.".to_owned())]),
            |s| s.editor.is_none() && s.status.as_deref() == Some("Saved."),
        ),
        (
            "a delete asks first",
            with(vec![Action::AskDelete(pending.clone())]),
            |s| s.pending_delete.is_some() && s.editor.is_some(),
        ),
        (
            "a cancelled delete keeps the draft",
            with(vec![Action::AskDelete(pending.clone()), Action::CancelDelete]),
            |s| s.pending_delete.is_none() && s.editor.is_some(),
        ),
        (
            "a delete done closes the editor and says what it did",
            with(vec![
                Action::AskDelete(pending.clone()),
                Action::Deleted("Deleted.".to_owned()),
            ]),
            |s| s.editor.is_none() && s.status.as_deref() == Some("Deleted."),
        ),
    ];
    for (name, state, holds) in cases {
        assert!(holds(&state), "{name}");
    }
    let refused = with(vec![
        Action::AskDelete(pending),
        Action::DeleteRefused(vec![Problem::new("model.streamTypes[0]", "needs it")]),
    ]);
    let messages: Vec<&str> = refused.draft_problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "command AddItem was not deleted: fix what still needs it first",
            "needs it"
        ],
        "a refused delete leads with what was not deleted"
    );
    assert!(
        refused.pending_delete.is_none() && refused.editor.is_some(),
        "a refused delete keeps the draft"
    );
}

#[test]
fn the_generator_and_time_travel_controls() {
    let problems = vec![Problem::new("plan", "missing")];
    let cases: Vec<Case> = vec![
        (
            "a definition is kept",
            vec![Action::SetGenerator(json!({"name": "g"}))],
            |s| s.generator.definition == json!({"name": "g"}),
        ),
        (
            "a seed and a speed are kept",
            vec![Action::SetSeed(7), Action::SetSpeed(100)],
            |s| (s.generator.seed, s.generator.speed) == (7, 100),
        ),
        ("a start plays", vec![Action::Started(Ok(()))], |s| s.generator.playing),
        ("pause stops it", vec![Action::Started(Ok(())), Action::Pause], |s| {
            !s.generator.playing
        }),
        (
            "play resumes it",
            vec![Action::Started(Ok(())), Action::Pause, Action::Play],
            |s| s.generator.playing,
        ),
        ("a travel position is kept", vec![Action::Travel(Some(12))], |s| {
            s.travel == Some(12)
        }),
        (
            "back to now",
            vec![Action::Travel(Some(12)), Action::Travel(None)],
            |s| s.travel.is_none(),
        ),
        (
            "the read model travelled",
            vec![Action::TravelProjection("Carts".to_owned())],
            |s| s.travel_projection.as_deref() == Some("Carts"),
        ),
    ];
    for (name, actions, holds) in cases {
        assert!(holds(&after(actions)), "{name}");
    }
    let refused = after(vec![Action::Started(Err(problems.clone()))]);
    assert_eq!(
        refused.generator.problems, problems,
        "a refused start lists its problems"
    );
    assert!(!refused.generator.playing, "a refused start does not play");
    let again = refused.reduce(Action::Started(Ok(())));
    assert!(
        again.generator.problems.is_empty(),
        "a start that works clears the problems"
    );
}

#[test]
fn the_labs_keep_their_selections() {
    let ann = Participant {
        outcome: Some(SendOutcome::Conflict("expected 0, actual 1".to_owned())),
        ..Participant::default()
    };
    let cases: Vec<Case> = vec![
        (
            "a projection is selected",
            vec![Action::SelectProjection("Carts".to_owned())],
            |s| s.lab_selected.as_deref() == Some("Carts"),
        ),
        (
            "a lab error shows",
            vec![Action::LabDone(Err("boom".to_owned()))],
            |s| s.lab_error.as_deref() == Some("boom"),
        ),
        (
            "a lab success clears it",
            vec![Action::LabDone(Err("boom".to_owned())), Action::LabDone(Ok(()))],
            |s| s.lab_error.is_none(),
        ),
        ("the rate is kept", vec![Action::Rate(1500.0)], |s| {
            s.rate == Some(1500.0)
        }),
        ("an event type is selected", vec![Action::SelectEventType(2)], |s| {
            s.schema_selected == 2
        }),
    ];
    for (name, actions, holds) in cases {
        assert!(holds(&after(actions)), "{name}");
    }
    let moved = after(vec![Action::Moved(0, Box::new(ann.clone()))]);
    assert_eq!(moved.participants[0], ann, "a move changes its side");
    assert_eq!(
        moved.participants[1],
        Participant::default(),
        "a move leaves the other side"
    );
    let nowhere = after(vec![Action::Moved(2, Box::new(ann))]);
    assert_eq!(nowhere, fresh(), "a move of a side that does not exist changes nothing");
}

#[test]
fn showing_a_findings_subject_goes_where_it_is_listed() {
    let away = || vec![Action::ShowPage(Page::Charts), Action::TogglePanel(Panel::Streams)];
    let show = |subject: Subject| after(away().into_iter().chain([Action::ShowSubject(subject)]).collect());
    let stream = show(Subject::Stream {
        id: "cart-1".to_owned(),
    });
    assert_eq!(
        (
            stream.page,
            stream.is_open(Panel::Streams),
            stream.selected_stream.as_deref(),
            stream.filter.as_str()
        ),
        (Page::Workspace, true, Some("cart-1"), "cart-1"),
        "a stream: the workspace, its panel open, the stream selected and the list filtered to it"
    );
    let category = show(Subject::Category {
        name: "cart".to_owned(),
    })
    .reduce(Action::ShowSubject(Subject::Category {
        name: "cart".to_owned(),
    }));
    assert_eq!(
        (
            category.page,
            category.is_open(Panel::Streams),
            category.selected_stream
        ),
        (Page::Workspace, true, None),
        "a category: the stream list, nothing selected"
    );
    let projection = show(Subject::Projection {
        name: "Carts".to_owned(),
    });
    assert_eq!(
        (projection.page, projection.lab_selected.as_deref()),
        (Page::Projections, Some("Carts")),
        "a projection: the lab, showing it"
    );
    let command = show(Subject::Command {
        name: "AddItem".to_owned(),
    });
    assert_eq!(command, after(away()), "a definition: unchanged (its editor opens)");
    let upcaster = show(Subject::Upcaster {
        event_type: "ItemAdded".to_owned(),
        from: 1,
    });
    assert_eq!(upcaster.page, Page::Workspace, "anything else: the workspace");
}

#[test]
fn a_change_of_the_workspace_moves_the_revision_and_resolves_findings_gone() {
    let start = State::new(Start {
        findings: vec![finding("a", "10 events"), finding("b", "5 events")],
        ..Start::default()
    });
    assert!(start.resolved.is_empty(), "at the start nothing is resolved");
    let changed = start.reduce(Action::WorkspaceChanged(Rc::new(vec![finding("b", "6 events")])));
    assert_eq!(changed.revision, 1, "a change moves the revision");
    assert_eq!(
        *changed.findings,
        vec![finding("b", "6 events")],
        "the findings are the new ones"
    );
    assert_eq!(
        *changed.resolved,
        vec![finding("a", "10 events")],
        "a finding gone is resolved"
    );
    let back = changed.reduce(Action::WorkspaceChanged(Rc::new(vec![finding("a", "11 events")])));
    assert_eq!(
        *back.resolved,
        vec![finding("b", "6 events")],
        "a finding back is no longer resolved, and one gone is listed as last seen"
    );
    assert_eq!(back.revision, 2, "each change moves the revision");
}

#[test]
fn the_system_clock_plays_at_a_speed_and_stops_when_the_workspace_is_replaced() {
    let fresh = fresh();
    assert!(!fresh.system_clock.playing);
    assert_eq!(fresh.system_clock.speed, 1);
    assert!(
        fresh.system_clock.animate,
        "messages are drawn moving unless switched off"
    );
    let playing = after(vec![
        Action::PlaySystem(true),
        Action::SystemSpeed(10),
        Action::AnimateMessages(false),
    ]);
    assert!(playing.system_clock.playing);
    assert_eq!(playing.system_clock.speed, 10);
    assert!(!playing.system_clock.animate);
    assert_eq!(
        after(vec![Action::SystemSpeed(0)]).system_clock.speed,
        1,
        "a clock never stands still at speed 0"
    );
    let replaced = playing.reduce(Action::Replaced);
    assert!(
        !replaced.system_clock.playing,
        "another workspace starts with its clock still"
    );
    assert_eq!(replaced.system_clock.speed, 10);
}
