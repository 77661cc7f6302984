//! How counts read: "1 event", "2 events", "no events" is never written as "0 event".

/// `n` and the noun, plural unless `n` is one: `counted(1, "stream")` is "1 stream",
/// `counted(3, "stream")` "3 streams". Nouns whose plural is not the noun and an "s"
/// (`policy`) go through [`counted_as`].
pub fn counted(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `n` and the noun, `one` or `many`: `counted_as(2, "policy", "policies")` is "2 policies".
pub fn counted_as(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1, "event"), "1 event");
        assert_eq!(counted(0, "event"), "0 events");
        assert_eq!(counted(2, "document"), "2 documents");
        assert_eq!(counted_as(1, "policy", "policies"), "1 policy");
        assert_eq!(counted_as(11, "policy", "policies"), "11 policies");
    }
}
