//! How counts and times read: "1 event" and "2 events"; a simulated instant as a date and a
//! time (UTC), a span of simulated time in the largest units that say it ("2 h 5 min").

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

/// A simulated instant, in ms since the Unix epoch, as `1970-01-01 00:01:00` (UTC; with
/// milliseconds when it has some: `00:01:00.250`).
pub fn instant(ms: i64) -> String {
    let (days, in_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (year, month, day) = civil_from_days(days);
    let (h, m, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    let time = format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{s:02}");
    if milli == 0 {
        time
    } else {
        format!("{time}.{milli:03}")
    }
}

/// A span of simulated time in its two largest units: `350 ms`, `12 s`, `1 min 30 s`,
/// `2 h 5 min`, `3 d 4 h`.
pub fn duration(ms: u64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "min"), (1000, "s")];
    let Some(at) = UNITS.iter().position(|(size, _)| ms >= *size) else {
        return format!("{ms} ms");
    };
    let (size, unit) = UNITS[at];
    let whole = format!("{} {unit}", ms / size);
    match UNITS.get(at + 1) {
        Some((next, next_unit)) if ms % size / next > 0 => format!("{whole} {} {next_unit}", ms % size / next),
        _ => whole,
    }
}

/// A byte count in the largest unit that keeps it at least 1: `812 B`, `3.4 KB`, `12 MB`,
/// `1.50 GB` (units of 1024).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let digits = if value < 10.0 {
        2
    } else if value < 100.0 {
        1
    } else {
        0
    };
    format!("{value:.digits$} {}", UNITS[unit])
}

/// An amount of dollars with three significant digits, however small: `$12.3`, `$0.0456`,
/// `$0.00000123`; `$0` for nothing.
pub fn money(dollars: f64) -> String {
    if !dollars.is_finite() || dollars <= 0.0 {
        return "$0".to_owned();
    }
    let magnitude = dollars.log10().floor() as i32;
    let digits = usize::try_from(2 - magnitude).unwrap_or(0).min(12);
    format!("${dollars:.digits$}")
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_reads_as_a_date_and_a_time() {
        assert_eq!(instant(0), "1970-01-01 00:00:00");
        assert_eq!(instant(60_000), "1970-01-01 00:01:00");
        assert_eq!(instant(60_250), "1970-01-01 00:01:00.250");
        assert_eq!(instant(1_764_806_400_000), "2025-12-04 00:00:00");
        assert_eq!(instant(951_782_400_000 + 86_399_000), "2000-02-29 23:59:59");
    }

    #[test]
    fn a_duration_reads_in_its_two_largest_units() {
        assert_eq!(duration(0), "0 ms");
        assert_eq!(duration(350), "350 ms");
        assert_eq!(duration(12_000), "12 s");
        assert_eq!(duration(90_000), "1 min 30 s");
        assert_eq!(duration(60_000), "1 min");
        assert_eq!(duration(7_500_000), "2 h 5 min");
        assert_eq!(duration(273_600_000), "3 d 4 h");
    }

    #[test]
    fn bytes_and_money_read_at_any_size() {
        let sizes = [
            (0, "0 B"),
            (1023, "1023 B"),
            (1024, "1.00 KB"),
            (3_500, "3.42 KB"),
            (52_000_000, "49.6 MB"),
        ];
        for (n, want) in sizes {
            assert_eq!(bytes(n), want, "{n} bytes");
        }
        let amounts = [
            (0.0, "$0"),
            (12.345, "$12.3"),
            (0.0456, "$0.0456"),
            (0.000_001_234, "$0.00000123"),
        ];
        for (dollars, want) in amounts {
            assert_eq!(money(dollars), want, "{dollars} dollars");
        }
    }

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1, "event"), "1 event");
        assert_eq!(counted(0, "event"), "0 events");
        assert_eq!(counted(2, "document"), "2 documents");
        assert_eq!(counted_as(1, "policy", "policies"), "1 policy");
        assert_eq!(counted_as(11, "policy", "policies"), "11 policies");
    }
}
