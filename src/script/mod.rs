//! The sandbox that runs user logic (decide, evolve, projection handlers, upcasters, policies) with
//! limits on operations, sizes and depth, and errors that carry the owner, line and column.
//!
//! A script is a set of Rhai functions. Values cross as JSON: arguments go in as
//! [`serde_json::Value`]s and the result comes back as one; integers stay integers. A script sees
//! only its arguments: no clock, no I/O, no modules, no `eval`; `random_int(lo, hi)` and
//! `random_float()` draw from the sandbox's seed, so a run replays exactly.
//!
//! ```
//! use eventarium::script::{Limits, Owner, OwnerKind, Sandbox, ScriptErrorKind};
//! use serde_json::json;
//!
//! let mut sandbox = Sandbox::new(Limits::default(), 7);
//! let owner = Owner { kind: OwnerKind::Decider, name: "Cart".into() };
//! let source = r#"
//!     fn decide(state, command) {
//!         if command.qty <= 0 { throw "quantity must be positive"; }
//!         [#{ type: "ItemAdded", qty: command.qty }]
//!     }
//! "#;
//! let script = sandbox.compile(&owner, source).unwrap();
//! let events = sandbox.call(script, "decide", &[json!({}), json!({ "qty": 2 })]).unwrap();
//! assert_eq!(events, json!([{ "type": "ItemAdded", "qty": 2 }]));
//! let rejected = sandbox.call(script, "decide", &[json!({}), json!({ "qty": 0 })]).unwrap_err();
//! assert_eq!(rejected.kind, ScriptErrorKind::Thrown(json!("quantity must be positive")));
//! ```

mod engine;
mod error;
mod limits;
mod locate;
mod owner;
mod random;
mod sandbox;
pub(crate) mod value;

pub use engine::ReadModels;
pub use error::{ScriptError, ScriptErrorKind};
pub use limits::Limits;
pub use owner::{Owner, OwnerKind};
pub use sandbox::{Sandbox, ScriptId};
