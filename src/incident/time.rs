//! Times as an incident's forms and the command line take them: UTC, written
//! `2026-11-24`, `2026-11-24 05:00`, `2026-11-24T05:00:30Z` (what a `datetime-local`
//! input posts, or what an operator types).

/// Unix seconds of a UTC date and time as written above; `None` if it is not one.
pub fn parse(s: &str) -> Option<i64> {
    let s = s.trim();
    let s = s.strip_suffix('Z').unwrap_or(s);
    let (date, clock) = match s.split_once(['T', ' ']) {
        Some((d, c)) => (d, Some(c)),
        None => (s, None),
    };
    let mut d = date.split('-');
    let y: i64 = number(d.next()?, 4)?;
    let m: i64 = number(d.next()?, 2)?;
    let day: i64 = number(d.next()?, 2)?;
    if d.next().is_some() || !(1..=12).contains(&m) || day < 1 || day > days_in(y, m) {
        return None;
    }
    let secs = match clock {
        None => 0,
        Some(c) => {
            let mut p = c.split(':');
            let h = number(p.next()?, 2)?;
            let min = number(p.next()?, 2)?;
            let sec = match p.next() {
                Some(x) => number(x, 2)?,
                None => 0,
            };
            if p.next().is_some() || h > 23 || min > 59 || sec > 59 {
                return None;
            }
            h * 3600 + min * 60 + sec
        }
    };
    Some(days_from_civil(y, m, day) * 86_400 + secs)
}

fn number(s: &str, digits: usize) -> Option<i64> {
    (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn days_in(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm,
/// the inverse of `domain::time`'s).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::datetime;

    #[test]
    fn written_times_read_back_as_the_pages_show_them() {
        assert_eq!(parse("1970-01-01"), Some(0));
        assert_eq!(parse("2026-11-24 06:00"), Some(1_795_500_000));
        assert_eq!(
            datetime(parse("2026-11-24T05:07").unwrap()),
            "2026-11-24 05:07"
        );
        assert_eq!(
            parse("2026-11-24T05:07:09Z"),
            Some(parse("2026-11-24T05:07").unwrap() + 9)
        );
        assert_eq!(
            datetime(parse("2000-02-29 23:59").unwrap()),
            "2000-02-29 23:59"
        );
        for bad in [
            "",
            "2026-13-01",
            "2026-02-30",
            "2026-1-01",
            "2026-01-01 24:00",
            "tomorrow",
            "2026-01-01T05",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
