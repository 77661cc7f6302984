//! The command palette (Ctrl+K): type a few letters of anything the workspace can do — open a
//! definition, start a new one, run the specs, open or collapse a panel, export — and press Enter.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`CommandPalette`].
#[derive(Properties, PartialEq)]
pub struct CommandPaletteProps {
    /// What can be run, by label.
    pub items: Rc<Vec<String>>,
    /// Called with the index of the item run.
    pub onrun: Callback<usize>,
    /// Called when the palette closes without running anything.
    pub onclose: Callback<()>,
}

/// The items whose label holds every word of the query (any case): first those where the words
/// are whole words of the label, then where they start one, then the rest, each in list order.
pub fn filter(items: &[String], query: &str) -> Vec<usize> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut found: Vec<(usize, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, label)| {
            let label = label.to_lowercase();
            let parts: Vec<&str> = label.split_whitespace().collect();
            let mut score = 0;
            for word in &words {
                if !label.contains(word.as_str()) {
                    return None;
                }
                score += if parts.contains(&word.as_str()) {
                    2
                } else {
                    usize::from(parts.iter().any(|p| p.starts_with(word.as_str())))
                };
            }
            Some((i, score))
        })
        .collect();
    found.sort_by_key(|&(i, score)| (std::cmp::Reverse(score), i));
    found.into_iter().map(|(i, _)| i).collect()
}

/// The palette.
#[component]
pub fn CommandPalette(props: &CommandPaletteProps) -> Html {
    let query = use_state(String::new);
    let active = use_state(|| 0usize);
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        });
    }
    let shown = filter(&props.items, &query);
    let oninput = {
        let (query, active) = (query.clone(), active.clone());
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
            active.set(0);
        })
    };
    let onkeydown = {
        let (active, shown, onrun, onclose) = (
            active.clone(),
            shown.clone(),
            props.onrun.clone(),
            props.onclose.clone(),
        );
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" => {
                e.prevent_default();
                active.set((*active + 1).min(shown.len().saturating_sub(1)));
            }
            "ArrowUp" => {
                e.prevent_default();
                active.set(active.saturating_sub(1));
            }
            "Enter" => {
                if let Some(&item) = shown.get(*active) {
                    onrun.emit(item);
                }
            }
            "Escape" => onclose.emit(()),
            _ => {}
        })
    };
    let onbackdrop = props.onclose.reform(|_: MouseEvent| ());
    html! {
        <div class="overlay palette-overlay" role="dialog" aria-modal="true" aria-label="Command palette">
            <div class="backdrop" onclick={onbackdrop}></div>
            <section class="palette">
                <input ref={input} type="text" role="combobox" aria-expanded="true" aria-controls="palette-items"
                    aria-label="Search actions" placeholder="Type an action: new event type, edit Cart, run specs…"
                    value={(*query).clone()} {oninput} {onkeydown} />
                <ul id="palette-items" role="listbox" aria-label="Actions">
                    { for shown.iter().enumerate().take(50).map(|(n, &item)| {
                        let onclick = props.onrun.reform(move |_: MouseEvent| item);
                        let selected = n == *active;
                        html! {
                            <li role="option" aria-selected={selected.to_string()} class={classes!(selected.then_some("active"))} {onclick}>
                                { props.items.get(item).cloned().unwrap_or_default() }
                            </li>
                        }
                    }) }
                    if shown.is_empty() { <li class="empty-state">{ "Nothing matches." }</li> }
                </ul>
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::filter;

    #[test]
    fn every_word_must_match_in_any_case() {
        let items: Vec<String> = [
            "New event type",
            "Edit stream type Cart",
            "Edit event type CartOpened",
            "Run all specs",
        ]
        .map(str::to_owned)
        .to_vec();
        assert_eq!(filter(&items, ""), [0, 1, 2, 3]);
        assert_eq!(filter(&items, "edit"), [1, 2]);
        assert_eq!(filter(&items, "EDIT cart"), [1, 2], "the whole word first");
        assert_eq!(filter(&items, "opened"), [2]);
        assert_eq!(filter(&items, "specs run"), [3]);
        assert!(filter(&items, "zebra").is_empty());
    }
}
