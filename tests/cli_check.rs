//! `eventarium check FILE…` run as a trainer runs it: the real binary on real files.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output};

fn check(files: &[PathBuf]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventarium"))
        .arg("check")
        .args(files)
        .output()
        .expect("the checker runs")
}

fn builtin(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("static/scenarios")
        .join(name)
}

/// Writes `text` to a fresh file in the target directory and returns its path.
fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_check");
    std::fs::create_dir_all(&dir).expect("the scratch folder can be made");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the scratch file can be written");
    path
}

#[test]
fn the_built_in_scenarios_pass() {
    let output = check(&[
        builtin("shopping-cart.eventarium.json"),
        builtin("hotel-guest-stay.eventarium.json"),
        builtin("concert-ticketing.eventarium.json"),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("specs: 13 passed, 0 failed"), "{stdout}");
    assert!(stdout.contains("checked 3 file(s): 3 passed, 0 failed"), "{stdout}");
}

#[test]
fn a_broken_file_and_a_failing_spec_fail_the_run_and_say_where() {
    let cart = std::fs::read_to_string(builtin("shopping-cart.eventarium.json")).expect("the built-in file reads");
    let mut document: serde_json::Value = serde_json::from_str(&cart).expect("the built-in file parses");
    document["model"]["eventTypes"][0]["versions"][0]["fields"][0]["type"] = "strng".into();
    let broken = scratch("broken.eventarium.json", &document.to_string());

    let mut document: serde_json::Value = serde_json::from_str(&cart).expect("the built-in file parses");
    let spec = document["specs"]
        .as_array_mut()
        .and_then(|specs| specs.iter_mut().find(|s| s["name"] == "opening a cart"))
        .expect("the spec exists");
    spec["name"] = "opening a cart, with a wrong expectation".into();
    let then_events = spec["then"]["events"].as_array_mut().expect("the spec expects events");
    then_events.push(serde_json::json!({ "type": "CartOpened", "data": {} }));
    let failing = scratch("failing.eventarium.json", &document.to_string());

    let output = check(&[broken, failing, PathBuf::from("no/such/file.json")]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(r#".type: unknown type "strng""#),
        "problem with its path:\n{stdout}"
    );
    assert!(
        stdout.contains("FAILED  opening a cart, with a wrong expectation"),
        "failing spec:\n{stdout}"
    );
    assert!(stdout.contains("+ ") || stdout.contains("- "), "a diff:\n{stdout}");
    assert!(
        stdout.contains("no/such/file.json: FAILED, cannot read it"),
        "unreadable file:\n{stdout}"
    );
    assert!(stdout.contains("checked 3 file(s): 0 passed, 3 failed"), "{stdout}");
}

#[test]
fn without_files_it_prints_the_usage_and_exits_2() {
    let output = check(&[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: eventarium check FILE..."));
}

#[test]
fn findings_are_explained_and_fail_the_run_from_the_configured_severity() {
    let cart = std::fs::read_to_string(builtin("shopping-cart.eventarium.json")).expect("the built-in file reads");
    let passing = check(&[builtin("shopping-cart.eventarium.json")]);
    let stdout = String::from_utf8_lossy(&passing.stdout);
    assert!(stdout.contains("findings: "), "{stdout}");
    assert!(
        stdout.contains("at or above critical (settings.lint.failOn)"),
        "{stdout}"
    );

    // The same file, failing on anything at all: each finding is marked, with why and the fix.
    let mut document: serde_json::Value = serde_json::from_str(&cart).expect("the built-in file parses");
    document["settings"]["lint"] = serde_json::json!({ "failOn": "info" });
    let extra = serde_json::json!({ "name": "CartNoteCreated", "versions": [{ "version": 1, "fields": [
        { "name": "note", "type": "string", "required": true }
    ]}]});
    document["model"]["eventTypes"]
        .as_array_mut()
        .expect("event types")
        .push(extra);
    let strict = scratch("strict.eventarium.json", &document.to_string());
    let output = check(&[strict]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAILED  info crud-sourcing (event type CartNoteCreated)"),
        "{stdout}"
    );
    assert!(stdout.contains("why: ") && stdout.contains("fix: "), "{stdout}");
}
