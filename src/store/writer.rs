//! Group commit for submissions. One task owns the write path: it takes every
//! submission waiting in its channel, writes them in one transaction, and answers each
//! request only after that transaction committed. One durable commit (one fsync on
//! SQLite) then serves many submissions, which is what makes durable intake fast.

use tokio::sync::{mpsc, oneshot};

use super::enquiries::insert_enquiry;
use super::form_tokens::{self, UsedToken};
use super::{NewEnquiry, Store};

/// Most submissions written in one transaction.
const MAX_BATCH: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum WriterError {
    #[error("the submission could not be stored")]
    Failed,
    #[error("the writer has stopped")]
    Stopped,
}

/// What became of one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Committed.
    New,
    /// Not stored: its form token had already submitted an enquiry.
    TokenUsed,
}

type Job = (
    NewEnquiry,
    Option<UsedToken>,
    oneshot::Sender<Result<Stored, WriterError>>,
);

#[derive(Clone)]
pub struct SubmissionWriter {
    tx: mpsc::Sender<Job>,
}

impl SubmissionWriter {
    /// Starts the writer task. It stops when every handle is dropped, after writing
    /// what it has already accepted.
    pub fn spawn(store: Store) -> Self {
        let (tx, rx) = mpsc::channel::<Job>(4 * MAX_BATCH);
        tokio::spawn(run(store, rx));
        Self { tx }
    }

    /// Returns once the enquiry is committed, never before.
    pub async fn submit(&self, enquiry: NewEnquiry) -> Result<(), WriterError> {
        self.submit_once(enquiry, None).await.map(|_| ())
    }

    /// As `submit`, but claims `token` in the same transaction: a token that has
    /// submitted before stores nothing and answers `TokenUsed`.
    pub async fn submit_once(
        &self,
        enquiry: NewEnquiry,
        token: Option<UsedToken>,
    ) -> Result<Stored, WriterError> {
        let (done, wait) = oneshot::channel();
        self.tx
            .send((enquiry, token, done))
            .await
            .map_err(|_| WriterError::Stopped)?;
        wait.await.map_err(|_| WriterError::Stopped)?
    }
}

async fn run(store: Store, mut rx: mpsc::Receiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match write_batch(&store, &batch).await {
            Ok(outcomes) => {
                for ((_, _, done), outcome) in batch.drain(..).zip(outcomes) {
                    let _ = done.send(Ok(outcome));
                }
            }
            Err(error) => {
                // One bad row must not fail its neighbours: retry each on its own.
                tracing::warn!(%error, size = batch.len(), "batch insert failed; retrying one by one");
                for (enquiry, token, done) in batch.drain(..) {
                    let result =
                        write_one(&store, &enquiry, token.as_ref())
                            .await
                            .map_err(|error| {
                                tracing::error!(%error, "submission insert failed");
                                WriterError::Failed
                            });
                    let _ = done.send(result);
                }
            }
        }
    }
}

async fn write_batch(store: &Store, batch: &[Job]) -> Result<Vec<Stored>, sqlx::Error> {
    let mut tx = store.begin_write().await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for (enquiry, token, _) in batch {
        // A token used earlier in this very batch (a double tap) is refused here too.
        if let Some(token) = token
            && !form_tokens::claim(&mut *tx, token).await?
        {
            outcomes.push(Stored::TokenUsed);
            continue;
        }
        insert_enquiry(&mut tx, enquiry).await?;
        outcomes.push(Stored::New);
    }
    if batch.iter().any(|(_, token, _)| token.is_some()) {
        form_tokens::forget_expired(&mut *tx, crate::store::now()).await?;
    }
    tx.commit().await?;
    Ok(outcomes)
}

async fn write_one(
    store: &Store,
    enquiry: &NewEnquiry,
    token: Option<&UsedToken>,
) -> Result<Stored, sqlx::Error> {
    let mut tx = store.begin_write().await?;
    if let Some(token) = token
        && !form_tokens::claim(&mut *tx, token).await?
    {
        return Ok(Stored::TokenUsed);
    }
    insert_enquiry(&mut tx, enquiry).await?;
    tx.commit().await?;
    Ok(Stored::New)
}
