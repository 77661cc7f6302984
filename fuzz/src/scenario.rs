//! The scenario import: the text of a `*.eventarium.json` file a user imports (or the browser's
//! saved workspace), opened as the app opens it, then exported and imported again.

use eventarium::session::Workspace;

/// Reads `data` as the app reads an imported file, opens it, reads its findings, and checks that
/// its export opens again.
pub fn scenario_import(data: &[u8]) {
    // The browser decodes a file's text as UTF-8, replacing what is not.
    let text = String::from_utf8_lossy(data);
    let Ok(mut workspace) = Workspace::restore(&text) else {
        return;
    };
    workspace.findings();
    let exported = workspace.export();
    if let Err(problems) = Workspace::restore(&exported) {
        let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
        panic!("an exported workspace does not open again:\n{}", listed.join("\n"));
    }
}
