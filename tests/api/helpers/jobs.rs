//! The test app's background jobs: nothing runs on its own (`Jobs::OnDemand`), a test
//! runs what is due with [`TestApp::run_pending_jobs`] and then knows it ran, rather
//! than sleeping and hoping; and when the test ends, [`JobCheck`] fails it if a job
//! was left unprocessed or failed without the test saying it expected that (as the
//! Rust package registry's test app does on drop).

use std::sync::Mutex;

use haven::app::JobRunner;
use haven::config::Config;
use haven::store::Store;

use super::TestApp;

/// What a test said about the jobs it leaves behind.
#[derive(Debug, Default)]
pub struct Expected {
    /// Outbox rows and staff notices that end `failed`.
    pub failed: i64,
}

#[derive(Default)]
pub struct JobCheck {
    pub(super) expected: Mutex<Expected>,
}

/// Jobs left at the end of a test, as the database says.
#[derive(Debug, PartialEq, Eq)]
struct Left {
    queued: i64,
    failed: i64,
}

async fn left(config: &Config) -> Left {
    use haven::store::test_support::scalar;
    let store = Store::connect(&config.database)
        .await
        .expect("the test's database is still there");
    let count = |sql| {
        let store = store.clone();
        async move { scalar(&store, sql, &[]).await.expect("count jobs") }
    };
    let mut queued =
        count("SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'sending')").await;
    let mut failed = count("SELECT COUNT(*) FROM outbox WHERE state = 'failed'").await;
    // With staff notices off nothing ever sends them: they are not jobs then.
    if config.staff_notices {
        queued +=
            count("SELECT COUNT(*) FROM staff_notices WHERE state IN ('queued', 'sending')").await;
        failed += count("SELECT COUNT(*) FROM staff_notices WHERE state = 'failed'").await;
    }
    store.close().await;
    Left { queued, failed }
}

impl TestApp {
    /// Runs every background job that is due (the outbox, staff notices, re-sealing
    /// after a rotation) until none is, as the worker role would; returns once all
    /// of it is committed. A negative check ("nothing was sent") comes after this, so
    /// it cannot pass merely because the worker had not got there yet.
    pub async fn run_pending_jobs(&self) {
        self.jobs
            .as_ref()
            .expect("this test app has no worker role: the test runs its own worker")
            .run_pending()
            .await
            .expect("background jobs run");
    }

    /// The test ends with `n` outbox rows or staff notices `failed`, on purpose.
    pub fn expect_failed_jobs(&self, n: i64) {
        self.job_check.expected.lock().unwrap().failed = n;
    }

    /// The public and console roles see a programme as stored now, not as their
    /// five-second cache last read it (after `haven programme …` ran as another
    /// process).
    pub fn refresh_programme(&self, slug: &str) {
        self.programmes
            .forget(&haven::domain::ProgrammeSlug::parse(slug).expect("a slug"));
    }

    /// The check [`Drop`] runs, on a thread of its own (a test's runtime cannot block
    /// on itself).
    fn check_jobs(&self) {
        let config = self.config.clone();
        let found = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime")
                .block_on(left(&config))
        })
        .join()
        .expect("the job check ran");
        let expected = self.job_check.expected.lock().unwrap();
        assert!(
            found.queued == 0,
            "{} background jobs were left unprocessed: run them with \
             `app.run_pending_jobs().await` before checking what they do",
            found.queued
        );
        assert_eq!(
            found.failed, expected.failed,
            "background jobs that failed (expected {}); say so with `app.expect_failed_jobs(n)`",
            expected.failed
        );
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // A test that already failed says why; this check would only bury that.
        if !std::thread::panicking() {
            self.check_jobs();
        }
    }
}

/// Keeps the runner with the test app.
pub type Runner = std::sync::Arc<JobRunner>;
