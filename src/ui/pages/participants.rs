//! The conflicts lab: two participants deciding on one stream.

use yew::prelude::*;

use crate::ui::components::TwoParticipants;
use crate::ui::reads::PageProps;
use crate::ui::state::use_app;

/// The page.
#[component]
pub fn ParticipantsPage(props: &PageProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let participants = app.state.participants.clone();
    let (handle, both) = (app.handle.clone(), participants.clone());
    let onmove = Callback::from(move |(side, step)| {
        if let Some(me) = both.get(side) {
            handle.move_participant(me, side, step);
        }
    });
    html! {
        <main class="lab-page" aria-label="Two participants, one stream">
            <TwoParticipants model={props.reads.model.clone()} {participants} {onmove} />
        </main>
    }
}
