//! Marks every stored address as confirmed, for tests about something else that need
//! replies to reach the SMTP sink. Tests about confirmation itself go through the
//! reply inbox instead.

use haven::store::test_support;

use super::TestApp;

/// Every enquiry that gave an email address now has it confirmed.
#[allow(dead_code)] // until the worker checks confirmation (issue 19, item 1)
pub async fn confirm_every_address(app: &TestApp) {
    test_support::execute(
        &app.store,
        "UPDATE enquiries SET email_confirmed = 1 WHERE has_email = 1",
        &[],
    )
    .await
    .expect("confirm addresses");
}
