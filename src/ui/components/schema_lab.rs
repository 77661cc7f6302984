//! The schema evolution lab: an event type's versions with how many events are stored at each
//! and whether every one of them can still be read at the current version; a form that adds the
//! next version together with its upcaster; and the old events, each as stored beside what every
//! read sees of it.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use serde_json::{json, Value};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{FieldsEditor, JsonTree, Marker, ScriptEditor, UpcastRead};
use crate::model::{EventType, Problem};
use crate::session::{StoredVersion, UpcastView};

/// A new version and its upcaster, as the form holds them: `(event type index, version, upcaster)`.
pub type Evolution = (usize, Value, Value);

/// Properties of [`SchemaLab`].
#[derive(Properties, PartialEq)]
pub struct SchemaLabProps {
    /// The model's event types.
    pub event_types: Rc<Vec<EventType>>,
    /// The one shown.
    pub selected: usize,
    /// Its stored versions.
    pub stored: Rc<Vec<StoredVersion>>,
    /// Its old events, as stored and as read.
    pub views: Rc<Vec<UpcastView>>,
    /// Called with another event type's index.
    pub onselect: Callback<usize>,
    /// Checks an evolution without applying it.
    pub check: Callback<Evolution, Vec<Problem>>,
    /// Applies an evolution, or answers its problems.
    pub onadd: Callback<Evolution, Result<(), Vec<Problem>>>,
}

/// How long after the last edit the form is checked, in ms.
const CHECK_DELAY_MS: u32 = 300;

/// The lab.
#[component]
pub fn SchemaLab(props: &SchemaLabProps) -> Html {
    let Some(event_type) = props.event_types.get(props.selected) else {
        return html! { <p class="empty-state">{ "The model has no event types yet." }</p> };
    };
    let onselect = props.onselect.reform(|e: Event| {
        e.target_unchecked_into::<HtmlSelectElement>()
            .value()
            .parse()
            .unwrap_or(0)
    });
    let current = event_type.current_version();
    let stored = props.stored.iter().map(|v| {
        let path = match (&v.unreadable, v.version == current) {
            (_, true) => "current".to_owned(),
            (None, false) => format!("upcast v{} → v{current}", v.version),
            (Some(why), false) => format!("cannot be read: {why}"),
        };
        html! {
            <li class={classes!(v.unreadable.is_some().then_some("unreadable"))}>
                <strong>{ format!("v{}", v.version) }</strong>{ format!(": {} stored, {path}", v.events) }
            </li>
        }
    });
    let views = props.views.iter().map(|view| {
        html! {
            <li class="upcast-view" key={view.stored.position.to_string()} aria-label={format!("Event at position {}", view.stored.position)}>
                <div class="upcast-side stored-side">
                    <span class="hint">{ format!("#{} in {}", view.stored.position, view.stored.stream_id) }</span>
                    <JsonTree label={format!("Stored as v{}", view.stored.schema_version)} value={view.stored.data.clone()} />
                </div>
                <div class="upcast-side read-side"><UpcastRead read={view.read.clone()} /></div>
            </li>
        }
    });
    html! {
        <div class="lab schema-lab">
            <div class="editor-row">
                <label class="editor-field">
                    <span>{ "Event type" }</span>
                    <select onchange={onselect}>
                        { for props.event_types.iter().enumerate().map(|(i, t)| html! {
                            <option value={i.to_string()} selected={i == props.selected}>{ format!("{} (v{})", t.name, t.current_version()) }</option>
                        }) }
                    </select>
                </label>
            </div>
            <section class="lab-panel" aria-label="Stored versions">
                <h3>{ format!("{}: current version v{current}", event_type.name) }</h3>
                if props.stored.is_empty() { <p class="empty-state">{ "No events of this type are stored yet." }</p> }
                <ul class="stored-versions">{ for stored }</ul>
            </section>
            <NextVersion key={format!("{} v{}", event_type.name, event_type.current_version() + 1)} index={props.selected} event_type={event_type.clone()}
                check={props.check.clone()} onadd={props.onadd.clone()} />
            <section class="lab-panel" aria-label="Old events">
                <h3>{ format!("Events stored before v{current}: as stored, and as every read sees them") }</h3>
                if props.views.is_empty() { <p class="empty-state">{ "None: every stored event is at the current version." }</p> }
                <ol class="upcast-views">{ for views }</ol>
            </section>
        </div>
    }
}

/// Properties of [`NextVersion`].
#[derive(Properties, PartialEq)]
struct NextVersionProps {
    index: usize,
    event_type: EventType,
    check: Callback<Evolution, Vec<Problem>>,
    onadd: Callback<Evolution, Result<(), Vec<Problem>>>,
}

/// The form for the next version: its fields (a copy of the current ones to start with) and the
/// upcaster's script, checked as the user types. Keyed by the version it adds, so that adding
/// one starts the form for the next afresh.
#[component]
fn NextVersion(props: &NextVersionProps) -> Html {
    let current = props.event_type.current_version();
    let next = current + 1;
    let fields = use_state(|| {
        props
            .event_type
            .current()
            .map(|v| serde_json::to_value(&v.fields).unwrap_or_default())
            .unwrap_or_else(|| json!([]))
    });
    let script = use_state(|| "fn upcast(event) {\n    event\n}\n".to_owned());
    let problems = use_state(Vec::<Problem>::new);
    let pending = use_mut_ref(|| None::<Timeout>);
    let evolution = {
        let (index, name) = (props.index, props.event_type.name.clone());
        move |fields: &Value, script: &str| -> Evolution {
            let version = json!({"version": next, "fields": fields});
            let upcaster = json!({"eventType": name, "from": current, "to": next, "logic": {"script": script}});
            (index, version, upcaster)
        }
    };
    let schedule = {
        let (check, problems, pending, evolution) = (
            props.check.clone(),
            problems.clone(),
            pending.clone(),
            evolution.clone(),
        );
        move |fields: Value, script: String| {
            let (check, problems, evolution) = (check.clone(), problems.clone(), evolution.clone());
            *pending.borrow_mut() = Some(Timeout::new(CHECK_DELAY_MS, move || {
                problems.set(check.emit(evolution(&fields, &script)));
            }));
        }
    };
    let onfields = {
        let (fields, script, schedule) = (fields.clone(), script.clone(), schedule.clone());
        Callback::from(move |value: Value| {
            schedule(value.clone(), (*script).clone());
            fields.set(value);
        })
    };
    let onscript = {
        let (fields, script, schedule) = (fields.clone(), script.clone(), schedule.clone());
        Callback::from(move |text: String| {
            schedule((*fields).clone(), text.clone());
            script.set(text);
        })
    };
    let onadd = {
        let (fields, script, problems, onadd) = (fields.clone(), script.clone(), problems.clone(), props.onadd.clone());
        Callback::from(move |_: MouseEvent| {
            if let Err(found) = onadd.emit(evolution(&fields, &script)) {
                problems.set(found);
            }
        })
    };
    let markers: Vec<Marker> = problems
        .iter()
        .filter(|p| p.path.ends_with(".logic.script"))
        .map(|p| Marker {
            line: p.line,
            column: p.column,
            message: p.message.clone(),
        })
        .collect();
    let others: Vec<String> = problems
        .iter()
        .filter(|p| !p.path.ends_with(".logic.script"))
        .map(ToString::to_string)
        .collect();
    let label = format!("{} v{next}", props.event_type.name);
    html! {
        <section class="lab-panel next-version" aria-label={format!("New version v{next}")}>
            <h3>{ format!("Add v{next} with its upcaster") }</h3>
            <p class="hint">{ format!("Events stay as they were stored; the upcaster turns a v{current} event into v{next} on every read.") }</p>
            <FieldsEditor label={label.clone()} fields={(*fields).clone()} onchange={onfields} />
            <h3>{ format!("Upcaster v{current} → v{next}") }</h3>
            <ScriptEditor label={format!("Upcaster {} v{current} to v{next}", props.event_type.name)} value={(*script).clone()} {markers} oninput={onscript} />
            if !others.is_empty() {
                <ul class="editor-problems">{ for others.into_iter().map(|p| html! { <li>{ p }</li> }) }</ul>
            }
            <button type="button" class="primary" onclick={onadd}>{ format!("Add v{next}") }</button>
        </section>
    }
}
