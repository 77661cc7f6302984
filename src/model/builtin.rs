//! The scenarios that ship with Eventarium (in `static/scenarios/`), compiled into the binary so
//! the app starts with one loaded and works offline.

/// A scenario file that ships with the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltIn {
    /// A stable id, the file's name without `.eventarium.json`.
    pub id: &'static str,
    /// The document.
    pub text: &'static str,
}

/// Every built-in scenario; the first is the one the app opens with.
pub const BUILT_IN: [BuiltIn; 2] = [
    BuiltIn {
        id: "shopping-cart",
        text: include_str!("../../static/scenarios/shopping-cart.eventarium.json"),
    },
    BuiltIn {
        id: "hotel-guest-stay",
        text: include_str!("../../static/scenarios/hotel-guest-stay.eventarium.json"),
    },
];
