//! The simulation page: the load generator's controls and run, the warnings as they appear, and
//! time travel over the global position.

use std::rc::Rc;

use yew::prelude::*;

use crate::session::{StreamOrder, Workspace};
use crate::store::natural_cmp;
use crate::ui::components::{DocumentPage, Simulation, StreamPage, SHOWN_DOCUMENTS, SHOWN_STREAMS};
use crate::ui::pages::workspace::warnings;
use crate::ui::reads::PageProps;
use crate::ui::state::{use_app, use_workspace_read};

/// What time travel shows, as of a position or now.
#[derive(PartialEq)]
struct Travelled {
    /// The first streams with their event counts, and how many there are.
    streams: Rc<StreamPage>,
    /// The projections' names.
    projections: Rc<Vec<String>>,
    /// The projection shown.
    projection: Option<String>,
    /// Its first documents, or why they could not be replayed.
    documents: Rc<Result<DocumentPage, String>>,
}

/// The page.
#[component]
pub fn SimulationPage(_props: &PageProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let state = &app.state;
    let travelled = use_workspace_read(
        &app,
        (state.travel, state.travel_projection.clone()),
        |workspace, (travel, projection)| travelled(workspace, *travel, projection.clone()),
    );
    let presets = use_workspace_read(&app, (), |workspace, ()| workspace.generator_presets());
    let (status, head) = {
        let workspace = app.handle.workspace.borrow();
        (workspace.load_status(), workspace.head())
    };
    let generator = &state.generator;
    let handle = app.handle.clone();
    let shown = generator.clone();
    let oncontrol = Callback::from(move |control| handle.control(control, &shown));
    html! {
        <main class="lab-page" aria-label="Simulation">
            <Simulation generator={generator.definition.clone()} {presets} seed={generator.seed} speed={generator.speed}
                playing={generator.playing} {status} problems={generator.problems.clone()} {head}
                travel={state.travel} streams={travelled.streams.clone()} projections={travelled.projections.clone()}
                projection={travelled.projection.clone()} documents={travelled.documents.clone()} {oncontrol}>
                { warnings(&app) }
            </Simulation>
        </main>
    }
}

/// The streams and a read model as of `travel` (replayed aside), or now.
fn travelled(workspace: &mut Workspace, travel: Option<u64>, projection: Option<String>) -> Travelled {
    let names: Vec<String> = workspace
        .scenario()
        .model
        .projections
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let projection = projection.or_else(|| names.first().cloned());
    let streams = match travel {
        Some(at) => {
            let mut streams = workspace.streams_at(at);
            let total = streams.len();
            streams.truncate(SHOWN_STREAMS);
            (streams, total)
        }
        None => streams_now(workspace),
    };
    let documents = match (&projection, travel) {
        (Some(name), Some(at)) => workspace
            .documents_at(name, at)
            .map(|documents| {
                let total = documents.len();
                (documents.into_iter().take(SHOWN_DOCUMENTS).collect(), total)
            })
            .map_err(|error| error.to_string()),
        (Some(name), None) => Ok(workspace.documents(name, SHOWN_DOCUMENTS)),
        (None, _) => Ok((Vec::new(), 0)),
    };
    Travelled {
        streams: Rc::new(streams),
        projections: Rc::new(names),
        projection,
        documents: Rc::new(documents),
    }
}

/// Now is the store's counters (the past is one read of `$all` up to the position).
fn streams_now(workspace: &Workspace) -> StreamPage {
    let groups = workspace.streams("", StreamOrder::Natural, SHOWN_STREAMS);
    let total = groups.iter().map(|g| g.matching).sum::<u64>();
    let mut streams: Vec<(String, u64)> = groups
        .into_iter()
        .flat_map(|g| g.streams)
        .map(|s| (s.id, s.events))
        .collect();
    streams.sort_unstable_by(|a, b| natural_cmp(&a.0, &b.0));
    streams.truncate(SHOWN_STREAMS);
    (streams, usize::try_from(total).unwrap_or(usize::MAX))
}
