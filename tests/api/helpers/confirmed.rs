//! Marks every stored address as confirmed, for tests about something else that need
//! replies to reach the SMTP sink. Tests about confirmation itself go through the
//! reply inbox instead (`confirm`).

use haven::store::test_support;

use super::TestApp;

/// Every enquiry that gave an email address now has it confirmed, and the
/// confirmation codes not yet mailed are not mailed (so the sink sees only what the
/// test is about). Call it after the submissions and before running the jobs.
#[allow(dead_code)] // not every test binary uses it
pub async fn confirm_every_address(app: &TestApp) {
    test_support::execute(
        &app.store,
        "UPDATE enquiries SET email_confirmed = 1 WHERE has_email = 1",
        &[],
    )
    .await
    .expect("confirm addresses");
    test_support::execute(&app.store, "DELETE FROM contact_requests", &[])
        .await
        .expect("drop pending confirmation codes");
}
