//! A workspace panel: a titled region whose body can be collapsed.

use yew::prelude::*;

use crate::session::Panel;

/// Properties of [`PanelFrame`].
#[derive(Properties, PartialEq)]
pub struct PanelFrameProps {
    /// Which panel this is.
    pub panel: Panel,
    /// Whether the body is shown.
    pub open: bool,
    /// Called when the user collapses or opens the panel.
    pub ontoggle: Callback<()>,
    /// The panel's body.
    #[prop_or_default]
    pub children: Html,
}

/// A titled, collapsible region of the workspace.
#[component]
pub fn PanelFrame(props: &PanelFrameProps) -> Html {
    let PanelFrameProps {
        panel,
        open,
        ontoggle,
        children,
    } = props;
    let slug = panel.slug();
    let title = panel.title();
    let body_id = format!("panel-{slug}-body");
    let label = if *open {
        format!("Collapse {title}")
    } else {
        format!("Expand {title}")
    };
    let onclick = {
        let ontoggle = ontoggle.clone();
        Callback::from(move |_: MouseEvent| ontoggle.emit(()))
    };
    html! {
        <section class={classes!("panel", format!("panel-{slug}"), (!*open).then_some("collapsed"))}
                 aria-label={title}>
            <header class="panel-header">
                <h2>{ title }</h2>
                <button class="panel-toggle" type="button" aria-expanded={open.to_string()}
                        aria-controls={body_id.clone()} aria-label={label.clone()} title={label} {onclick}>
                    { if *open { "−" } else { "+" } }
                </button>
            </header>
            if *open {
                <div class="panel-body" id={body_id}>{ children.clone() }</div>
            }
        </section>
    }
}
