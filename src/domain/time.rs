//! UTC calendar dates for Unix times, as every page, email and export shows them.

/// A UTC date and hour for a Unix time, e.g. `2026-11-24 05:00`.
pub fn datetime(unix: i64) -> String {
    let (y, m, d) = civil_date(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60
    )
}

/// A UTC date for a Unix time, e.g. `2026-11-24`.
pub fn date(unix: i64) -> String {
    let (y, m, d) = civil_date(unix.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_dates() {
        assert_eq!(datetime(0), "1970-01-01 00:00");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(datetime(1_795_500_000), "2026-11-24 06:00");
        assert_eq!(date(-86_400), "1969-12-31");
    }
}
