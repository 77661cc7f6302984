//! The web app: mounts the Yew user interface into the page body.

fn main() {
    eventarium::ui::mount();
}
