//! When an enquiry arrived is known to the hour and no finer: not from Haven's logs,
//! not from the proxies' logs, not from ids, not from where rows sit in the database
//! (SQLite rowid or file offsets, PostgreSQL ctid, xmin or TOAST ids).

use std::collections::HashMap;

use haven::store::test_support;
use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{SLUG, Settings, TestApp, on_postgres, spawn_with, valid_answers};
use crate::processes::{Installation, inbox_status, submit_form};

/// Kendall's tau-b between two rankings of the same items: 1 for the same order, -1 for
/// the reverse, near 0 for unrelated ones. Ties (rows sharing one xmin) count as no
/// information; if one side is all ties, there is no order to correlate: 0.
fn kendall_tau(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    let (mut concordant, mut discordant, mut ties_a, mut ties_b) = (0f64, 0f64, 0f64, 0f64);
    for i in 0..a.len() {
        for j in i + 1..a.len() {
            // (Not `signum`: it calls 0.0 positive.)
            let da = a[i].total_cmp(&a[j]);
            let db = b[i].total_cmp(&b[j]);
            match (da.is_eq(), db.is_eq()) {
                (true, true) => {}
                (true, false) => ties_a += 1.0,
                (false, true) => ties_b += 1.0,
                (false, false) if da == db => concordant += 1.0,
                _ => discordant += 1.0,
            }
        }
    }
    let denominator =
        ((concordant + discordant + ties_a) * (concordant + discordant + ties_b)).sqrt();
    if denominator == 0.0 {
        0.0
    } else {
        (concordant - discordant) / denominator
    }
}

/// How many enquiries the test sends, and how far from zero tau may be. With 60 items
/// tau's standard deviation under "no relation" is 0.088: 0.4 is 4.5 of them (about one
/// false alarm in 150,000 per measure), while any arrival-ordered layout scores near 1.
const N: usize = 60;
const MAX_TAU: f64 = 0.4;

#[test]
fn the_measure_flags_a_sequential_layout_and_passes_a_shuffled_one() {
    let arrival: Vec<f64> = (0..N).map(|i| i as f64).collect();
    assert!((kendall_tau(&arrival, &arrival) - 1.0).abs() < 1e-9);
    let reversed: Vec<f64> = arrival.iter().rev().copied().collect();
    assert!((kendall_tau(&arrival, &reversed) + 1.0).abs() < 1e-9);
    // Pages of rows in arrival order (ties within a page) are still caught.
    let pages: Vec<f64> = arrival.iter().map(|i| (i / 8.0).floor()).collect();
    assert!(kendall_tau(&arrival, &pages) > 0.9);
    // A fixed "random" permutation (multiplication by a unit mod 61).
    let shuffled: Vec<f64> = (1..=N as u64).map(|i| ((i * 17) % 61) as f64).collect();
    assert!(kendall_tau(&arrival, &shuffled).abs() < MAX_TAU);
    assert_eq!(kendall_tau(&arrival, &vec![3.0; N]), 0.0, "all ties");
}

fn assert_uncorrelated(what: &str, arrival: &[f64], position: &[f64]) {
    let tau = kendall_tau(arrival, position);
    println!("{what}: tau {tau:.3}");
    assert!(
        tau.abs() < MAX_TAU,
        "{what} follows arrival order: tau {tau:.3} over {} enquiries",
        arrival.len()
    );
}

/// Sends N enquiries one after another; returns their ids in the order they arrived.
/// Their answers are long enough (2.5 to 4 KB) that each ciphertext spills out of its
/// row: overflow pages on SQLite, TOAST on PostgreSQL.
async fn submit_in_sequence(app: &TestApp) -> Vec<String> {
    let mut arrived = Vec::new();
    let mut known: std::collections::BTreeSet<String> = Default::default();
    for i in 0..N {
        let mut fields = valid_answers();
        fields.retain(|(k, _)| *k != "situation");
        let story = format!("Enquiry number {i}. ") + &"I need help to leave. ".repeat(110 + i);
        fields.push(("situation", story.chars().take(4000).collect()));
        let res = app.post_form(&format!("/p/{SLUG}"), &fields).await;
        assert_eq!(res.status(), StatusCode::OK);
        let ids: std::collections::BTreeSet<String> = app
            .store
            .enquiries_of_programme(&app.programme_id().await)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        let new: Vec<&String> = ids.difference(&known).collect();
        assert_eq!(new.len(), 1);
        arrived.push(new[0].clone());
        known = ids;
    }
    arrived
}

/// Where each id sits in `order` (ties share a rank).
fn positions(arrived: &[String], of: &HashMap<String, f64>) -> Vec<f64> {
    arrived
        .iter()
        .map(|id| *of.get(id).unwrap_or_else(|| panic!("{id} not measured")))
        .collect()
}

fn ranks(ids: Vec<String>) -> HashMap<String, f64> {
    ids.into_iter()
        .enumerate()
        .map(|(i, id)| (id, i as f64))
        .collect()
}

#[tokio::test]
async fn neither_ids_nor_where_rows_sit_follow_the_order_enquiries_arrived_in() {
    let app = spawn_with(Settings {
        config_file: Some("[rate_limits]\nsubmissions_per_client_per_hour = 1000\n".into()),
        ..Settings::default()
    })
    .await;
    let arrived = submit_in_sequence(&app).await;
    let arrival: Vec<f64> = (0..N).map(|i| i as f64).collect();

    // Once their hour has closed, the worker re-places them (here: the test's hour).
    let placed = app
        .store
        .place_arrivals(haven::store::hour_of(haven::store::now()) + 3600)
        .await
        .unwrap();
    assert_eq!(placed, N as u64);
    assert_eq!(app.store.unplaced_enquiries().await.unwrap(), 0);
    // The enquiries are all still there and still open.
    assert_eq!(app.count().await, N as i64);

    let mut sorted = arrived.clone();
    sorted.sort();
    assert_uncorrelated("id order", &arrival, &positions(&arrived, &ranks(sorted)));

    // The order a scan of the table returns rows in is their physical order (asking for
    // a column no index holds makes it read the table itself).
    let scanned: Vec<String> = rows(
        &app,
        "SELECT id FROM (SELECT id, length(ciphertext) AS n FROM enquiries) AS t WHERE n > 0",
    )
    .await
    .iter()
    .map(|r| r.try_get("id").unwrap())
    .collect();
    assert_uncorrelated(
        "scan order",
        &arrival,
        &positions(&arrived, &ranks(scanned)),
    );

    if on_postgres() {
        postgres_positions(&app, &arrived, &arrival).await;
    } else {
        sqlite_positions(&app, &arrived, &arrival).await;
    }
}

async fn rows(app: &TestApp, sql: &'static str) -> Vec<sqlx::any::AnyRow> {
    test_support::fetch_all(&app.store, sql, &[]).await.unwrap()
}

/// ctid (page, slot), xmin and the TOAST value id of each ciphertext.
async fn postgres_positions(app: &TestApp, arrived: &[String], arrival: &[f64]) {
    let places = rows(
        app,
        "SELECT id, ctid::text AS c, xmin::text AS x FROM enquiries",
    )
    .await;
    let mut ctid = HashMap::new();
    let mut xmin = HashMap::new();
    for row in places {
        let id: String = row.try_get("id").unwrap();
        let c: String = row.try_get("c").unwrap();
        let x: String = row.try_get("x").unwrap();
        let (page, slot) = c
            .trim_matches(|ch| ch == '(' || ch == ')')
            .split_once(',')
            .unwrap();
        let place = page.parse::<f64>().unwrap() * 10_000.0 + slot.parse::<f64>().unwrap();
        ctid.insert(id.clone(), place);
        xmin.insert(id, x.parse::<f64>().unwrap());
    }
    assert_uncorrelated("ctid", arrival, &positions(arrived, &ctid));
    assert_uncorrelated("xmin", arrival, &positions(arrived, &xmin));

    // TOAST ids: the toast table's first chunk of each value starts with the value's
    // first bytes (age ciphertexts do not compress), which are unique to each. The toast
    // table's name is only known at run time: a function reads it.
    test_support::execute(
        &app.store,
        "CREATE FUNCTION haven_test_toast_heads() RETURNS TABLE (chunk bigint, head bytea) \
         LANGUAGE plpgsql AS $$ DECLARE t regclass; BEGIN \
           SELECT reltoastrelid INTO t FROM pg_class WHERE relname = 'enquiries'; \
           RETURN QUERY EXECUTE format('SELECT chunk_id::bigint, \
             substring(chunk_data from 1 for 96) FROM %s WHERE chunk_seq = 0', t); \
         END $$",
        &[],
    )
    .await
    .unwrap();
    let chunks: Vec<(i64, Vec<u8>)> = rows(app, "SELECT chunk, head FROM haven_test_toast_heads()")
        .await
        .iter()
        .map(|r| (r.try_get("chunk").unwrap(), r.try_get("head").unwrap()))
        .collect();
    let heads: Vec<(String, Vec<u8>)> = rows(
        app,
        "SELECT id, substring(ciphertext from 1 for 96) AS head FROM enquiries",
    )
    .await
    .iter()
    .map(|r| (r.try_get("id").unwrap(), r.try_get("head").unwrap()))
    .collect();
    let mut toast_id = HashMap::new();
    for (id, head) in heads {
        if let Some((chunk, _)) = chunks.iter().find(|(_, data)| *data == head) {
            toast_id.insert(id, *chunk as f64);
        }
    }
    assert_eq!(toast_id.len(), N, "every ciphertext is out of line");
    assert_uncorrelated("TOAST value id", arrival, &positions(arrived, &toast_id));
}

/// Where in the database file each ciphertext's first and last bytes are (its row in
/// a leaf page, and its last overflow page).
async fn sqlite_positions(app: &TestApp, arrived: &[String], arrival: &[f64]) {
    // A rowid table numbers rows as they arrive; the table is WITHOUT ROWID (and if it
    // ever were not, re-placing would have numbered them again at random).
    if let Ok(rowids) =
        test_support::fetch_all(&app.store, "SELECT id, rowid AS r FROM enquiries", &[]).await
    {
        let of: HashMap<String, f64> = rowids
            .iter()
            .map(|r| {
                let id: String = r.try_get("id").unwrap();
                let n: i64 = r.try_get("r").unwrap();
                (id, n as f64)
            })
            .collect();
        assert_uncorrelated("rowid", arrival, &positions(arrived, &of));
    }
    test_support::execute(&app.store, "PRAGMA wal_checkpoint(TRUNCATE)", &[])
        .await
        .unwrap();
    let file = std::fs::read(app.config.data_dir.join("haven.db")).unwrap();
    let rows: Vec<(String, Vec<u8>)> = rows(app, "SELECT id, ciphertext FROM enquiries")
        .await
        .iter()
        .map(|r| (r.try_get("id").unwrap(), r.try_get("ciphertext").unwrap()))
        .collect();
    let find = |needle: &[u8]| -> f64 {
        file.windows(needle.len())
            .position(|w| w == needle)
            .expect("the ciphertext is in the file") as f64
    };
    let mut start = HashMap::new();
    let mut end = HashMap::new();
    for (id, ciphertext) in rows {
        // Past the fixed age header: the stanza's ephemeral share is unique.
        start.insert(id.clone(), find(&ciphertext[40..72]));
        end.insert(id, find(&ciphertext[ciphertext.len() - 32..]));
    }
    assert_uncorrelated(
        "file offset of the row",
        arrival,
        &positions(arrived, &start),
    );
    assert_uncorrelated(
        "file offset of the last overflow page",
        arrival,
        &positions(arrived, &end),
    );
}

#[tokio::test]
#[ignore = "PostgreSQL only (SQLite defers every reference check inside the re-placing transaction): .ci/run runs it with HAVEN_TEST_POSTGRES_URL and --include-ignored"]
async fn every_table_that_refers_to_enquiries_lets_them_be_re_placed() {
    // Re-placing deletes and writes rows again in one transaction: a reference to an
    // enquiry that is checked at once (PostgreSQL's default) would refuse it.
    assert!(
        on_postgres(),
        "references are declared per backend; set HAVEN_TEST_POSTGRES_URL"
    );
    let app = spawn_with(Settings::default()).await;
    let strict: Vec<String> = rows(
        &app,
        "SELECT conrelid::regclass::text || '.' || conname AS name FROM pg_constraint \
         WHERE confrelid = 'enquiries'::regclass AND NOT condeferrable",
    )
    .await
    .iter()
    .map(|r| r.try_get("name").unwrap())
    .collect();
    assert!(
        strict.is_empty(),
        "declare these DEFERRABLE (see migrations/postgres/0031): {strict:?}"
    );
}

#[tokio::test]
async fn re_placing_keeps_an_enquirys_notes_replies_and_messages() {
    use crate::staff::{signed_in, submit_enquiry};
    use haven::casework::ProgrammeRole::Supervisor;
    let app = spawn_with(Settings::default()).await;
    let (id, _) = submit_enquiry(&app, SLUG).await;
    let mut staff = signed_in(&app, "sup@example.org", Supervisor, Some(SLUG)).await;
    let path = format!("/console/e/{id}");
    let note = staff
        .post(
            &path,
            &format!("{path}/note"),
            &[("text", "Called back".into())],
        )
        .await;
    assert_eq!(note.status, StatusCode::SEE_OTHER, "{}", note.body);
    let placed = app
        .store
        .place_arrivals(haven::store::hour_of(haven::store::now()) + 3600)
        .await
        .unwrap();
    assert_eq!(placed, 1);
    let page = staff.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Called back"), "the note is still there");
}

/// The real binary at its usual level: submissions and inbox attempts leave no line,
/// and no line carries a time finer than the minute.
#[tokio::test]
async fn the_public_role_logs_no_submission_and_no_time_finer_than_a_minute() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::database_url(dir.path()).await;
    let install = Installation::new(dir.path(), &url);
    install.apply_example();
    let server = install.serve("public", &["public"]).await;
    let client = reqwest::Client::new();
    let receipt = submit_form(&client, &server.base, &[]).await.unwrap();
    submit_form(&client, &server.base, &[("full_name", String::new())])
        .await
        .unwrap_err();
    inbox_status(&client, &server.base, &receipt).await;
    let log = server.log_text();
    assert!(
        log.contains("route=/p/{slug}"),
        "page views are logged: {log}"
    );
    for line in log.lines() {
        assert!(
            !(line.contains("method=POST") && line.contains("/p/")),
            "a public POST was logged: {line}"
        );
        let stamp = line.split_whitespace().next().unwrap_or("");
        assert!(
            stamp.len() == "2025-12-01T14:40Z".len() && stamp.ends_with('Z'),
            "a time finer than the minute: {line}"
        );
    }
}

/// The proxies in `ops/proxy/` keep no access log for the public site and the onion
/// service, or one without statuses and with times to the minute, never for POSTs.
#[test]
fn the_proxy_configs_log_no_submission_timing() {
    let nginx = include_str!("../../ops/proxy/nginx.conf");
    let mut server = String::new();
    let mut formats: HashMap<String, String> = HashMap::new();
    // Commented-out lines count: they are there to be switched on.
    for line in nginx
        .lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
    {
        if let Some(rest) = line.strip_prefix("log_format ") {
            let (name, format) = rest.split_once(' ').unwrap();
            formats.insert(name.to_owned(), format.to_owned());
        }
        if let Some(name) = line.strip_prefix("server_name ") {
            server = name.trim_end_matches(';').to_owned();
        }
        let public = server == "help.example.org" || server == "_";
        if public && let Some(rest) = line.strip_prefix("access_log ") {
            let rest = rest.trim_end_matches(';');
            if rest == "off" {
                continue;
            }
            let format = rest.split_whitespace().nth(1).expect("a named format");
            let text = &formats[format];
            assert!(
                !text.contains("$status")
                    && !text.contains("$msec")
                    && !text.contains("$time_iso8601")
                    && !text.contains("$time_local")
                    && !text.contains("$request_time"),
                "{server}: format {format} logs statuses or fine times: {text}"
            );
            assert!(
                rest.contains("if=$haven_not_a_post"),
                "{server}: POSTs must not be logged: {line}"
            );
        }
    }
    // Caddy logs nothing unless a site says `log`; the public and onion sites do not.
    let caddy = include_str!("../../ops/proxy/Caddyfile");
    let public_sites = caddy
        .split("\nconsole.internal.example.org")
        .next()
        .unwrap();
    assert!(
        !public_sites
            .lines()
            .any(|l| l.trim() == "log" || l.trim().starts_with("log {")),
        "a public Caddy site has an access log"
    );
}
