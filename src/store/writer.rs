//! Group commit for submissions. One task owns the write path: it takes every
//! submission waiting in its channel, writes them in one transaction, and answers each
//! request only after that transaction committed. One durable commit (one fsync on
//! SQLite) then serves many submissions, which is what makes durable intake fast.

use tokio::sync::{mpsc, oneshot};

use super::enquiries::insert_enquiry;
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

type Job = (NewEnquiry, oneshot::Sender<Result<(), WriterError>>);

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
        let (done, wait) = oneshot::channel();
        self.tx
            .send((enquiry, done))
            .await
            .map_err(|_| WriterError::Stopped)?;
        wait.await.map_err(|_| WriterError::Stopped)?
    }
}

async fn run(store: Store, mut rx: mpsc::Receiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match write_batch(&store, &batch).await {
            Ok(()) => {
                for (_, done) in batch.drain(..) {
                    let _ = done.send(Ok(()));
                }
            }
            Err(error) => {
                // One bad row must not fail its neighbours: retry each on its own.
                tracing::warn!(%error, size = batch.len(), "batch insert failed; retrying one by one");
                for (enquiry, done) in batch.drain(..) {
                    let result = insert_enquiry(store.pool(), &enquiry)
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

async fn write_batch(store: &Store, batch: &[Job]) -> Result<(), sqlx::Error> {
    let mut tx = store.begin_write().await?;
    for (enquiry, _) in batch {
        insert_enquiry(&mut *tx, enquiry).await?;
    }
    tx.commit().await
}
