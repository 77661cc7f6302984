//! Natural order of names, as people sort them: `cart-2` before `cart-10`.
//!
//! A run of ASCII digits compares as a number of any length (by its length once its leading zeros
//! are stripped, then digit by digit, so nothing overflows); every other byte compares as text.
//! Names that differ only in leading zeros (`cart-01`, `cart-1`) are then ordered as text, so the
//! order is total and only identical names compare equal: it can key a B-tree.
//!
//! [`natural_cmp`] compares two names as they are. The store's natural index, which compares a
//! few dozen times for every new stream, keeps a [`NaturalKey`] per stream instead: bytes whose
//! plain order is the same, the first sixteen of them inline, so that most comparisons follow no
//! pointer.

use std::cmp::Ordering;
use std::rc::Rc;

use super::ids::category_of;

/// Compares two names in natural order.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (a_bytes, b_bytes) = (a.as_bytes(), b.as_bytes());
    // Skip the common start, back to the start of a number it ends in: the bytes before it
    // split into the same runs in both names.
    let mut common = a_bytes.iter().zip(b_bytes).take_while(|(x, y)| x == y).count();
    while common > 0 && a_bytes.get(common - 1).is_some_and(u8::is_ascii_digit) {
        common -= 1;
    }
    let (a_rest, b_rest) = (a_bytes.get(common..), b_bytes.get(common..));
    runs_cmp(a_rest.unwrap_or_default(), b_rest.unwrap_or_default()).then_with(|| a.cmp(b))
}

/// A stream id's place in natural order among the ids of its category, quick to compare: the
/// key bytes of the part after the category (whose ids all start alike), 0 first for the
/// category's own stream (`cart`) and 1 for the others (`cart-…`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct NaturalKey {
    /// The first 16 bytes, big-endian and padded with zeros: where two keys usually differ
    /// (padding sorts a shorter key first, as the bytes do).
    head: u128,
    /// All of them.
    bytes: Rc<[u8]>,
}

impl NaturalKey {
    /// The key of a stream id, to compare with those of its category's other streams.
    pub fn of_stream(stream_id: &str) -> NaturalKey {
        let after = stream_id.strip_prefix(category_of(stream_id));
        let mut bytes = Vec::with_capacity(2 * stream_id.len() + 3);
        match after.and_then(|rest| rest.strip_prefix('-')) {
            Some(rest) => {
                bytes.push(1);
                push_key(&mut bytes, rest);
            }
            None => {
                bytes.push(0);
                push_key(&mut bytes, stream_id);
            }
        }
        let mut head = [0; 16];
        head.iter_mut().zip(&bytes).for_each(|(to, from)| *to = *from);
        NaturalKey {
            head: u128::from_be_bytes(head),
            bytes: bytes.into(),
        }
    }

    /// Heap bytes held, counting the key's two reference counts.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.len() + 2 * std::mem::size_of::<usize>()
    }
}

/// Appends the bytes of `name` whose plain (lexicographic) order is the natural order of names:
/// each byte as it is (a NUL escaped as `0 1`), each run of digits as `b'0'`, the length of its
/// digits without leading zeros, and those digits; then `0 0` and the name itself, for the ties.
fn push_key(key: &mut Vec<u8>, name: &str) {
    let mut rest = name.as_bytes();
    while let Some((&byte, after)) = rest.split_first() {
        if byte.is_ascii_digit() {
            let (number, after_number) = split_number(rest);
            // b'0' sorts a number against any other byte as its first digit would.
            key.push(b'0');
            match u8::try_from(number.len()) {
                Ok(short) if short < u8::MAX => key.push(short),
                _ => {
                    key.push(u8::MAX);
                    key.extend_from_slice(&(number.len() as u64).to_be_bytes());
                }
            }
            key.extend_from_slice(number);
            rest = after_number;
        } else {
            key.extend_from_slice(if byte == 0 {
                &[0, 1]
            } else {
                std::slice::from_ref(&byte)
            });
            rest = after;
        }
    }
    key.extend_from_slice(&[0, 0]);
    key.extend_from_slice(name.as_bytes());
}

/// A name ordered naturally ([`natural_cmp`]): a key for sorted maps and heaps.
#[derive(Debug, Clone, Copy, Default)]
pub struct Natural<S>(pub S);

impl<S: AsRef<str>> Ord for Natural<S> {
    fn cmp(&self, other: &Self) -> Ordering {
        natural_cmp(self.0.as_ref(), other.0.as_ref())
    }
}

impl<S: AsRef<str>> PartialOrd for Natural<S> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<S: AsRef<str>> PartialEq for Natural<S> {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_ref() == other.0.as_ref()
    }
}

impl<S: AsRef<str>> Eq for Natural<S> {}

/// Compares byte by byte, a run of digits on both sides as one number.
fn runs_cmp(mut a: &[u8], mut b: &[u8]) -> Ordering {
    loop {
        let (Some((&x, after_x)), Some((&y, after_y))) = (a.split_first(), b.split_first()) else {
            return a.len().cmp(&b.len());
        };
        if x.is_ascii_digit() && y.is_ascii_digit() {
            let (number_a, rest_a) = split_number(a);
            let (number_b, rest_b) = split_number(b);
            let order = number_a.len().cmp(&number_b.len()).then_with(|| number_a.cmp(number_b));
            if order.is_ne() {
                return order;
            }
            (a, b) = (rest_a, rest_b);
        } else if x != y {
            return x.cmp(&y);
        } else {
            (a, b) = (after_x, after_y);
        }
    }
}

/// The digits `bytes` starts with, without leading zeros, and what follows them.
fn split_number(bytes: &[u8]) -> (&[u8], &[u8]) {
    let end = bytes.iter().position(|b| !b.is_ascii_digit()).unwrap_or(bytes.len());
    let (digits, rest) = bytes.split_at(end);
    let zeros = digits.iter().take_while(|&&d| d == b'0').count();
    (digits.get(zeros..).unwrap_or_default(), rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn natural_key(name: &str) -> Vec<u8> {
        let mut key = Vec::new();
        push_key(&mut key, name);
        key
    }

    #[test]
    fn numbers_compare_as_numbers_and_the_rest_as_text() {
        use Ordering::{Equal, Greater, Less};
        let long = "9".repeat(40);
        let longer = format!("1{}", "0".repeat(40));
        let cases = [
            ("cart-2", "cart-10", Less),
            ("cart-10", "cart-100", Less),
            ("cart-9", "cart-10", Less),
            ("cart-1", "cart-1", Equal),
            ("cart", "cart-1", Less),
            ("cart-", "cart-0", Less),
            ("cart-1", "cart-1a", Less),
            ("cart-1a", "cart-1b", Less),
            ("cart-2a", "cart-10a", Less),
            ("cart-1-2", "cart-1-10", Less),
            ("cart-10-1", "cart-9-2", Greater),
            ("cart-1", "cart-a", Less),
            ("cart-a", "cart-b", Less),
            ("Cart-1", "cart-1", Less),
            ("a10b", "a9c", Greater),
            ("v1.10", "v1.9", Greater),
            ("x99", "x100", Less),
            ("007", "7", Less),
            ("cart-007", "cart-7", Less),
            ("cart-007", "cart-8", Less),
            ("cart-08", "cart-7", Greater),
            ("cart-0", "cart-00", Less),
            ("cart-01-b", "cart-1-a", Greater),
            (long.as_str(), longer.as_str(), Less),
            ("ä-2", "ä-10", Less),
            ("é1", "e1", Greater),
            ("", "", Equal),
            ("", "0", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(natural_cmp(a, b), want, "{a:?} against {b:?}");
            assert_eq!(natural_cmp(b, a), want.reverse(), "{b:?} against {a:?}");
            assert_eq!(Natural(a).cmp(&Natural(b)), want, "{a:?} against {b:?} as keys");
            assert_eq!(
                natural_key(a).cmp(&natural_key(b)),
                want,
                "{a:?} against {b:?} as key bytes"
            );
        }
    }

    #[test]
    fn sorting_is_total_and_transitive_and_key_bytes_agree() {
        let long_zero = format!("n-{}", "0".repeat(300));
        let long_one = format!("n-{}1", "0".repeat(299));
        let long_number = format!("n-1{}", "0".repeat(300));
        let names = [
            "",
            "0",
            "00",
            "a",
            "a\0",
            "a\0b",
            "a\u{1}",
            "a0",
            "a00",
            "a0b",
            "a00b",
            "a1",
            "a01",
            "a1\0",
            "a9",
            "a10",
            "a-1",
            "a.1",
            "a/1",
            "a:1",
            "a 1",
            "ä1",
            "a1b2",
            "a01b2",
            "a1b02",
            "a1b10",
            &long_zero,
            &long_one,
            &long_number,
        ];
        for a in names {
            for b in names {
                let (by_cmp, by_key) = (natural_cmp(a, b), natural_key(a).cmp(&natural_key(b)));
                assert_eq!(by_key, by_cmp, "{a:?} against {b:?}: key bytes and comparison disagree");
                assert_eq!(
                    by_cmp == Ordering::Equal,
                    a == b,
                    "{a:?} against {b:?}: equal only when identical"
                );
            }
        }
        let mut ids = vec![
            "cart-100",
            "cart-10",
            "cart-1",
            "cart-2",
            "cart-01",
            "cart-1a",
            "cart",
            "cart-a",
            "cart-0",
            "cart-00",
            "cart-9z",
            "cart-10-1",
            "cart-10-01",
            "cart-",
        ];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            ids,
            [
                "cart",
                "cart-",
                "cart-0",
                "cart-00",
                "cart-01",
                "cart-1",
                "cart-1a",
                "cart-2",
                "cart-9z",
                "cart-10",
                "cart-10-01",
                "cart-10-1",
                "cart-100",
                "cart-a"
            ]
        );
        for a in &ids {
            for b in &ids {
                for c in &ids {
                    let (ab, bc, ac) = (natural_cmp(a, b), natural_cmp(b, c), natural_cmp(a, c));
                    if ab.is_le() && bc.is_le() {
                        assert!(ac.is_le(), "{a:?} <= {b:?} <= {c:?} but not {a:?} <= {c:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn stream_keys_order_a_categorys_ids_naturally() {
        let ids = [
            "cart",
            "cart-",
            "cart-0",
            "cart-00",
            "cart-1",
            "cart-01",
            "cart-2",
            "cart-10",
            "cart-10-1",
            "cart-10-01",
            "cart-100",
            "cart-a",
            "cart-a1",
            "cart-1234567890123456789",
            "cart-1234567890123456788",
            "cart-x-y-2",
            "cart-x-y-10",
            "cart-\u{e9}",
        ];
        for a in ids {
            for b in ids {
                assert_eq!(
                    NaturalKey::of_stream(a).cmp(&NaturalKey::of_stream(b)),
                    natural_cmp(a, b),
                    "{a:?} against {b:?}"
                );
            }
        }
    }
}
