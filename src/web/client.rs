//! Who is the client, for rate limiting only (addresses are never logged or stored).
//!
//! Behind a reverse proxy the TCP peer is the proxy, and `X-Forwarded-For` is a list
//! the client can prefill. So the header is believed only when the peer is a
//! configured proxy, and then only from the right: the right-most address that is not
//! itself a trusted proxy is the one the proxy saw.

use std::net::{IpAddr, SocketAddr};

use actix_web::HttpRequest;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKey {
    Ip(IpAddr),
    /// Everyone on the onion listener arrives from 127.0.0.1: they share one bucket.
    Onion,
    /// No peer address (e.g. a unit test request): one shared bucket.
    Unknown,
}

/// The local address of the onion listener, stored as app data when one is configured.
#[derive(Debug, Clone, Copy)]
pub struct OnionListener(pub SocketAddr);

/// Whether the request arrived on the onion listener.
pub fn on_onion(req: &HttpRequest) -> bool {
    req.app_data::<OnionListener>()
        .is_some_and(|onion| req.app_config().local_addr() == onion.0)
}

/// Paths the onion listener never serves, whatever roles the process runs: Tor
/// visitors are the public, and they arrive from loopback, which `/metrics` trusts.
pub fn closed_to_onion(path: &str) -> bool {
    ["/console", "/admin", "/metrics"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

pub fn client_key(req: &HttpRequest, trusted_proxies: &[IpAddr]) -> ClientKey {
    if on_onion(req) {
        return ClientKey::Onion;
    }
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return ClientKey::Unknown;
    };
    ClientKey::Ip(resolve(
        peer,
        forwarded_for(req).as_deref(),
        trusted_proxies,
    ))
}

fn forwarded_for(req: &HttpRequest) -> Option<String> {
    let values: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// Pure form of the rule, for tests.
pub fn resolve(peer: IpAddr, forwarded_for: Option<&str>, trusted_proxies: &[IpAddr]) -> IpAddr {
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    let Some(list) = forwarded_for else {
        return peer;
    };
    for hop in list.rsplit(',').take(16) {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) if trusted_proxies.contains(&ip) => continue,
            Ok(ip) => return ip,
            // A garbled hop added by someone other than our proxies: stop believing the
            // list and key on the proxy itself (safe: that only makes limits stricter).
            Err(_) => return peer,
        }
    }
    peer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_spoofed_header_from_a_direct_client_is_ignored() {
        let trusted = [ip("10.0.0.2")];
        assert_eq!(
            resolve(ip("203.0.113.9"), Some("198.51.100.1"), &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_the_proxy_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = [ip("10.0.0.2"), ip("10.0.0.3")];
        // The client prefilled 1.2.3.4; the proxy appended the real address.
        assert_eq!(
            resolve(ip("10.0.0.2"), Some("1.2.3.4, 203.0.113.9"), &trusted),
            ip("203.0.113.9")
        );
        // Two proxies in a row.
        assert_eq!(
            resolve(
                ip("10.0.0.2"),
                Some("1.2.3.4, 203.0.113.9, 10.0.0.3"),
                &trusted
            ),
            ip("203.0.113.9")
        );
        assert_eq!(resolve(ip("10.0.0.2"), None, &trusted), ip("10.0.0.2"));
        assert_eq!(
            resolve(ip("10.0.0.2"), Some("1.2.3.4, junk"), &trusted),
            ip("10.0.0.2")
        );
    }
}
