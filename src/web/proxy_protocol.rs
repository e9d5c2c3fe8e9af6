//! The PROXY protocol's version 1 header (HAProxy), read only on the onion listener.
//!
//! Tor's `HiddenServiceExportCircuitID haproxy` starts every connection to the onion
//! service with one line, `PROXY TCP6 fc00:dead:beef:4dad::AAAA:BBBB ::1 PORT PORT\r\n`,
//! whose source address carries the id of the circuit the visitor came through. Every
//! onion visitor arrives from loopback, so this id is the only thing that tells two of
//! them apart: the limits key on it (`web::client::ClientKey::Circuit`).
//!
//! The line is read one byte at a time, so nothing after it is consumed: the HTTP
//! request that follows reaches actix untouched.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};

/// The longest v1 header, CRLF included (the specification's own bound).
pub const MAX_V1_LEN: usize = 107;

/// How long a connection may take to send its header.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// What a PROXY v1 line says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyHeader {
    /// `TCP4` or `TCP6`: the original source.
    Source(SocketAddr),
    /// `UNKNOWN`: the proxy could not tell (health checks do this).
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProxyError {
    #[error("the connection did not start with a PROXY header")]
    Missing,
    #[error("the PROXY header is malformed")]
    Malformed,
    #[error("the PROXY header is longer than 107 bytes")]
    TooLong,
    #[error("the connection closed or failed before the PROXY header ended")]
    Io,
    #[error("the PROXY header did not arrive in time")]
    Timeout,
}

/// Parses one header line (with its CRLF).
pub fn parse_v1(line: &[u8]) -> Result<ProxyHeader, ProxyError> {
    if line.len() > MAX_V1_LEN {
        return Err(ProxyError::TooLong);
    }
    let text = line
        .strip_suffix(b"\r\n")
        .ok_or(ProxyError::Malformed)
        .and_then(|l| std::str::from_utf8(l).map_err(|_| ProxyError::Malformed))?;
    let rest = text.strip_prefix("PROXY ").ok_or(ProxyError::Missing)?;
    let mut parts = rest.split(' ');
    let family = parts.next().ok_or(ProxyError::Malformed)?;
    if family == "UNKNOWN" {
        // Whatever follows UNKNOWN is to be ignored (specification, 2.1).
        return Ok(ProxyHeader::Unknown);
    }
    let fields: Vec<&str> = parts.collect();
    let [source, destination, source_port, destination_port] = fields[..] else {
        return Err(ProxyError::Malformed);
    };
    let source: IpAddr = source.parse().map_err(|_| ProxyError::Malformed)?;
    let destination: IpAddr = destination.parse().map_err(|_| ProxyError::Malformed)?;
    let family_matches = match family {
        "TCP4" => source.is_ipv4() && destination.is_ipv4(),
        "TCP6" => source.is_ipv6() && destination.is_ipv6(),
        _ => false,
    };
    if !family_matches {
        return Err(ProxyError::Malformed);
    }
    let port = |p: &str| {
        // Decimal, no sign, no leading zeros (specification, 2.1).
        let plain = !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_digit())
            && (p == "0" || !p.starts_with('0'));
        plain
            .then(|| p.parse::<u16>().ok())
            .flatten()
            .ok_or(ProxyError::Malformed)
    };
    let source_port = port(source_port)?;
    port(destination_port)?;
    Ok(ProxyHeader::Source(SocketAddr::new(source, source_port)))
}

/// Reads the header line from the start of `io`, and not one byte more.
pub async fn read_v1<R: AsyncRead + Unpin>(io: &mut R) -> Result<ProxyHeader, ProxyError> {
    let mut line = Vec::with_capacity(MAX_V1_LEN);
    loop {
        let byte = io.read_u8().await.map_err(|_| ProxyError::Io)?;
        line.push(byte);
        // The signature is checked as soon as it could be, so a plain HTTP request sent
        // to a listener that expects the header is refused at its first bytes.
        if line.len() <= 6 && !b"PROXY ".starts_with(&line) {
            return Err(ProxyError::Missing);
        }
        if line.ends_with(b"\r\n") {
            return parse_v1(&line);
        }
        if line.len() >= MAX_V1_LEN {
            return Err(ProxyError::TooLong);
        }
    }
}

/// [`read_v1`] within [`HEADER_TIMEOUT`].
pub async fn read_v1_in_time<R: AsyncRead + Unpin>(io: &mut R) -> Result<ProxyHeader, ProxyError> {
    tokio::time::timeout(HEADER_TIMEOUT, read_v1(io))
        .await
        .unwrap_or(Err(ProxyError::Timeout))
}

/// The /64 Tor puts circuit ids in (`fc00:dead:beef:4dad::/64`, an RFC 4193 range).
const TOR_CIRCUIT_PREFIX: [u16; 4] = [0xfc00, 0xdead, 0xbeef, 0x4dad];

/// The Tor circuit id a source address carries, if it is one of Tor's.
pub fn tor_circuit(source: IpAddr) -> Option<u32> {
    let IpAddr::V6(v6) = source else {
        return None;
    };
    let s = v6.segments();
    (s[..4] == TOR_CIRCUIT_PREFIX && s[4] == 0 && s[5] == 0)
        .then(|| (u32::from(s[6]) << 16) | u32::from(s[7]))
}

/// The address Tor writes for circuit `id` (for tests and documentation).
pub fn tor_circuit_address(id: u32) -> Ipv6Addr {
    let [a, b, c, d] = TOR_CIRCUIT_PREFIX;
    Ipv6Addr::new(a, b, c, d, 0, 0, (id >> 16) as u16, (id & 0xffff) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_tor_writes_names_the_circuit() {
        // connection_edge.c: "PROXY TCP6 %s:%x:%x %s %d %d\r\n" with the prefix
        // "fc00:dead:beef:4dad:", the global circuit id split in two, "::1", the low
        // 16 bits as source port and the virtual port 0.
        let line = b"PROXY TCP6 fc00:dead:beef:4dad::2:a ::1 10 0\r\n";
        let ProxyHeader::Source(source) = parse_v1(line).unwrap() else {
            panic!("a source");
        };
        assert_eq!(tor_circuit(source.ip()), Some(0x0002_000a));
        assert_eq!(tor_circuit_address(0x0002_000a), source.ip());
        // The example in tor(1), HiddenServiceExportCircuitID.
        let ProxyHeader::Source(max) =
            parse_v1(b"PROXY TCP6 fc00:dead:beef:4dad::ffff:ffff ::1 65535 42\r\n").unwrap()
        else {
            panic!("a source");
        };
        assert_eq!(tor_circuit(max.ip()), Some(u32::MAX));
        assert_eq!(tor_circuit("fc00:dead:beef:4dae::1".parse().unwrap()), None);
        assert_eq!(tor_circuit("127.0.0.1".parse().unwrap()), None);
    }

    #[test]
    fn other_proxies_lines_parse_and_junk_is_refused() {
        assert_eq!(
            parse_v1(b"PROXY TCP4 192.0.2.1 192.0.2.2 56324 443\r\n"),
            Ok(ProxyHeader::Source("192.0.2.1:56324".parse().unwrap()))
        );
        assert_eq!(parse_v1(b"PROXY UNKNOWN\r\n"), Ok(ProxyHeader::Unknown));
        assert_eq!(
            parse_v1(b"PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n"),
            Ok(ProxyHeader::Unknown)
        );
        for bad in [
            &b"GET / HTTP/1.1\r\n"[..],
            b"PROXY TCP4 192.0.2.1 192.0.2.2 56324 443\n",
            b"PROXY TCP4 ::1 192.0.2.2 1 2\r\n",
            b"PROXY TCP6 192.0.2.1 ::1 1 2\r\n",
            b"PROXY TCP4 192.0.2.1 192.0.2.2 056324 443\r\n",
            b"PROXY TCP4 192.0.2.1 192.0.2.2 65536 443\r\n",
            b"PROXY TCP4 192.0.2.1 192.0.2.2 -1 443\r\n",
            b"PROXY TCP4 192.0.2.1 192.0.2.2 1\r\n",
            b"PROXY TCP4 192.0.2.1 192.0.2.2 1 2 3\r\n",
            b"PROXY TCP4  192.0.2.1 192.0.2.2 1 2\r\n",
            b"PROXY UDP4 192.0.2.1 192.0.2.2 1 2\r\n",
            b"PROXY \xff\r\n",
        ] {
            assert!(parse_v1(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let long = format!("PROXY UNKNOWN {}\r\n", "x".repeat(100));
        assert_eq!(parse_v1(long.as_bytes()), Err(ProxyError::TooLong));
    }

    #[tokio::test]
    async fn reading_stops_at_the_end_of_the_line() {
        let mut input: &[u8] = b"PROXY TCP6 fc00:dead:beef:4dad::0:7 ::1 7 0\r\nGET / HTTP/1.1\r\n";
        let header = read_v1(&mut input).await.unwrap();
        assert!(matches!(header, ProxyHeader::Source(_)));
        assert_eq!(input, b"GET / HTTP/1.1\r\n", "the request is left to read");

        let mut plain: &[u8] = b"GET /p/x HTTP/1.1\r\n\r\n";
        assert_eq!(read_v1(&mut plain).await, Err(ProxyError::Missing));
        let mut endless: &[u8] = &[b'P'; 1];
        assert_eq!(read_v1(&mut endless).await, Err(ProxyError::Io));
        let long = format!("PROXY UNKNOWN {}", "x".repeat(200));
        let mut long: &[u8] = long.as_bytes();
        assert_eq!(read_v1(&mut long).await, Err(ProxyError::TooLong));
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_parse_or_are_refused_without_panicking(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..160)) {
            let _ = parse_v1(&bytes);
        }

        #[test]
        fn every_circuit_id_survives_the_round_trip(id in proptest::prelude::any::<u32>()) {
            let line = format!("PROXY TCP6 {} ::1 {} 0\r\n", tor_circuit_address(id), id & 0xffff);
            let header = parse_v1(line.as_bytes());
            proptest::prop_assert!(matches!(header, Ok(ProxyHeader::Source(s)) if tor_circuit(s.ip()) == Some(id)));
        }
    }
}
