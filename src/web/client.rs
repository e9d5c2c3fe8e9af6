//! Who is the client, for rate limiting only (addresses are never logged or stored).
//!
//! Behind a reverse proxy the TCP peer is the proxy, and `X-Forwarded-For` is a list
//! the client can prefill. So the header is believed only when the peer is a
//! configured proxy, and then only from the right: the right-most address that is not
//! itself a trusted proxy is the one the proxy saw.

use std::net::IpAddr;

use actix_web::HttpRequest;

use super::proxy_protocol::tor_circuit;

/// The unit one person controls, for the per-client limits: an IPv4 address, an IPv6
/// /64 (a subscriber is handed a whole /64 and can use any address in it), one Tor
/// circuit. Every limit keyed "per client" uses this, so none of them can be dodged by
/// walking through a /64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKey {
    V4([u8; 4]),
    /// The first 64 bits of an IPv6 address.
    V6([u8; 8]),
    /// One circuit to the onion service, as Tor exports it (PROXY protocol).
    Circuit(u32),
    /// The onion listener when Tor exports no circuit: everyone there shares this.
    Onion,
    /// No peer address (e.g. a unit test request): one shared bucket.
    Unknown,
}

/// The network a client belongs to, for the shares of the shared quotas: an IPv4 /24,
/// an IPv6 /48 (a site), or the onion service as a whole. A flood from one network
/// can use up that network's share and no more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetworkKey {
    V4([u8; 3]),
    V6([u8; 6]),
    Onion,
    Unknown,
}

impl ClientKey {
    pub fn from_ip(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self::V4(v4.octets()),
            // An IPv4 client seen through a dual-stack socket is that IPv4 client.
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::V4(v4.octets()),
                None => {
                    let mut prefix = [0u8; 8];
                    prefix.copy_from_slice(&v6.octets()[..8]);
                    Self::V6(prefix)
                }
            },
        }
    }

    pub fn network(&self) -> NetworkKey {
        match self {
            Self::V4([a, b, c, _]) => NetworkKey::V4([*a, *b, *c]),
            Self::V6(p) => {
                let mut site = [0u8; 6];
                site.copy_from_slice(&p[..6]);
                NetworkKey::V6(site)
            }
            Self::Circuit(_) | Self::Onion => NetworkKey::Onion,
            Self::Unknown => NetworkKey::Unknown,
        }
    }

    /// A stable encoding, for keyed hashes (never stored as it is: it is an address).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Self::V4(a) => [&[4u8][..], a].concat(),
            Self::V6(p) => [&[6u8][..], p].concat(),
            Self::Circuit(id) => [&[7u8][..], &id.to_be_bytes()].concat(),
            Self::Onion => vec![8],
            Self::Unknown => vec![0],
        }
    }

    /// Whether this client arrived through the onion service.
    pub fn is_onion(&self) -> bool {
        matches!(self, Self::Circuit(_) | Self::Onion)
    }
}

/// Set on every connection the onion listener accepts (`web::server`): the fact that
/// a request came through Tor belongs to its connection, not to anything it says.
#[derive(Debug, Clone, Copy)]
pub struct OnionConnection;

/// Whether the request arrived on the onion listener.
pub fn on_onion(req: &HttpRequest) -> bool {
    req.conn_data::<OnionConnection>().is_some()
}

pub fn client_key(req: &HttpRequest, trusted_proxies: &[IpAddr]) -> ClientKey {
    let peer = req.peer_addr().map(|a| a.ip());
    if on_onion(req) {
        // Tor is the peer. With `HAVEN_ONION_PROXY_PROTOCOL=on` the peer actix reports
        // is the source in Tor's PROXY header, which carries the circuit; forwarding
        // headers are never believed here (a visitor could write one to pick a bucket).
        return peer
            .and_then(tor_circuit)
            .map_or(ClientKey::Onion, ClientKey::Circuit);
    }
    let Some(peer) = peer else {
        return ClientKey::Unknown;
    };
    ClientKey::from_ip(resolve(
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

    #[test]
    fn an_ipv6_client_is_its_slash_64_and_its_network_the_slash_48() {
        let a = ClientKey::from_ip("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = ClientKey::from_ip("2001:db8:1:2:bbbb:cccc:dddd:eeee".parse().unwrap());
        let c = ClientKey::from_ip("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b, "one /64 is one client");
        assert_ne!(a, c);
        assert_eq!(a.network(), c.network(), "one /48 is one network");
        let d = ClientKey::from_ip("2001:db8:2:2::1".parse().unwrap());
        assert_ne!(a.network(), d.network());
        // IPv4 through a dual-stack socket is the IPv4 client.
        assert_eq!(
            ClientKey::from_ip("::ffff:192.0.2.7".parse().unwrap()),
            ClientKey::from_ip("192.0.2.7".parse().unwrap())
        );
        let x = ClientKey::from_ip("192.0.2.7".parse().unwrap());
        let y = ClientKey::from_ip("192.0.2.200".parse().unwrap());
        assert_ne!(x, y);
        assert_eq!(x.network(), y.network(), "one /24 is one network");
        assert_eq!(ClientKey::Circuit(7).network(), ClientKey::Onion.network());
    }

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
