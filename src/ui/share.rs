//! Share links (`share.js`): the workspace's model, and optionally its events, compressed into
//! the address's fragment, so a trainer can put a prepared state on a slide. Opening such a link
//! asks, then opens it as a new workspace; the work open before stays in the list.

use wasm_bindgen::prelude::*;

use crate::session::{counted, Action, Workspace};
use crate::ui::state::Handle;

#[wasm_bindgen(module = "/src/ui/share.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = linkFor)]
    async fn link_for(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = sharedText)]
    async fn shared_text() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = forgetShared)]
    fn forget_shared();
    #[wasm_bindgen(catch, js_name = copy)]
    async fn copy_text(text: &str) -> Result<JsValue, JsValue>;
}

/// The longest link offered, in characters. Chromium takes links of 2 MB, but mail clients, chat
/// tools and slide software cut them far shorter; past this an export is the way to share.
pub const MAX_LINK_CHARS: usize = 32_000;

/// The most events a link may carry (more would not fit [`MAX_LINK_CHARS`] anyway).
pub const MAX_LINK_EVENTS: u64 = 2_000;

/// The link for `text`, or why the browser could not make it.
pub(crate) async fn link(text: &str) -> Result<String, String> {
    link_for(text)
        .await
        .map(|link| link.as_string().unwrap_or_default())
        .map_err(|error| format!("{error:?}"))
}

/// Puts `text` on the clipboard.
pub(crate) async fn copy(text: &str) -> Result<(), String> {
    copy_text(text)
        .await
        .map(drop)
        .map_err(|_| "the browser did not let the page use the clipboard: select the link and copy it".to_owned())
}

/// When the page was opened from a share link: asks, then opens what it carries as a new
/// workspace. The link is taken out of the address either way, so a reload does not ask again.
pub(crate) fn open_shared(handle: &Handle) {
    let handle = handle.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let text = match shared_text().await {
            Ok(text) if text.is_null() => return,
            Ok(text) => text.as_string().unwrap_or_default(),
            Err(_) => {
                forget_shared();
                handle.dispatch(Action::Notice(
                    "The shared link could not be read: it may have been cut short when it was copied. Ask for it again, or for an exported file."
                        .to_owned(),
                ));
                return;
            }
        };
        forget_shared();
        match Workspace::restore(&text) {
            Ok(shared) => {
                let name = shared.scenario().name.clone();
                let events = shared.event_count();
                let sure = gloo::dialogs::confirm(&format!(
                    "Open the shared workspace \"{name}\" ({}) as a new workspace? What is open now stays in your workspace list.",
                    counted(events, "event")
                ));
                if sure {
                    handle.open_new(shared);
                    handle.dispatch(Action::ClosePicker);
                    handle.dispatch(Action::Status(format!("Opened the shared workspace \"{name}\".")));
                }
            }
            Err(problems) => {
                let first = problems.first().map(ToString::to_string).unwrap_or_default();
                handle.dispatch(Action::Notice(format!(
                    "The shared link does not hold a workspace this version can open ({} problem{}, the first: {first}).",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                )));
            }
        }
    });
}
