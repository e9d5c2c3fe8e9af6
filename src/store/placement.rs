//! Re-placing enquiries once their hour has closed, so that where a row sits says
//! nothing about when it arrived (`placement` explains why and when this runs).

use sqlx::Row;

use super::{Backend, Store, StoreError};

/// The most hours of backlog one run takes on (a first run after an upgrade, or a
/// worker that was down): the rest wait for the next run.
const MAX_HOURS_PER_RUN: i64 = 24;

impl Store {
    /// Deletes every enquiry not yet placed that arrived before `before_hour` and writes
    /// them again in random order, in one transaction; returns how many. Everything
    /// that refers to them is checked at commit (deferred), when they exist again.
    pub async fn place_arrivals(&self, before_hour: i64) -> Result<u64, StoreError> {
        let first: Option<i64> =
            sqlx::query("SELECT MIN(created_hour) AS first FROM enquiries WHERE placed = 0")
                .fetch_one(&self.pool)
                .await?
                .try_get("first")?;
        let Some(first) = first else {
            return Ok(0);
        };
        let until = before_hour.min(first + MAX_HOURS_PER_RUN * 3600);
        if first >= until {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        match self.backend {
            Backend::Sqlite => {
                // Resets itself at commit; the references are checked then.
                sqlx::query("PRAGMA defer_foreign_keys = ON")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "CREATE TEMP TABLE arrivals_to_place AS SELECT * FROM enquiries WHERE 0",
                )
                .execute(&mut *tx)
                .await?;
            }
            Backend::Postgres => {
                // Writers wait (milliseconds) while plain reads go on; a writer already
                // holding the table makes this run give up and try next time.
                sqlx::query("SET LOCAL lock_timeout = '10s'")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("SET CONSTRAINTS ALL DEFERRED")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("LOCK TABLE enquiries IN EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("CREATE TEMP TABLE arrivals_to_place (LIKE enquiries) ON COMMIT DROP")
                    .execute(&mut *tx)
                    .await?;
            }
        }
        // `SELECT *` both ways: every column goes round, whatever later migrations add.
        let moved = sqlx::query(
            "INSERT INTO arrivals_to_place SELECT * FROM enquiries WHERE placed = 0 AND created_hour < $1",
        )
        .bind(until)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("UPDATE arrivals_to_place SET placed = 1")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM enquiries WHERE id IN (SELECT id FROM arrivals_to_place)")
            .execute(&mut *tx)
            .await?;
        // Written again in random order: new rows, pages and overflow pages (SQLite),
        // or heap slots, one xmin and TOAST ids (PostgreSQL), in an order that has
        // nothing to do with the order they came in.
        sqlx::query("INSERT INTO enquiries SELECT * FROM arrivals_to_place ORDER BY random()")
            .execute(&mut *tx)
            .await?;
        if self.backend == Backend::Sqlite {
            sqlx::query("DROP TABLE temp.arrivals_to_place")
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(moved)
    }

    /// Enquiries not yet placed (for tests and the schedule's log).
    pub async fn unplaced_enquiries(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM enquiries WHERE placed = 0")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }
}
