//! The script sandbox seen from outside: calls with JSON values, every kind of error with its line and
//! column, the limits that stop runaway scripts, seeded randomness and the compile cache.
//!
//! Runs natively (`cargo test`) and in wasm (`wasm-pack test --node --no-default-features --test script_sandbox`).

use eventarium::script::{Limits, Owner, OwnerKind, Sandbox, ScriptError, ScriptErrorKind, ScriptId};
use serde_json::{json, Value};

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn decider(name: &str) -> Owner {
    Owner {
        kind: OwnerKind::Decider,
        name: name.to_owned(),
    }
}

#[track_caller]
fn compiled(sandbox: &mut Sandbox, source: &str) -> ScriptId {
    match sandbox.compile(&decider("Cart"), source) {
        Ok(id) => id,
        Err(err) => panic!("compile failed: {err}\n{source}"),
    }
}

/// Compiles `source` and calls `function` with `args` in a fresh sandbox with default limits.
#[track_caller]
fn run(source: &str, function: &str, args: &[Value]) -> Result<Value, ScriptError> {
    let mut sandbox = Sandbox::new(Limits::default(), 1);
    let id = compiled(&mut sandbox, source);
    sandbox.call(id, function, args)
}

#[track_caller]
fn run_err(source: &str, function: &str, args: &[Value]) -> ScriptError {
    match run(source, function, args) {
        Ok(value) => panic!("expected an error, got {value}\n{source}"),
        Err(err) => err,
    }
}

#[test]
fn decide_returns_an_array_of_event_maps() {
    let source = r#"
        fn decide(state, command) {
            if state.items.contains(command.sku) { throw "already in cart"; }
            [#{ type: "ItemAdded", data: #{ sku: command.sku, qty: command.qty } },
             #{ type: "CartTouched", data: #{ items: state.items.len() + 1 } }]
        }
    "#;
    let events = run(
        source,
        "decide",
        &[json!({ "items": ["a"] }), json!({ "sku": "b", "qty": 3 })],
    );
    let expected = json!([
        { "type": "ItemAdded", "data": { "sku": "b", "qty": 3 } },
        { "type": "CartTouched", "data": { "items": 2 } }
    ]);
    assert_eq!(events, Ok(expected));
}

#[test]
fn evolve_folds_events_into_state_with_helpers() {
    let source = r#"
        fn initial() { #{ count: 0, total: 0.0, skus: [] } }
        fn line_total(data) { data.qty * data.price }
        fn evolve(state, event) {
            switch event.type {
                "ItemAdded" => { state.count += 1; state.total += line_total(event.data); state.skus.push(event.data.sku); }
                _ => {}
            }
            state
        }
    "#;
    let mut sandbox = Sandbox::new(Limits::default(), 1);
    let id = compiled(&mut sandbox, source);
    let events = [
        json!({ "type": "ItemAdded", "data": { "sku": "a", "qty": 2, "price": 1.5 } }),
        json!({ "type": "Ignored", "data": {} }),
        json!({ "type": "ItemAdded", "data": { "sku": "b", "qty": 1, "price": 4.0 } }),
    ];
    let mut state = sandbox.call(id, "initial", &[]).expect("initial");
    for event in events {
        state = sandbox
            .call(id, "evolve", &[state, event.clone()])
            .unwrap_or_else(|e| panic!("{event}: {e}"));
    }
    assert_eq!(state, json!({ "count": 2, "total": 7.0, "skus": ["a", "b"] }));
}

#[test]
fn values_round_trip_with_integers_kept_as_integers() {
    let cases = [
        json!(0),
        json!(-42),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(2.5),
        json!(1.0),
        json!("héllo"),
        json!(null),
        json!(true),
        json!([1, [2, [3]], { "a": 1 }]),
        json!({ "qty": 3, "price": 9.99, "nested": { "list": [1, 2.0, "x", null] } }),
    ];
    let mut sandbox = Sandbox::new(Limits::default(), 1);
    let id = compiled(&mut sandbox, "fn echo(x) { x }");
    for case in cases {
        let back = sandbox.call(id, "echo", std::slice::from_ref(&case));
        assert_eq!(back.as_ref(), Ok(&case), "round trip of {case}");
        // serde_json compares 1 and 1.0 as different numbers, so equality proves ints stayed ints.
    }
    let sum = run("fn add(a, b) { a + b }", "add", &[json!(2), json!(3)]);
    assert!(
        sum.as_ref().is_ok_and(|v| v.is_i64()),
        "2 + 3 should be an integer, got {sum:?}"
    );
}

#[test]
fn limits_stop_runaway_scripts_with_plain_messages() {
    // (case, source, what the message must say)
    let cases = [
        (
            "endless loop",
            "fn f() { let x = 0; loop { x += 1; } }",
            "more than 200000 operations",
        ),
        (
            "endless while",
            "fn f() { while true { } }",
            "more than 200000 operations",
        ),
        ("runaway recursion", "fn f() { f() + 1 }", "nested deeper than 32"),
        (
            "mutual recursion",
            "fn f() { g() }\nfn g() { f() }",
            "nested deeper than 32",
        ),
        (
            "string doubling",
            "fn f() { let s = \"x\"; loop { s += s; } }",
            "string grew past 65536 bytes",
        ),
        (
            "string pad",
            "fn f() { let s = \"x\"; s.pad(1000000, \"y\"); s }",
            "string grew past 65536 bytes",
        ),
        (
            "array push",
            "fn f() { let a = []; loop { a.push(1); } }",
            "array grew past 10000 items",
        ),
        (
            "array pad",
            "fn f() { let a = []; a.pad(100000, 0); a }",
            "array grew past 10000 items",
        ),
        (
            "map growth",
            "fn f() { let m = #{ a: 1 }; loop { m = #{ x: m, y: m }; } }",
            "map grew past 10000",
        ),
    ];
    for (case, source, expected) in cases {
        let err = run_err(source, "f", &[]);
        assert_eq!(err.kind, ScriptErrorKind::Limit, "{case}: {err}");
        assert!(err.message.contains(expected), "{case}: {err}");
        assert_eq!(err.function.as_deref(), Some("f"), "{case}: {err}");
        assert!(
            err.line.is_some() && err.column.is_some(),
            "{case}: no line or column in {err}"
        );
    }
}

#[test]
fn reading_large_data_over_and_over_is_stopped() {
    // Found fuzzing the sandbox: a read costs one operation whatever the variable holds, so the
    // first ran its 200,000 operations in 17 s natively (over a map, 111 s). Filling an array to
    // its limit one push at a time still stops at the array's size (see the test above).
    let state: serde_json::Map<String, Value> = (0..5000).map(|k| (format!("k{k}"), json!(k))).collect();
    let cases = [
        ("an array", "fn f() { let a = []; a.pad(9000, 0); loop { a; } }", vec![]),
        (
            "a parameter",
            "fn f(state) { loop { state; } }",
            vec![Value::Object(state)],
        ),
    ];
    for (case, source, args) in cases {
        let err = run_err(source, "f", &args);
        assert_eq!(err.kind, ScriptErrorKind::Limit, "{case}: {err}");
        assert!(err.message.contains("read more than"), "{case}: {err}");
        assert!(err.line.is_some(), "{case}: no line in {err}");
    }
}

#[test]
fn deeply_nested_data_is_refused_not_crashed() {
    // Thousands of levels overflowed the stack inside Rhai's recursive clone (natively an abort, in
    // wasm V8's RangeError) before the depth guard; every way of nesting must stop at the limit.
    let cases = [
        ("arrays", "fn f() { let a = []; for i in 0..6000 { a = [a]; } a }"),
        (
            "maps",
            "fn f() { let m = #{}; for i in 0..6000 { m = #{ inner: m }; } m }",
        ),
        (
            "push",
            "fn f() { let a = []; for i in 0..6000 { let b = []; b.push(a); a = b; } a }",
        ),
        (
            "mixed",
            "fn f() { let a = []; for i in 0..3000 { a = [#{ x: a }]; } a }",
        ),
        (
            "in a parameter",
            "fn g(a, n) { for i in 0..n { a = [a]; } a } fn f() { g([], 6000) }",
        ),
        (
            "in reduce",
            "fn f() { let xs = []; xs.pad(6000, 0); xs.reduce(|acc, x| [acc], []) }",
        ),
        (
            "in a closure",
            "fn f() { let a = []; let grow = |n| { for i in 0..n { a = [a]; } }; grow.call(6000); a }",
        ),
    ];
    for (case, source) in cases {
        let err = run_err(source, "f", &[]);
        assert_eq!(err.kind, ScriptErrorKind::Limit, "{case}: {err}");
        assert!(
            err.message.contains("data nested deeper than 64 levels"),
            "{case}: {err}"
        );
        assert!(err.line.is_some(), "{case}: no line in {err}");
    }
    // Nesting up to the limit is allowed, and crosses back as JSON.
    let ok = run("fn f() { let a = []; for i in 0..63 { a = [a]; } a }", "f", &[]).expect("63 levels are fine");
    let mut depth = 0;
    let mut at = &ok;
    while let Some(inner) = at.get(0) {
        depth += 1;
        at = inner;
    }
    assert_eq!(depth, 63);
}

#[test]
fn this_is_not_part_of_the_language() {
    // `this` reads data without going through the depth guard, so method-style functions are refused
    // when the script is compiled, with a message that says what to do instead.
    let mut sandbox = Sandbox::new(Limits::default(), 1);
    let err = sandbox
        .compile(&decider("Cart"), "fn grow(n) { for i in 0..n { this = [this]; } }")
        .expect_err("`this` must be refused");
    assert_eq!(err.kind, ScriptErrorKind::Syntax, "{err}");
    assert!(err.message.contains("this"), "{err}");
    assert_eq!((err.line, err.column), (Some(1), Some(30)), "{err}");
}

#[test]
fn an_endless_loop_with_a_huge_budget_still_ends() {
    // The operation limit, not the clock, ends the call; natively a million operations take milliseconds.
    let limits = Limits {
        max_operations: 1_000_000,
        ..Limits::default()
    };
    let mut sandbox = Sandbox::new(limits, 1);
    let id = compiled(&mut sandbox, "fn f() { loop { } }");
    let err = sandbox.call(id, "f", &[]).expect_err("an endless loop must end");
    assert_eq!(err.kind, ScriptErrorKind::Limit, "{err}");
    assert!(err.message.contains("1000000 operations"), "{err}");
}

#[test]
fn syntax_errors_point_at_line_and_column() {
    // (case, source, line, column, kind)
    let cases = [
        (
            "missing operand",
            "fn decide(s, c) {\n    let x = 1;\n    x + ;\n}",
            3,
            9,
            ScriptErrorKind::Syntax,
        ),
        (
            "unknown variable",
            "fn decide(s, c) {\n  let x = 1;\n    y\n}",
            3,
            5,
            ScriptErrorKind::Syntax,
        ),
        (
            "unclosed brace",
            "fn decide(s, c) {\n  [",
            2,
            4,
            ScriptErrorKind::Syntax,
        ),
        (
            "import is not available",
            "import \"x\" as y;\nfn f() {}",
            1,
            1,
            ScriptErrorKind::Syntax,
        ),
        (
            "eval is not available",
            "fn f() {\n  eval(\"1\")\n}",
            2,
            3,
            ScriptErrorKind::Syntax,
        ),
        (
            "expression too deep",
            &format!("fn f() {{ {}1{} }}", "(".repeat(100), ")".repeat(100)),
            1,
            0,
            ScriptErrorKind::Limit,
        ),
    ];
    let sandbox = Sandbox::new(Limits::default(), 1);
    for (case, source, line, column, kind) in cases {
        let mut compiler = Sandbox::new(Limits::default(), 1);
        let err = compiler.compile(&decider("Cart"), source).expect_err(case);
        assert_eq!(err.kind, kind, "{case}: {err}");
        assert_eq!(err.line, Some(line), "{case}: {err}");
        if column > 0 {
            assert_eq!(err.column, Some(column), "{case}: {err}");
        }
        assert_eq!(err.owner, "decider Cart", "{case}: {err}");
        assert_eq!(
            sandbox.check(&decider("Cart"), source),
            vec![err],
            "{case}: check agrees with compile"
        );
    }
    assert_eq!(
        sandbox.check(&decider("Cart"), "fn ok(a) { a }"),
        vec![],
        "a valid source has no problems"
    );
}

#[test]
fn runtime_errors_name_the_function_and_line() {
    // (case, source, line, words in the message)
    let cases = [
        (
            "missing method",
            "fn decide(s, c) {\n  let x = 1;\n  s.frobnicate()\n}",
            3,
            "frobnicate",
        ),
        ("type mismatch", "fn decide(s, c) {\n\n  s.count - \"a\"\n}", 3, "-"),
        (
            "index out of bounds",
            "fn decide(s, c) {\n  let a = [1];\n  a[5]\n}",
            3,
            "out of bounds",
        ),
        ("no clock", "fn decide(s, c) {\n  timestamp()\n}", 2, "timestamp"),
        (
            "error in a helper",
            "fn helper(x) {\n  x.nope()\n}\nfn decide(s, c) { helper(s) }",
            2,
            "in fn helper",
        ),
    ];
    for (case, source, line, words) in cases {
        let err = run_err(source, "decide", &[json!({ "count": 1 }), json!({})]);
        assert_eq!(err.kind, ScriptErrorKind::Runtime, "{case}: {err}");
        assert_eq!(err.line, Some(line), "{case}: {err}");
        assert!(err.column.is_some(), "{case}: {err}");
        assert_eq!(err.function.as_deref(), Some("decide"), "{case}: {err}");
        assert!(err.message.contains(words), "{case}: {err}");
        let first = err.message.chars().next().unwrap_or('?');
        assert!(
            !first.is_uppercase() && !err.message.ends_with('.'),
            "{case}: message style: {err}"
        );
    }
}

#[test]
fn errors_display_owner_function_line_and_column() {
    let err = run_err("fn decide(s, c) {\n  loop {\n  }\n}", "decide", &[json!({}), json!({})]);
    let shown = err.to_string();
    assert!(
        shown.starts_with("decider Cart, fn decide, line 2, column 8: "),
        "{shown}"
    );
    assert!(
        shown.ends_with("the script ran more than 200000 operations (an endless loop?)"),
        "{shown}"
    );
}

#[test]
fn a_missing_function_lists_the_defined_ones() {
    let source = "fn evolve(s, e) { s }\nfn decide(s, c) { [] }";
    let cases = [("absent", "handle", 2), ("wrong arity", "decide", 1)];
    for (case, function, arity) in cases {
        let args = vec![json!({}); arity];
        let err = run_err(source, function, &args);
        assert_eq!(err.kind, ScriptErrorKind::MissingFunction, "{case}: {err}");
        assert!(err.message.contains("it defines decide/2, evolve/2"), "{case}: {err}");
    }
    let mut sandbox = Sandbox::new(Limits::default(), 1);
    let id = compiled(&mut sandbox, source);
    assert!(sandbox.has_function(id, "decide", 2), "decide/2 is defined");
    assert!(!sandbox.has_function(id, "decide", 1), "decide/1 is not");
    assert!(!sandbox.has_function(id, "handle", 2), "handle/2 is not");
}

#[test]
fn throw_is_a_thrown_value() {
    let cases = [
        (
            "string",
            "fn decide(s, c) {\n  throw \"out of stock\";\n}",
            json!("out of stock"),
        ),
        (
            "map",
            "fn decide(s, c) { throw #{ code: 409, reason: \"closed\" }; }",
            json!({ "code": 409, "reason": "closed" }),
        ),
        (
            "from a helper",
            "fn check(c) { if c.qty < 1 { throw \"qty\"; } }\nfn decide(s, c) { check(c); [] }",
            json!("qty"),
        ),
    ];
    for (case, source, value) in cases {
        let err = run_err(source, "decide", &[json!({}), json!({ "qty": 0 })]);
        assert_eq!(err.kind, ScriptErrorKind::Thrown(value), "{case}: {err}");
        assert!(err.line.is_some(), "{case}: {err}");
    }
}

#[test]
fn values_json_cannot_hold_are_bad_values() {
    let cases = [
        ("function pointer", "fn f() { Fn(\"f\") }", "'Fn'"),
        ("nested closure", "fn f() { #{ on: [1, |x| x] } }", ".on[1]"),
        (
            "not a number",
            "fn f() { #{ total: 0.0 / 0.0 } }",
            "NaN, which JSON cannot hold (at .total)",
        ),
        ("infinity", "fn f() { [1.0 / 0.0] }", "(at [0])"),
        ("range", "fn f() { 0..3 }", "JSON cannot hold"),
    ];
    for (case, source, words) in cases {
        let err = run_err(source, "f", &[]);
        assert_eq!(err.kind, ScriptErrorKind::BadValue, "{case}: {err}");
        assert_eq!(err.function.as_deref(), Some("f"), "{case}: {err}");
        assert!(err.message.contains(words), "{case}: {err}");
    }
    let too_big = run("fn f(x) { x }", "f", &[json!(u64::MAX)]).expect_err("u64::MAX is not an i64");
    assert_eq!(too_big.kind, ScriptErrorKind::BadValue, "{too_big}");
}

#[test]
fn randomness_is_deterministic_per_seed() {
    let source =
        "fn draw() { let out = []; for i in 0..20 { out.push(random_int(1, 6)); } out.push(random_float()); out }";
    let draws = |seed: u64| -> (Value, Value) {
        let mut sandbox = Sandbox::new(Limits::default(), seed);
        let id = compiled(&mut sandbox, source);
        let first = sandbox.call(id, "draw", &[]).expect("first draw");
        let second = sandbox.call(id, "draw", &[]).expect("second draw");
        (first, second)
    };
    let (a1, a2) = draws(42);
    assert_eq!(draws(42), (a1.clone(), a2.clone()), "same seed, same sequence");
    assert_ne!(a1, a2, "the sequence carries on from call to call");
    assert_ne!(draws(43).0, a1, "another seed, another sequence");
    let values = a1.as_array().cloned().unwrap_or_default();
    let dice = values.iter().take(20).filter_map(Value::as_i64);
    assert!(
        dice.clone().count() == 20 && dice.clone().all(|d| (1..=6).contains(&d)),
        "dice in 1..=6: {a1}"
    );
    let float = values.last().and_then(Value::as_f64).unwrap_or(-1.0);
    assert!((0.0..1.0).contains(&float), "random_float in [0, 1): {a1}");
    let err = run_err("fn f() { random_int(6, 1) }", "f", &[]);
    assert_eq!(err.kind, ScriptErrorKind::Runtime, "{err}");
}

#[test]
fn compiling_the_same_source_twice_uses_the_cache() {
    let mut sandbox = Sandbox::new(Limits::default(), 1);
    let first = compiled(&mut sandbox, "fn f() { 1 }");
    let again = compiled(&mut sandbox, "fn f() { 1 }");
    assert_eq!((first, sandbox.compile_count()), (again, 1), "same owner and source");
    let other = compiled(&mut sandbox, "fn f() { 2 }");
    assert_ne!(first, other, "different source, different script");
    assert_eq!(sandbox.compile_count(), 2, "different source compiles again");
    let projection = Owner {
        kind: OwnerKind::Projection,
        name: "Cart".to_owned(),
    };
    let elsewhere = sandbox.compile(&projection, "fn f() { 1 }").expect("compiles");
    assert_ne!(first, elsewhere, "another owner gets its own script");
    assert_eq!(sandbox.call(first, "f", &[]), Ok(json!(1)), "old ids stay valid");
    assert_eq!(
        sandbox.call(other, "f", &[]),
        Ok(json!(2)),
        "new id runs the new source"
    );
}

#[test]
fn print_goes_to_the_captured_log() {
    let mut sandbox = Sandbox::new(Limits::default(), 1);
    let id = compiled(&mut sandbox, "fn f(x) { print(`got ${x}`); debug(\"d\"); x }");
    assert_eq!(sandbox.call(id, "f", &[json!(5)]), Ok(json!(5)));
    assert_eq!(sandbox.take_log(), vec!["got 5".to_owned(), "\"d\"".to_owned()]);
    assert_eq!(sandbox.take_log(), Vec::<String>::new(), "taking the log empties it");
}
