//! The scenario checker behind `eventarium check FILE…`: parse and validate a scenario, run every
//! spec, and say what passed and what did not, in plain text for a terminal or a CI log.

use std::fmt::Write;

use super::spec::{run_all, Verdict};
use crate::model::Scenario;
use crate::script::{Limits, Sandbox};

/// What checking one scenario file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// The report, one finding a line, for a terminal.
    pub text: String,
    /// Whether anything failed: a problem in the file, or a spec that did not pass.
    pub failed: bool,
}

/// Checks the scenario document `text`, read from `name` (a path, used in the report).
pub fn check_scenario(name: &str, text: &str) -> CheckReport {
    let mut out = String::new();
    let scenario = match Scenario::import(text) {
        Ok(scenario) => scenario,
        Err(problems) => {
            let _ = writeln!(out, "{name}: FAILED, {} problem(s) in the file", problems.len());
            for problem in &problems {
                let _ = writeln!(out, "  {problem}");
            }
            return CheckReport {
                text: out,
                failed: true,
            };
        }
    };
    let model = &scenario.model;
    let _ = writeln!(out, "{name}: {}", scenario.name);
    let _ = writeln!(
        out,
        "  model: {} event types, {} commands, {} stream types, {} projections, {} upcasters, {} policies",
        model.event_types.len(),
        model.commands.len(),
        model.stream_types.len(),
        model.projections.len(),
        model.upcasters.len(),
        model.policies.len()
    );
    let mut sandbox = Sandbox::new(Limits::default(), scenario.settings.seed);
    let reports = run_all(&scenario, &mut sandbox);
    let mut failures = 0;
    for report in &reports {
        match &report.verdict {
            Verdict::Passed => {
                let _ = writeln!(out, "  ok      {}", report.name);
            }
            Verdict::Failed { diff } => {
                failures += 1;
                let _ = writeln!(out, "  FAILED  {}", report.name);
                for line in diff.lines() {
                    let _ = writeln!(out, "          {line}");
                }
            }
            Verdict::Errored(error) => {
                failures += 1;
                let _ = writeln!(out, "  ERROR   {}: {error}", report.name);
            }
        }
    }
    let _ = writeln!(out, "  specs: {} passed, {failures} failed", reports.len() - failures);
    CheckReport {
        text: out,
        failed: failures > 0,
    }
}
