//! CSRF protection for the public form, which has no session to bind a token to.
//!
//! Two checks: a token signed with the intake key that proves the form was fetched
//! from Haven recently (24 hours, as slow connections and hesitant people need), and
//! the browser's own `Sec-Fetch-Site`/`Origin` headers, which refuse a form posted
//! from another site. Staff pages use session-bound tokens instead (the staff sign-in
//! form, before there is a session, uses these tokens under the console's own key).

use actix_web::HttpRequest;

use crate::crypto::Keyed;

const LIFETIME_SECS: i64 = 24 * 3600;
/// Tolerated clock skew between instances that share the intake key.
const SKEW_SECS: i64 = 300;

/// `scope` binds the token to one form (e.g. `form:afghanistan-2021`).
pub fn issue(key: &impl Keyed, scope: &str, now: i64) -> String {
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).expect("the operating system's random number generator failed");
    let ts = now.to_be_bytes();
    let tag = key.mac("haven/csrf", &[scope.as_bytes(), &ts, &nonce]);
    format!(
        "{}{}{}",
        hex::encode(ts),
        hex::encode(nonce),
        hex::encode(&tag[..16])
    )
}

pub fn verify(key: &impl Keyed, scope: &str, token: &str, now: i64) -> bool {
    if token.len() != 64 {
        return false;
    }
    let Ok(raw) = hex::decode(token) else {
        return false;
    };
    let (ts, rest) = raw.split_at(8);
    let (nonce, tag) = rest.split_at(8);
    let issued = i64::from_be_bytes(ts.try_into().unwrap_or([0; 8]));
    let fresh = issued <= now + SKEW_SECS && now - issued <= LIFETIME_SECS;
    fresh && key.verify("haven/csrf", &[scope.as_bytes(), ts, nonce], tag)
}

/// When `token` (already verified) stops being accepted: after that it needs no memory
/// of having been used.
pub fn expires_at(token: &str) -> Option<i64> {
    let raw = hex::decode(token.get(..16)?).ok()?;
    let issued = i64::from_be_bytes(raw.try_into().ok()?);
    Some(issued.saturating_add(LIFETIME_SECS + SKEW_SECS))
}

/// False when the browser says the request came from another site.
pub fn same_origin(req: &HttpRequest) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    match (header("origin"), header("host")) {
        // Some privacy tools send `Origin: null`: the signed token still protects the form.
        (None, _) | (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host)),
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::IntakeKey;
    use actix_web::test::TestRequest;

    #[test]
    fn a_token_is_valid_for_its_form_for_a_day() {
        let key = IntakeKey::generate();
        let t = issue(&key, "form:a", 1_000_000);
        assert!(verify(&key, "form:a", &t, 1_000_000));
        assert!(verify(&key, "form:a", &t, 1_000_000 + LIFETIME_SECS));
        assert!(!verify(&key, "form:a", &t, 1_000_001 + LIFETIME_SECS));
        assert!(!verify(&key, "form:b", &t, 1_000_000));
        assert!(!verify(&IntakeKey::generate(), "form:a", &t, 1_000_000));
        let mut forged = t.clone().into_bytes();
        forged[63] = if forged[63] == b'0' { b'1' } else { b'0' };
        assert!(!verify(
            &key,
            "form:a",
            &String::from_utf8(forged).unwrap(),
            1_000_000
        ));
        assert!(!verify(&key, "form:a", "", 1_000_000));
        assert!(!verify(&key, "form:a", &"zz".repeat(32), 1_000_000));
    }

    #[test]
    fn cross_site_posts_are_refused() {
        let req = TestRequest::post()
            .insert_header(("host", "help.example.org"))
            .insert_header(("origin", "https://evil.example"))
            .to_http_request();
        assert!(!same_origin(&req));
        let req = TestRequest::post()
            .insert_header(("sec-fetch-site", "cross-site"))
            .to_http_request();
        assert!(!same_origin(&req));
        let req = TestRequest::post()
            .insert_header(("host", "help.example.org"))
            .insert_header(("origin", "https://help.example.org"))
            .insert_header(("sec-fetch-site", "same-origin"))
            .to_http_request();
        assert!(same_origin(&req));
        assert!(same_origin(&TestRequest::post().to_http_request()));
    }
}
