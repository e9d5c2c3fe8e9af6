//! Server-rendered SVG charts for the programme dashboard. (Being written.)

pub fn daily_svg(_days: &[(String, i64)], _title: &str) -> String {
    todo!()
}

pub fn backlog_svg(_queues: &[(String, i64)], _title: &str) -> String {
    todo!()
}
