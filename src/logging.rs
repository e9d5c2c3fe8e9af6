//! Haven's text log: where it goes, what level, and what time each line carries.
//!
//! Every line's time is given to the minute. The access log already leaves out the
//! public form's and the reply inbox's POSTs (`app::access_log`); what remains around a
//! submission (a page view, a warning) must not pin it to the second either (issue 17,
//! item 12). Exact times of staff actions are in the audit log, not here.

use std::fmt;

use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::FormatTime;

use crate::config::LogFormat;

/// `2025-12-01T14:40Z`: the current UTC minute.
#[derive(Debug, Clone, Copy, Default)]
pub struct MinuteTime;

impl FormatTime for MinuteTime {
    fn format_time(&self, w: &mut Writer<'_>) -> fmt::Result {
        write!(w, "{}", minute_stamp(crate::store::now()))
    }
}

pub fn minute_stamp(unix: i64) -> String {
    format!(
        "{}Z",
        crate::console::pages::datetime(unix).replace(' ', "T")
    )
}

/// Sets up the process's log on standard error (`HAVEN_LOG` for the level).
pub fn init(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("HAVEN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,actix_server=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_timer(MinuteTime)
        // Colour codes only for a person at a terminal, not in journald or a file.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stamp_stops_at_the_minute() {
        assert_eq!(super::minute_stamp(1_764_600_059), "2025-12-01T14:40Z");
    }
}
