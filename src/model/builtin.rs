//! The scenarios that ship with Eventarium (in `static/scenarios/`), compiled into the binary so
//! the app starts with one loaded and works offline (minified by `build.rs`).

/// A scenario file that ships with the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltIn {
    /// A stable id, the file's name without `.eventarium.json`.
    pub id: &'static str,
    /// The document.
    pub text: &'static str,
}

/// Every built-in scenario; the first is the one the app opens with.
pub const BUILT_IN: [BuiltIn; 4] = [
    BuiltIn {
        id: "shopping-cart",
        text: include_str!(concat!(env!("OUT_DIR"), "/shopping-cart.json")),
    },
    BuiltIn {
        id: "hotel-guest-stay",
        text: include_str!(concat!(env!("OUT_DIR"), "/hotel-guest-stay.json")),
    },
    BuiltIn {
        id: "concert-ticketing",
        text: include_str!(concat!(env!("OUT_DIR"), "/concert-ticketing.json")),
    },
    BuiltIn {
        id: "cashier-register",
        text: include_str!(concat!(env!("OUT_DIR"), "/cashier-register.json")),
    },
];

impl BuiltIn {
    /// The name its document gives it, as the picker and the status bar show it.
    pub fn name(&self) -> String {
        serde_json::from_str::<serde_json::Value>(self.text)
            .ok()
            .and_then(|document| document["name"].as_str().map(str::to_owned))
            .unwrap_or_else(|| self.id.to_owned())
    }

    /// The built-in scenario a workspace named `name` was opened from, if it was one: what
    /// Reset goes back to.
    pub fn named(name: &str) -> Option<(usize, &'static BuiltIn)> {
        BUILT_IN
            .iter()
            .enumerate()
            .find(|(_, built_in)| built_in.name() == name)
    }
}
