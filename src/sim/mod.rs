//! The runtime: commands through deciders, projections with checkpoints, upcasting on read,
//! rebuilds, load generators and time travel.
//!
//! Filled in by the simulation-runtime work; the module exists so the layout shows the architecture.
