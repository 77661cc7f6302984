//! A correlation's causal graph on screen: the drawing ([`GraphDrawing`]) in a frame that zooms
//! (buttons, the mouse wheel) and pans (dragging, or Fit to see it whole), a legend of the
//! kinds, and the selected node's details ([`NodeDetails`]) beside it. Labels are written only
//! once zoomed in enough to read them; a pan or a zoom moves one group's transform.

use std::rc::Rc;

use web_sys::Element;
use yew::prelude::*;

use super::graph_drawing::{kind_class, shape};
use super::{GraphDrawing, NodeDetails};
use crate::session::{CausalGraph, NodeKind};

/// The zoom's bounds, its step per click, and the zoom from which labels are written.
const MIN_ZOOM: f64 = 0.05;
const MAX_ZOOM: f64 = 3.0;
const STEP: f64 = 1.25;
const LABELS_FROM: f64 = 0.5;

/// Properties of [`CausalGraphView`].
#[derive(Properties)]
pub struct CausalGraphViewProps {
    /// The graph, laid out.
    pub graph: Rc<CausalGraph>,
    /// The id of the node to select first (say, the event traced from the inspector).
    #[prop_or_default]
    pub selected: Option<String>,
}

impl PartialEq for CausalGraphViewProps {
    /// The same graph by identity: a graph read again is a new one.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.graph, &other.graph) && self.selected == other.selected
    }
}

/// Where the drawing is: graph units are scaled by `zoom`, then moved by `x` and `y` pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
struct View {
    zoom: f64,
    x: f64,
    y: f64,
}

impl View {
    const START: View = View {
        zoom: 1.0,
        x: 0.0,
        y: 0.0,
    };

    /// Zoomed to `zoom` around the point `(px, py)` of the frame, which stays where it is.
    fn zoomed(self, zoom: f64, px: f64, py: f64) -> View {
        let zoom = zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        let (gx, gy) = ((px - self.x) / self.zoom, (py - self.y) / self.zoom);
        View {
            zoom,
            x: px - zoom * gx,
            y: py - zoom * gy,
        }
    }
}

/// A drag in progress: where the pointer went down, the view then, and whether it moved.
#[derive(Debug, Clone, Copy)]
struct Drag {
    from: (f64, f64),
    view: View,
    moved: bool,
}

/// The whole graph in a frame of `width` by `height` pixels, centred.
fn fit(graph: &CausalGraph, width: f64, height: f64) -> View {
    let zoom = (width / graph.width.max(1.0))
        .min(height / graph.height.max(1.0))
        .clamp(MIN_ZOOM, 1.0);
    View {
        zoom,
        x: ((width - graph.width * zoom) / 2.0).max(0.0),
        y: ((height - graph.height * zoom) / 2.0).max(0.0),
    }
}

/// The view a graph opens with: whole when it can be read whole; otherwise at the zoom from which
/// labels are written, its first node (where the chain starts) at the frame's left, half-way
/// down, but with no empty band above the graph's top. Fit shows it whole.
fn opening(graph: &CausalGraph, width: f64, height: f64) -> View {
    let whole = fit(graph, width, height);
    match graph.nodes.first() {
        Some(first) if whole.zoom < LABELS_FROM => View {
            zoom: LABELS_FROM,
            x: MARGIN - LABELS_FROM * first.x,
            y: (height / 2.0 - LABELS_FROM * (first.y + first.h / 2.0)).min(MARGIN),
        },
        _ => whole,
    }
}

/// The room left between the frame's edge and a graph opened larger than the frame, in pixels.
const MARGIN: f64 = 16.0;

/// The frame's size in pixels, once it is on the page.
fn frame_size(frame: &NodeRef) -> Option<(f64, f64)> {
    let element = frame.cast::<Element>()?;
    let (w, h) = (f64::from(element.client_width()), f64::from(element.client_height()));
    (w > 0.0 && h > 0.0).then_some((w, h))
}

/// The graph, its controls and legend, and the selected node's details.
#[component]
pub fn CausalGraphView(props: &CausalGraphViewProps) -> Html {
    let frame = use_node_ref();
    let view = use_state(|| View::START);
    let selected = use_state(|| props.selected.clone());
    let drag = use_mut_ref(|| None::<Drag>);
    let graph = props.graph.clone();
    // A new correlation (or a new node to start from) selects it and fits the view again; the
    // same correlation read again after the clock ran keeps both.
    {
        let (frame, view, selected, graph) = (frame.clone(), view.clone(), selected.clone(), graph.clone());
        use_effect_with(
            (graph.correlation_id.clone(), props.selected.clone()),
            move |(_, start)| {
                selected.set(start.clone());
                let at = start.as_deref().and_then(|id| graph.find(id));
                if let Some((w, h)) = frame_size(&frame) {
                    view.set(match at {
                        Some(i) => centred(&graph, i, w, h, 1.0),
                        None => opening(&graph, w, h),
                    });
                }
            },
        );
    }
    let index = {
        let graph = graph.clone();
        *use_memo((Rc::as_ptr(&graph) as usize, (*selected).clone()), move |(_, id)| {
            id.as_deref().and_then(|id| graph.find(id))
        })
    };
    let select = {
        let (frame, view, selected, drag, graph) = (
            frame.clone(),
            view.clone(),
            selected.clone(),
            drag.clone(),
            graph.clone(),
        );
        move |i: usize, centre: bool| {
            if drag.borrow().is_some_and(|d| d.moved) {
                return; // the end of a drag, not a click
            }
            selected.set(graph.nodes.get(i).map(|n| n.id.clone()));
            if let (true, Some((w, h))) = (centre, frame_size(&frame)) {
                view.set(centred(&graph, i, w, h, view.zoom.max(LABELS_FROM)));
            }
        }
    };
    let onselect = {
        let select = select.clone();
        use_callback(Rc::as_ptr(&graph) as usize, move |i: usize, _| select(i, false))
    };
    let onfollow = Callback::from(move |i: usize| select(i, true));
    let zoom_by = |factor: f64| {
        let (view, frame) = (view.clone(), frame.clone());
        Callback::from(move |_: MouseEvent| {
            let (w, h) = frame_size(&frame).unwrap_or((0.0, 0.0));
            view.set(view.zoomed(view.zoom * factor, w / 2.0, h / 2.0));
        })
    };
    let onfit = {
        let (view, frame, graph) = (view.clone(), frame.clone(), graph.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some((w, h)) = frame_size(&frame) {
                view.set(fit(&graph, w, h));
            }
        })
    };
    let onwheel = wheel_handler(&view, &frame);
    let (onpointerdown, onpointermove, onpointerup) = pan_handlers(&view, &drag, &frame);
    let transform = format!("translate({:.1} {:.1}) scale({:.4})", view.x, view.y, view.zoom);
    html! {
        <div class="causal-graph">
            <div class="lab-actions graph-controls" role="group" aria-label="Zoom">
                <button type="button" aria-label="Zoom in" onclick={zoom_by(STEP)}>{ "+" }</button>
                <button type="button" aria-label="Zoom out" onclick={zoom_by(1.0 / STEP)}>{ "−" }</button>
                <button type="button" onclick={onfit}>{ "Fit" }</button>
                <span class="muted">{ format!("{:.0}% · {} nodes · {} arrows", view.zoom * 100.0, graph.nodes.len(), graph.edges.len()) }</span>
            </div>
            <div class="graph-body">
                <svg ref={frame} class="graph-canvas" role="group"
                    aria-label={format!("Causal graph of {}", graph.correlation_id)}
                    {onwheel} {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup}>
                    <defs>
                        <marker id="graph-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" />
                        </marker>
                    </defs>
                    <g transform={transform}>
                        <GraphDrawing graph={graph.clone()} labels={view.zoom >= LABELS_FROM} {onselect} />
                        { selection(&graph, index) }
                    </g>
                </svg>
                <NodeDetails graph={graph.clone()} node={index} onselect={onfollow} />
            </div>
            <Legend />
        </div>
    }
}

/// The view at `zoom` with node `i` in the middle of a `w` by `h` frame.
fn centred(graph: &CausalGraph, i: usize, w: f64, h: f64, zoom: f64) -> View {
    let Some(node) = graph.nodes.get(i) else {
        return View::START;
    };
    View {
        zoom,
        x: w / 2.0 - zoom * (node.x + node.w / 2.0),
        y: h / 2.0 - zoom * (node.y + node.h / 2.0),
    }
}

/// A ring around the selected node, drawn over the graph.
fn selection(graph: &CausalGraph, index: Option<usize>) -> Html {
    let Some(node) = index.and_then(|i| graph.nodes.get(i)) else {
        return Html::default();
    };
    html! {
        <rect class="graph-selected" x={format!("{:.0}", node.x - 5.0)} y={format!("{:.0}", node.y - 5.0)}
            width={format!("{:.0}", node.w + 10.0)} height={format!("{:.0}", node.h + 10.0)} rx="8" />
    }
}

/// The mouse wheel zooms in (up) or out (down) around the pointer.
fn wheel_handler(view: &UseStateHandle<View>, frame: &NodeRef) -> Callback<WheelEvent> {
    let (view, frame) = (view.clone(), frame.clone());
    Callback::from(move |e: WheelEvent| {
        e.prevent_default();
        let Some(element) = frame.cast::<Element>() else { return };
        let rect = element.get_bounding_client_rect();
        let factor = if e.delta_y() < 0.0 { STEP } else { 1.0 / STEP };
        let (px, py) = (
            f64::from(e.client_x()) - rect.left(),
            f64::from(e.client_y()) - rect.top(),
        );
        view.set(view.zoomed(view.zoom * factor, px, py));
    })
}

/// Pointer down, move and up: dragging pans; once it moves, the pointer is captured so that a
/// drag may leave the frame.
fn pan_handlers(
    view: &UseStateHandle<View>,
    drag: &Rc<std::cell::RefCell<Option<Drag>>>,
    frame: &NodeRef,
) -> (Callback<PointerEvent>, Callback<PointerEvent>, Callback<PointerEvent>) {
    let down = {
        let (view, drag) = (view.clone(), drag.clone());
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            *drag.borrow_mut() = Some(Drag {
                from: (f64::from(e.client_x()), f64::from(e.client_y())),
                view: *view,
                moved: false,
            });
        })
    };
    let moved = {
        let (view, drag, frame) = (view.clone(), drag.clone(), frame.clone());
        Callback::from(move |e: PointerEvent| {
            let mut drag = drag.borrow_mut();
            let Some(d) = drag.as_mut() else { return };
            let (dx, dy) = (f64::from(e.client_x()) - d.from.0, f64::from(e.client_y()) - d.from.1);
            if d.moved || dx.abs() + dy.abs() > 4.0 {
                // Captured only once it is a drag: a click keeps its target, the node clicked.
                if let (false, Some(element)) = (d.moved, frame.cast::<Element>()) {
                    let _ = element.set_pointer_capture(e.pointer_id());
                }
                d.moved = true;
                view.set(View {
                    x: d.view.x + dx,
                    y: d.view.y + dy,
                    ..d.view
                });
            }
        })
    };
    let up = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| {
            // Cleared after the click that ends the drag has been seen (and ignored).
            let drag = drag.clone();
            gloo::timers::callback::Timeout::new(0, move || *drag.borrow_mut() = None).forget();
        })
    };
    (down, moved, up)
}

/// The kinds' shapes and colours, and what the flags mean.
#[component]
fn Legend() -> Html {
    html! {
        <ul class="graph-legend" aria-label="Legend">
            { for NodeKind::ALL.into_iter().map(|kind| html! {
                <li>
                    <svg class={classes!("graph-node", format!("kind-{}", kind_class(kind)))} viewBox="0 0 44 22" width="44" height="22" aria-hidden="true">
                        { shape(kind, 1.0, 1.0, 42.0, 20.0) }
                    </svg>
                    { kind.word() }
                </li>
            }) }
            <li><span class="graph-badge flag-failed">{ "failed" }</span>{ " a delivery or step that failed" }</li>
            <li><span class="graph-badge flag-lost">{ "lost" }</span>{ " a message lost before the broker" }</li>
            <li><span class="graph-badge flag-duplicate">{ "duplicate" }</span>{ " a delivery of a copy" }</li>
        </ul>
    }
}
