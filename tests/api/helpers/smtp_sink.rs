//! A real SMTP server for tests and the outbound benchmark: a tokio listener on
//! 127.0.0.1:0 that speaks enough SMTP for lettre (EHLO/HELO, MAIL FROM, RCPT TO, DATA
//! with dot-unstuffing, RSET, NOOP, QUIT) and records every transaction: the envelope
//! sender, every RCPT TO, and the message bytes exactly as received.
//!
//! Faults can be scripted per transaction number or per recipient: a reply code to the
//! end of DATA (421 also closes the connection, as servers do), or the connection
//! dropped in the middle of DATA.

// Shared by the integration tests and `ops/bench/outbound.rs`; each uses part of it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, BufWriter};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer this code to the end of DATA instead of 250.
    Reply(u16),
    /// Close the connection after the first line of message data.
    DropMidData,
}

#[derive(Debug, Clone)]
pub struct Transaction {
    /// 1-based, in the order MAIL FROM arrived.
    pub number: usize,
    pub from: String,
    pub rcpt: Vec<String>,
    /// The message after dot-unstuffing, CRLFs kept, without the final `.` line.
    pub data: Vec<u8>,
    /// Whether the sink answered 250 to the end of DATA.
    pub accepted: bool,
}

enum Selector {
    Nth(usize),
    Recipient(String),
}

struct Rule {
    on: Selector,
    fault: Fault,
    remaining: usize,
}

#[derive(Default)]
struct State {
    started: usize,
    transactions: Vec<Transaction>,
    rules: Vec<Rule>,
    delay: Duration,
    quickack: bool,
    /// Messages received whose final reply has not been sent yet.
    pending: usize,
    /// The name each EHLO or HELO greeted the sink with, in order.
    hellos: Vec<String>,
}

#[derive(Clone)]
pub struct SmtpSink {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind sink");
        let addr = listener.local_addr().expect("sink address");
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                tokio::spawn(session(stream, shared.clone()));
            }
        });
        Self { addr, state }
    }

    /// For `HAVEN_SMTP_URL`: plain SMTP (loopback only).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// The `n`th transaction (1-based) gets `fault`.
    pub fn fail_nth(&self, n: usize, fault: Fault) {
        self.lock().rules.push(Rule {
            on: Selector::Nth(n),
            fault,
            remaining: 1,
        });
    }

    /// The next `times` transactions to `recipient` get `fault` (rules for the same
    /// recipient are used up in the order they were added).
    pub fn fail_recipient(&self, recipient: &str, times: usize, fault: Fault) {
        self.lock().rules.push(Rule {
            on: Selector::Recipient(recipient.to_owned()),
            fault,
            remaining: times,
        });
    }

    /// Acknowledge every segment at once (Linux `TCP_QUICKACK`) instead of delaying
    /// ACKs as a stock TCP stack does. lettre writes the message and the final `.`
    /// separately without `TCP_NODELAY`, so against a delayed-ACK peer every message
    /// waits ~40 ms for the ACK of its body: the benchmark measures both ways.
    pub fn set_quickack(&self, on: bool) {
        self.lock().quickack = on;
    }

    /// Wait this long before answering the end of DATA (keeps messages in flight).
    pub fn set_delay(&self, delay: Duration) {
        self.lock().delay = delay;
    }

    /// Waits until some message is received but not yet answered (in flight at the
    /// sender); false on timeout.
    pub async fn wait_for_pending(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.lock().pending == 0 {
            if Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        true
    }

    pub fn transactions(&self) -> Vec<Transaction> {
        self.lock().transactions.clone()
    }

    /// The names clients greeted the sink with (EHLO or HELO), in order.
    pub fn hello_names(&self) -> Vec<String> {
        self.lock().hellos.clone()
    }

    pub fn accepted(&self) -> Vec<Transaction> {
        self.lock()
            .transactions
            .iter()
            .filter(|t| t.accepted)
            .cloned()
            .collect()
    }

    pub fn accepted_count(&self) -> usize {
        self.lock()
            .transactions
            .iter()
            .filter(|t| t.accepted)
            .count()
    }

    /// Waits until at least `n` transactions were accepted; false on timeout.
    pub async fn wait_for_accepted(&self, n: usize, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.accepted_count() < n {
            if Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("sink state")
    }
}

fn take_fault(state: &mut State, number: usize, rcpt: &[String]) -> Option<Fault> {
    let rule = state.rules.iter_mut().find(|r| {
        r.remaining > 0
            && match &r.on {
                Selector::Nth(n) => *n == number,
                Selector::Recipient(a) => rcpt.iter().any(|r| r.eq_ignore_ascii_case(a)),
            }
    })?;
    rule.remaining -= 1;
    Some(rule.fault)
}

/// `MAIL FROM:<a@b> SIZE=1` → `a@b`.
fn path_of(arg: &str) -> String {
    let arg = arg.trim();
    match (arg.find('<'), arg.find('>')) {
        (Some(s), Some(e)) if s < e => arg[s + 1..e].to_owned(),
        _ => arg.split_whitespace().next().unwrap_or("").to_owned(),
    }
}

async fn session(stream: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    let quickack = state.lock().expect("sink state").quickack;
    let (read, write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut out = BufWriter::new(write);
    reply(&mut out, "220 sink.test ESMTP ready\r\n").await?;

    let mut line = Vec::new();
    let mut txn: Option<(usize, String, Vec<String>)> = None;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        if quickack {
            // The kernel drops back to delayed ACKs by itself: set it after every read.
            quick_ack(reader.get_ref());
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, arg) = text.split_once([' ', ':']).unwrap_or((text, ""));
        match verb.to_ascii_uppercase().as_str() {
            "EHLO" => {
                greeted(&state, arg);
                reply(
                    &mut out,
                    "250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                )
                .await?
            }
            "HELO" => {
                greeted(&state, arg);
                reply(&mut out, "250 sink.test\r\n").await?
            }
            "MAIL" => {
                let number = {
                    let mut s = state.lock().expect("sink state");
                    s.started += 1;
                    s.started
                };
                let from = path_of(
                    arg.trim_start_matches([':', ' '])
                        .trim_start_matches("FROM:"),
                );
                txn = Some((number, from, Vec::new()));
                reply(&mut out, "250 2.1.0 OK\r\n").await?;
            }
            "RCPT" => match &mut txn {
                Some((_, _, rcpt)) => {
                    let arg = arg.trim_start_matches([':', ' ']);
                    let arg = arg
                        .strip_prefix("TO:")
                        .or_else(|| arg.strip_prefix("to:"))
                        .unwrap_or(arg);
                    rcpt.push(path_of(arg));
                    reply(&mut out, "250 2.1.5 OK\r\n").await?;
                }
                None => reply(&mut out, "503 5.5.1 MAIL first\r\n").await?,
            },
            "DATA" => {
                let Some((number, from, rcpt)) = txn.take() else {
                    reply(&mut out, "503 5.5.1 MAIL first\r\n").await?;
                    continue;
                };
                if rcpt.is_empty() {
                    reply(&mut out, "554 5.5.1 no valid recipients\r\n").await?;
                    continue;
                }
                let (fault, delay) = {
                    let mut s = state.lock().expect("sink state");
                    (take_fault(&mut s, number, &rcpt), s.delay)
                };
                reply(&mut out, "354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = Vec::new();
                let mut first = true;
                loop {
                    line.clear();
                    if reader.read_until(b'\n', &mut line).await? == 0 {
                        return Ok(());
                    }
                    if quickack {
                        quick_ack(reader.get_ref());
                    }
                    if first && fault == Some(Fault::DropMidData) {
                        record(&state, number, from, rcpt, data, false);
                        return Ok(());
                    }
                    first = false;
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                    let unstuffed = if line.starts_with(b".") {
                        &line[1..]
                    } else {
                        &line[..]
                    };
                    data.extend_from_slice(unstuffed);
                }
                state.lock().expect("sink state").pending += 1;
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                state.lock().expect("sink state").pending -= 1;
                match fault {
                    Some(Fault::Reply(code)) => {
                        record(&state, number, from, rcpt, data, false);
                        let text = match code {
                            421 => "421 4.3.2 closing, try later\r\n".to_owned(),
                            c if c >= 500 => format!("{c} 5.1.1 rejected\r\n"),
                            c => format!("{c} 4.3.0 try again later\r\n"),
                        };
                        reply(&mut out, &text).await?;
                        if code == 421 {
                            return Ok(());
                        }
                    }
                    _ => {
                        record(&state, number, from, rcpt, data, true);
                        reply(&mut out, "250 2.0.0 queued\r\n").await?;
                    }
                }
            }
            "RSET" => {
                txn = None;
                reply(&mut out, "250 2.0.0 OK\r\n").await?;
            }
            "NOOP" => reply(&mut out, "250 2.0.0 OK\r\n").await?,
            "QUIT" => {
                reply(&mut out, "221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => reply(&mut out, "502 5.5.2 not implemented\r\n").await?,
        }
    }
}

#[cfg(target_os = "linux")]
fn quick_ack(read: &tokio::net::tcp::OwnedReadHalf) {
    let _ = read.as_ref().set_quickack(true);
}

#[cfg(not(target_os = "linux"))]
fn quick_ack(_read: &tokio::net::tcp::OwnedReadHalf) {}

async fn reply(out: &mut BufWriter<OwnedWriteHalf>, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes()).await?;
    out.flush().await
}

fn greeted(state: &Mutex<State>, name: &str) {
    state
        .lock()
        .expect("sink state")
        .hellos
        .push(name.trim().to_owned());
}

fn record(
    state: &Mutex<State>,
    number: usize,
    from: String,
    rcpt: Vec<String>,
    data: Vec<u8>,
    accepted: bool,
) {
    state
        .lock()
        .expect("sink state")
        .transactions
        .push(Transaction {
            number,
            from,
            rcpt,
            data,
            accepted,
        });
}
