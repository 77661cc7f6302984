//! The scenario checker behind `eventarium check FILE…`: parse and validate a scenario, run every
//! spec and the anti-pattern rules, and say what passed and what did not, in plain text for a
//! terminal or a CI log.

use std::fmt::Write;

use super::import;
use crate::lint::{lint, lint_system, Thresholds};
use crate::model::Scenario;
use crate::script::{Limits, Sandbox};
use crate::sim::spec::{run_all, Verdict};
use crate::store::{Config, Store};

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
    let scenario = match import(text) {
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
    let failing_findings = write_findings(&scenario, &mut out);
    CheckReport {
        text: out,
        failed: failures > 0 || failing_findings > 0,
    }
}

/// Lists the anti-pattern findings with why they hurt and the fix; returns how many reach the
/// scenario's `failOn` severity (critical unless set).
fn write_findings(scenario: &Scenario, out: &mut String) -> usize {
    // Import already checked the settings and the snapshot; defaults and an empty store are fallbacks.
    let thresholds = Thresholds::from_settings(&scenario.settings.lint).unwrap_or_default();
    let store = match &scenario.events {
        Some(snapshot) => Store::import_json(&snapshot.to_string()).unwrap_or_else(|_| Store::new(Config::default())),
        None => Store::new(Config::default()),
    };
    let mut findings = lint(&scenario.model, &store, &thresholds);
    findings.extend(lint_system(scenario, &thresholds));
    findings.sort_by(|a, b| a.id.cmp(&b.id));
    let failing = findings.iter().filter(|f| f.severity >= thresholds.fail_on).count();
    for finding in &findings {
        let mark = if finding.severity >= thresholds.fail_on {
            "FAILED"
        } else {
            "note"
        };
        let _ = writeln!(out, "  {mark:<7} {finding}");
        let _ = writeln!(out, "          why: {}", finding.why);
        let _ = writeln!(out, "          fix: {}", finding.fix);
    }
    let _ = writeln!(
        out,
        "  findings: {}, {failing} at or above {} (settings.lint.failOn)",
        findings.len(),
        thresholds.fail_on
    );
    failing
}
