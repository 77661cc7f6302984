//! Two participants, one stream: two command consoles side by side. Each decides on the stream
//! as it reads it and appends later, so when both decide before either appends, the second append
//! is a conflict (it expected the revision it read) and its retry reads again and goes through.

use std::rc::Rc;

use yew::prelude::*;

use super::CommandConsole;
use crate::model::Model;
use crate::session::{Participant, SendOutcome, Submission};
use crate::sim::decider::Outcome;
use crate::store::ExpectedRevision;

/// What a participant asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Move {
    /// Read the stream and decide.
    Decide(Submission),
    /// Append the decision.
    Append,
    /// Read again, decide again and append.
    Retry,
}

/// The participants' names.
pub const NAMES: [&str; 2] = ["Ann", "Ben"];

/// Properties of [`TwoParticipants`].
#[derive(Properties, PartialEq)]
pub struct TwoParticipantsProps {
    /// The model whose commands are offered.
    pub model: Rc<Model>,
    /// Both sides.
    pub participants: Rc<[Participant; 2]>,
    /// Called with a side (0 or 1) and its move.
    pub onmove: Callback<(usize, Move)>,
}

/// The split view.
#[component]
pub fn TwoParticipants(props: &TwoParticipantsProps) -> Html {
    let sides = NAMES.iter().enumerate().map(|(side, name)| {
        let participant = &props.participants[side];
        let ondecide = props.onmove.reform(move |submission| (side, Move::Decide(submission)));
        let onappend = props.onmove.reform(move |_: MouseEvent| (side, Move::Append));
        let onretry = props.onmove.reform(move |_: MouseEvent| (side, Move::Retry));
        let pending = participant.decision.as_ref().map(|decision| {
            let read = match decision.expected {
                ExpectedRevision::Exact(revision) => format!("revision {revision}"),
                ExpectedRevision::NoStream => "no stream yet".to_owned(),
                _ => "any revision".to_owned(),
            };
            let what = match &decision.outcome {
                Outcome::Accepted(events) => events.iter().map(|e| e.event_type.as_str()).collect::<Vec<_>>().join(", "),
                Outcome::Rejected(rejection) => format!("rejected: {}", rejection.message),
            };
            html! {
                <div class="pending-decision" role="status">
                    <p>{ format!("{name} read {} at {read} and decided: {what}. Not appended yet.", decision.stream_id) }</p>
                    <button type="button" class="primary" onclick={onappend}>{ format!("Append {name}'s events") }</button>
                </div>
            }
        });
        let conflict = matches!(participant.outcome, Some(SendOutcome::Conflict(_)));
        html! {
            <section class="participant" aria-label={format!("Participant {name}")}>
                <h3>{ *name }</h3>
                <CommandConsole model={props.model.clone()} outcome={participant.outcome.clone()}
                    label={format!("{name}'s console")} verb="Decide" onsend={ondecide} />
                { pending }
                if conflict {
                    <button type="button" class="primary" onclick={onretry}>{ format!("Retry: read again and append") }</button>
                }
            </section>
        }
    });
    html! {
        <div class="lab two-participants">
            <p class="hint">{ "Both decide on the same stream, then append one after the other: the second append expected the revision it read, finds a newer one, and is refused as a conflict. Its retry reads the new state, decides again and goes through." }</p>
            <div class="participants">{ for sides }</div>
        </div>
    }
}
