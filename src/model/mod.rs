//! What a user drafts: event types with versioned schemas, commands, stream types (deciders),
//! projections, upcasters, policies and specs, and the scenario file format that holds them.
//!
//! Filled in by the modelling-language work; the module exists so the layout shows the architecture.
