//! Anti-pattern findings from the model and from the simulated data, each with the production risk
//! and the fix.
//!
//! Filled in by the warnings work; the module exists so the layout shows the architecture.
