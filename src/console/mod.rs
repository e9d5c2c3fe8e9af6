//! The staff console: queues, enquiries, dashboard, audit viewer.

pub mod charts;
