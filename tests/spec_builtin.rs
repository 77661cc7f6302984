//! The built-in scenarios load without a problem and every one of their specs passes.

mod support;

use eventarium::script::{Limits, Sandbox};
use eventarium::sim::spec::{self, Verdict};
use support::built_in;

// Plain `#[test]`s: natively the built-in harness runs them, compiled to wasm wasm-bindgen-test does.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn every_built_in_spec_passes() {
    for name in built_in::ids() {
        let scenario = built_in::scenario(name);
        let mut sandbox = Sandbox::new(Limits::default(), scenario.settings.seed);
        let reports = spec::run_all(&scenario, &mut sandbox);
        assert!(reports.len() >= 6, "{name}: only {} specs", reports.len());
        for report in reports {
            match &report.verdict {
                Verdict::Passed => {}
                Verdict::Failed { diff } => panic!("{name}: spec {:?} failed:\n{diff}", report.name),
                Verdict::Errored(error) => panic!("{name}: spec {:?} errored: {error}", report.name),
            }
        }
    }
}

#[test]
fn built_in_scenarios_export_stably() {
    for name in built_in::ids() {
        let scenario = built_in::scenario(name);
        let exported = scenario.export();
        let again = built_in::import(name, &exported);
        assert_eq!(again, scenario, "{name}: import → export → import");
        assert_eq!(again.export(), exported, "{name}: export is byte-stable");
    }
}

#[test]
fn built_in_scenarios_use_every_kind_of_definition() {
    use eventarium::model::{ProjectionLogic, Visibility};
    for name in built_in::ids() {
        let model = built_in::scenario(name).model;
        let types = &model.event_types;
        assert!(
            types.iter().any(|t| t.versions.len() >= 2),
            "{name}: a versioned event type"
        );
        assert!(
            types.iter().any(|t| t.visibility == Visibility::Public),
            "{name}: a public event type"
        );
        assert!(
            types.iter().any(|t| t.visibility == Visibility::Private),
            "{name}: a private event type"
        );
        assert!(
            !model.commands.is_empty() && !model.stream_types.is_empty(),
            "{name}: commands and deciders"
        );
        assert!(
            !model.upcasters.is_empty() && !model.policies.is_empty(),
            "{name}: upcasters and policies"
        );
        let logic = |script: bool| {
            model
                .projections
                .iter()
                .any(|p| matches!(p.logic, ProjectionLogic::Script(_)) == script)
        };
        assert!(
            logic(true) && logic(false),
            "{name}: a scripted and a template projection"
        );
    }
}
