//! Writes the seed inputs of every target into `<folder>/<target>/`, from real inputs: the
//! built-in scenarios and the test fixtures, workspaces saved and exported after a load run, the
//! stores under them, the generators the lab offers and the tests use, and every script in the
//! built-in scenarios with the values its specs send.
//!
//! `cargo run --release --bin seeds -- FOLDER` (scripts/fuzz.sh runs it before a first run).

use std::path::{Path, PathBuf};
use std::{env, fs};

use eventarium::model::{Scenario, BUILT_IN};
use eventarium::session::Workspace;
use eventarium::store::{ArchiveSettings, Config, DeleteMode, ExpectedRevision, NewEvent, Store, StreamMetadata};
use serde_json::{json, Value};

/// Commands a load run sends before its workspace is saved.
const LOAD_COMMANDS: usize = 40;

fn main() {
    let Some(folder) = env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: seeds FOLDER");
        std::process::exit(2);
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seeds = Seeds { folder };

    let scenario_files = ["tests/fixtures/orders-billing.eventarium.json"];
    for built_in in BUILT_IN {
        seeds.write("scenario_import", built_in.id, built_in.text.as_bytes());
        scripts(&mut seeds, built_in.id, built_in.text);
    }
    for file in scenario_files {
        let text = read(&repo.join(file));
        seeds.write("scenario_import", "orders-billing", text.as_bytes());
        scripts(&mut seeds, "orders-billing", &text);
    }
    seeds.write("scenario_import", "empty", Workspace::empty().export().as_bytes());
    for built_in in BUILT_IN {
        let Some(workspace) = loaded(built_in.text) else {
            continue;
        };
        let id = built_in.id;
        seeds.write("scenario_import", &format!("{id}-saved"), workspace.save().as_bytes());
        seeds.write(
            "scenario_import",
            &format!("{id}-exported"),
            workspace.export().as_bytes(),
        );
        let store = workspace.runtime().store().export_json();
        seeds.write("snapshot_import", &format!("{id}-store"), store.as_bytes());
        if id == "shopping-cart" {
            for (n, (_, generator)) in workspace.generator_presets().into_iter().enumerate() {
                seeds.write(
                    "load_generator",
                    &format!("preset-{n}"),
                    generator.to_string().as_bytes(),
                );
            }
        }
    }
    let fixture = read(&repo.join("tests/fixtures/store-correlations-v2.json"));
    seeds.write("snapshot_import", "correlations-v2", fixture.as_bytes());
    seeds.write(
        "snapshot_import",
        "empty",
        Store::new(Config::default()).export_json().as_bytes(),
    );
    seeds.write("snapshot_import", "kept", kept_store().export_json().as_bytes());
    for (name, generator) in generators() {
        seeds.write("load_generator", name, generator.to_string().as_bytes());
    }
    for (name, source) in EDGE_SCRIPTS {
        seeds.write("script_sandbox", name, format!("{source}\0[]").as_bytes());
    }
}

/// Where seeds go, each target in its folder.
struct Seeds {
    folder: PathBuf,
}

impl Seeds {
    fn write(&mut self, target: &str, name: &str, data: &[u8]) {
        let folder = self.folder.join(target);
        let path = folder.join(format!("seed-{name}"));
        let written = fs::create_dir_all(&folder).and_then(|()| fs::write(&path, data));
        written.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The scenario `text` opened and run for a while by its lab's first generator, if it opens.
fn loaded(text: &str) -> Option<Workspace> {
    let mut workspace = Workspace::open(Scenario::import(text).ok()?).ok()?;
    let generator = workspace.default_generator();
    workspace.start_load(generator, 3).ok()?;
    workspace.tick_load(LOAD_COMMANDS).ok()?;
    Some(workspace)
}

/// Every script in a scenario document, with arguments from its first decider spec: the command
/// it sends with an empty state, and an empty document with the first event it gives.
fn scripts(seeds: &mut Seeds, id: &str, text: &str) {
    let Ok(document) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let spec = document["specs"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["kind"] == "decider");
    let command = spec.map_or(
        json!({}),
        |s| json!({"type": s["when"]["command"], "data": s["when"]["data"]}),
    );
    let event = spec
        .and_then(|s| s["then"]["events"].get(0))
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut sources = Vec::new();
    collect_scripts(&document, &mut sources);
    for (n, source) in sources.iter().enumerate() {
        let as_decider = json!([command, {}]);
        let as_handler = json!([{}, event]);
        seeds.write(
            "script_sandbox",
            &format!("{id}-{n}-decide"),
            format!("{source}\0{as_decider}").as_bytes(),
        );
        seeds.write(
            "script_sandbox",
            &format!("{id}-{n}-handle"),
            format!("{source}\0{as_handler}").as_bytes(),
        );
    }
}

fn collect_scripts(value: &Value, sources: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("script", Value::String(source)) => sources.push(source.clone()),
                    _ => collect_scripts(item, sources),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_scripts(item, sources)),
        _ => {}
    }
}

/// A store with what the API can keep beside events: metadata, a soft and a hard delete, an
/// archive with uploaded segments, a scavenge, headers and correlations.
fn kept_store() -> Store {
    let mut store = Store::new(Config {
        seed: 5,
        ..Config::default()
    });
    let settings = ArchiveSettings {
        segment_events: 3,
        retain_ms: 0,
        retain_bytes: 0,
    };
    let _ = store.configure_archive(Some(settings));
    for n in 0..12 {
        let mut event = NewEvent::new("Happened", json!({"n": n, "list": [n, "x"], "nested": {"k": n}}))
            .with_header("command", "Do");
        event.correlation_id = Some(format!("cmd-{}", n % 3));
        event.causation_id = Some(format!("cmd-{}", n % 2));
        let stream = format!("thing-{}", n % 4);
        let _ = store.append(&stream, ExpectedRevision::Any, vec![event]);
        let _ = store.advance_ms(1_000);
    }
    let metadata = StreamMetadata {
        max_count: Some(2),
        max_age_ms: None,
        truncate_before: None,
    };
    let _ = store.set_stream_metadata("thing-0", metadata);
    let _ = store.delete_stream("thing-1", ExpectedRevision::Any, DeleteMode::Soft);
    let _ = store.delete_stream("thing-2", ExpectedRevision::Any, DeleteMode::Hard);
    let _ = store.upload_segments();
    let _ = store.archive_stream("thing-3");
    store.scavenge();
    store
}

/// The generators the tests start (`tests/sim_load.rs`): steps with repeats, probabilities and
/// every template, a script plan, and one whose script fails in every way.
fn generators() -> Vec<(&'static str, Value)> {
    let steps = json!({
        "name": "checkout rush", "instances": 5, "streamId": "cart-{n}", "concurrency": 2, "intervalMs": 1000,
        "plan": { "steps": [
            { "command": "OpenCart", "data": { "cartId": "{n}", "customerId": "c-{random:1..200}" } },
            { "command": "AddItem", "repeat": [3, 20], "data": {
                "cartId": "{n}", "productId": "{pick:apple|pear|plum|fig}",
                "qty": "{random:1..3}", "unitPrice": "{random:100..2500}" } },
            { "command": "ConfirmCart", "probability": 0.8, "data": { "cartId": "{n}" } }
        ] }
    });
    let scripted = r#"
fn generate(n) {
    let id = n.to_string();
    let commands = [#{ command: "OpenCart", data: #{ cartId: id, customerId: "c-" + random_int(1, 9) } }];
    for k in 0..random_int(1, 4) {
        commands.push(#{ command: "AddItem", data: #{ cartId: id, productId: "p" + k, qty: 1, unitPrice: 100 } });
    }
    if n % 2 == 0 { commands.push(#{ type: "ConfirmCart", data: #{ cartId: id } }); }
    if n == 1 {
        commands.push(#{ command: "RecordPurchase", streamId: "customer-c1", data: #{ customerId: "c1", cartId: "1", total: 5 } });
    }
    commands
}
"#;
    let faulty = r#"
fn generate(n) {
    switch n {
        1 => [#{ cmd: "OpenCart" }],
        2 => { throw "no cart today"; },
        3 => [#{ command: "Teleport", data: #{} }],
        4 => 42,
        5 => { let bad = []; for k in 0..30 { bad.push(k); } bad },
        _ => [#{ command: "OpenCart", data: #{ cartId: n.to_string(), customerId: "c" } }],
    }
}
"#;
    vec![
        ("steps", steps),
        (
            "scripted",
            json!({ "name": "scripted", "instances": 6, "streamId": "cart-{n}", "plan": { "script": scripted } }),
        ),
        (
            "faulty",
            json!({ "name": "faulty", "instances": 6, "streamId": "cart-{n}", "plan": { "script": faulty } }),
        ),
        (
            "empty",
            json!({ "name": "load", "instances": 1, "streamId": "cart-{n}", "plan": { "steps": [] } }),
        ),
    ]
}

/// Scripts at the sandbox's limits (`tests/script_sandbox.rs`): endless loops, recursion, and data
/// nested past the depth guard in each way a script can build it.
const EDGE_SCRIPTS: [(&str, &str); 8] = [
    ("loop", "fn f() { let x = 0; loop { x += 1; } }"),
    ("recursion", "fn f(n) { f(n + 1) } fn g() { f(0) }"),
    (
        "nested-arrays",
        "fn f() { let a = []; for i in 0..6000 { a = [a]; } a }",
    ),
    (
        "nested-maps",
        "fn f() { let m = #{}; for i in 0..6000 { m = #{ inner: m }; } m }",
    ),
    (
        "nested-push",
        "fn f() { let a = []; for i in 0..6000 { let b = []; b.push(a); a = b; } a }",
    ),
    (
        "nested-reduce",
        "fn f() { let xs = []; xs.pad(6000, 0); xs.reduce(|acc, x| [acc], []) }",
    ),
    (
        "nested-closure",
        "fn f() { let a = []; let grow = |n| { for i in 0..n { a = [a]; } }; grow.call(6000); a }",
    ),
    ("doubling", "fn f() { let s = \"ab\"; loop { s += s; } }"),
];
