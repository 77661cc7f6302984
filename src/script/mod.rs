//! The sandbox that runs user logic (decide, evolve, projection handlers, upcasters) with limits on
//! operations, sizes and depth, and errors that carry the owner, line and column.
//!
//! Filled in by the modelling-language work; the module exists so the layout shows the architecture.
