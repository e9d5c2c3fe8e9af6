//! TOTP second factor (RFC 6238; OWASP ASVS 2.8) and single-use recovery codes.
//!
//! Production codes use the parameters every authenticator app supports: HMAC-SHA-1,
//! 6 digits, 30-second steps. A code is accepted for the current step and one step
//! either side (clock skew), and only once: the caller stores the step that
//! [`verify`] returns and passes it back as `last_step` next time. Guessing is
//! limited by the caller's rate limits, not here.

use secrecy::{ExposeSecret, SecretBox};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};
use zeroize::Zeroize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    #[error("the code is not valid")]
    Invalid,
    #[error("the code was already used")]
    Reused,
}

pub const DIGITS: usize = 6;
pub const STEP_SECONDS: i64 = 30;
/// Steps accepted either side of the current one.
pub const SKEW_STEPS: i64 = 1;
/// 160 bits, the HMAC-SHA-1 output size that RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;

pub struct TotpSecret(secrecy::SecretBox<Vec<u8>>);

impl TotpSecret {
    pub fn generate() -> Self {
        let mut bytes = vec![0u8; SECRET_BYTES];
        getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
        Self::from_bytes(bytes)
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(SecretBox::new(Box::new(bytes)))
    }

    /// Reads what [`base32`](Self::base32) wrote (case-insensitive; spaces and `=`
    /// padding ignored, as people copy it). `None` if it is not base32.
    pub fn from_base32(text: &str) -> Option<Self> {
        let mut bytes = Vec::with_capacity(text.len() * 5 / 8);
        let (mut acc, mut bits) = (0u32, 0u32);
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
            let v = BASE32
                .iter()
                .position(|&b| b == c.to_ascii_uppercase() as u8)?;
            acc = (acc << 5) | v as u32;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                bytes.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        acc.zeroize();
        Some(Self::from_bytes(bytes))
    }

    pub fn bytes(&self) -> &[u8] {
        self.0.expose_secret()
    }

    /// RFC 4648 base32 without padding, for typing into an authenticator app.
    pub fn base32(&self) -> String {
        let bytes = self.bytes();
        let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
        let (mut acc, mut bits) = (0u32, 0u32);
        for &b in bytes {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(BASE32[((acc >> bits) & 31) as usize] as char);
            }
            acc &= (1 << bits) - 1;
        }
        if bits > 0 {
            out.push(BASE32[((acc << (5 - bits)) & 31) as usize] as char);
        }
        acc.zeroize();
        out
    }
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Everything but RFC 3986's unreserved characters is percent-encoded (UTF-8), so
/// spaces become `%20` (the Key URI format wants that, not `+`) and a `:` or `&` in a
/// name cannot change the URI's structure.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The Key URI that authenticator apps read from a QR code:
/// `otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`.
pub fn otpauth_uri(secret: &TotpSecret, issuer: &str, account: &str) -> String {
    let issuer = percent_encode(issuer);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        account = percent_encode(account),
        secret = secret.base32(),
    )
}

/// Pixels per QR module: integral, so module edges fall on pixel edges.
const QR_MODULE_PX: usize = 5;
/// The four-module margin that the QR specification requires around the symbol.
const QR_QUIET_MODULES: usize = 4;

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The QR code of `text` as SVG markup to inline into an HTML page, labelled
/// "QR code". See [`qr_svg_labelled`].
pub fn qr_svg(text: &str) -> String {
    qr_svg_labelled(text, "QR code")
}

/// The QR code of `text` as SVG markup to inline into an HTML page, with `label` as
/// its accessible name (escaped here). Uses presentation attributes only (no `style`),
/// so the page's CSP needs no `'unsafe-inline'`; dark modules are one path of
/// horizontal runs. Text too long for a QR code (about 2 kB) gives a blank white
/// square with the same label, since the page also shows the secret for typing in.
pub fn qr_svg_labelled(text: &str, label: &str) -> String {
    use qrcode::{Color, EcLevel, QrCode};

    let label = xml_escape(label);
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M);
    let (modules, colors) = match &code {
        Ok(code) => (code.width(), code.to_colors()),
        Err(_) => (21, Vec::new()),
    };
    let side = modules + 2 * QR_QUIET_MODULES;
    let px = side * QR_MODULE_PX;
    let mut path = String::new();
    for (y, row) in colors.chunks(modules).enumerate() {
        let mut x = 0;
        while x < modules {
            if row[x] == Color::Dark {
                let start = x;
                while x < modules && row[x] == Color::Dark {
                    x += 1;
                }
                path.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + QR_QUIET_MODULES,
                    y + QR_QUIET_MODULES,
                    x - start,
                    x - start
                ));
            } else {
                x += 1;
            }
        }
    }
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}""#,
            r#" width="{px}" height="{px}" viewBox="0 0 {side} {side}" shape-rendering="crispEdges">"#,
            r#"<title>{label}</title>"#,
            r##"<rect width="{side}" height="{side}" fill="#fff"/>"##,
            r##"<path fill="#000" d="{path}"/></svg>"##,
        ),
        label = label,
        px = px,
        side = side,
        path = path,
    )
}

/// One HOTP value (RFC 4226) for a counter; TOTP is HOTP of `unix / step`. Generic
/// over algorithm and digits so the RFC 6238 test vectors run through it.
fn hotp(algorithm: Algorithm, digits: usize, key: &[u8], counter: u64) -> String {
    // With a one-second step, totp-rs's "time" is the counter itself.
    let mut totp = TOTP::new_unchecked(algorithm, digits, 0, 1, key.to_vec());
    let code = totp.generate(counter);
    totp.secret.zeroize();
    code
}

fn code_for_step(secret: &TotpSecret, step: u64) -> String {
    hotp(Algorithm::SHA1, DIGITS, secret.bytes(), step)
}

fn step_of(unix: i64) -> i64 {
    unix.div_euclid(STEP_SECONDS)
}

/// The 6-digit code for a time. Times before 1970 have no TOTP step; they get the
/// first step's code.
pub fn code_at(secret: &TotpSecret, unix: i64) -> String {
    code_for_step(secret, u64::try_from(step_of(unix)).unwrap_or(0))
}

/// Checks a code typed at `now_unix`, given the step of the last code accepted for
/// this secret. On success returns the step the code belongs to, for the caller to
/// store as the new `last_step`. Spaces in the input are ignored ("123 456"). All
/// steps in the window are computed and compared in constant time before deciding.
pub fn verify(
    secret: &TotpSecret,
    code: &str,
    now_unix: i64,
    last_step: Option<i64>,
) -> Result<i64, TotpError> {
    let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TotpError::Invalid);
    }
    let now = step_of(now_unix);
    let mut matched = Vec::with_capacity(3);
    for step in now - SKEW_STEPS..=now + SKEW_STEPS {
        let Ok(counter) = u64::try_from(step) else {
            continue;
        };
        let expected = code_for_step(secret, counter);
        if bool::from(expected.as_bytes().ct_eq(typed.as_bytes())) {
            matched.push(step);
        }
    }
    // Two steps in the window share a code about once in a million; take the later,
    // which spends both.
    let fresh = matched
        .iter()
        .copied()
        .filter(|&s| last_step.is_none_or(|last| s > last))
        .max();
    match (fresh, matched.is_empty()) {
        (Some(step), _) => Ok(step),
        (None, false) => Err(TotpError::Reused),
        (None, true) => Err(TotpError::Invalid),
    }
}

pub const RECOVERY_CODES: usize = 10;
/// Symbols per recovery code: 10 × 5 bits = 50 bits.
pub const RECOVERY_SYMBOLS: usize = 10;
/// Crockford's base 32: no I, L, O or U, so codes read aloud or copied by hand
/// survive.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Ten fresh recovery codes, distinct, each shown as `XXXXX-XXXXX`. Store only a
/// keyed hash of [`normalise_recovery_code`] of each.
pub fn generate_recovery_codes() -> Vec<String> {
    let mut codes: Vec<String> = Vec::with_capacity(RECOVERY_CODES);
    while codes.len() < RECOVERY_CODES {
        let mut bytes = [0u8; RECOVERY_SYMBOLS];
        getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
        // 256 is a multiple of 32, so taking five bits of each byte is unbiased.
        let symbols: String = bytes
            .iter()
            .map(|b| CROCKFORD[usize::from(b & 31)] as char)
            .collect();
        bytes.zeroize();
        let code = format!("{}-{}", &symbols[..5], &symbols[5..]);
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// The canonical form of a typed recovery code: ten upper-case Crockford symbols
/// with no separator, reading I and L as 1 and O as 0 and ignoring hyphens and
/// spaces. `None` if it is not a well-formed code.
pub fn normalise_recovery_code(input: &str) -> Option<String> {
    // Generous for separators, but bounded: this runs before any rate limit counts.
    if input.len() > 64 {
        return None;
    }
    let mut out = String::with_capacity(RECOVERY_SYMBOLS);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' => continue,
            c if c.is_whitespace() => continue,
            'I' | 'L' => '1',
            'O' => '0',
            c if c.is_ascii() && CROCKFORD.contains(&(c as u8)) => c,
            _ => return None,
        };
        out.push(c);
    }
    (out.len() == RECOVERY_SYMBOLS).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc_totp(algorithm: Algorithm, seed: &[u8], unix: i64) -> String {
        hotp(algorithm, 8, seed, step_of(unix) as u64)
    }

    const TIMES: [i64; 6] = [
        59,
        1111111109,
        1111111111,
        1234567890,
        2000000000,
        20000000000,
    ];

    #[test]
    fn rfc6238_appendix_b_sha1() {
        let seed = b"12345678901234567890";
        let expected = [
            "94287082", "07081804", "14050471", "89005924", "69279037", "65353130",
        ];
        for (t, want) in TIMES.iter().zip(expected) {
            assert_eq!(rfc_totp(Algorithm::SHA1, seed, *t), want, "t={t}");
        }
        // Production's 6-digit codes are the same values' last six digits.
        let secret = TotpSecret::from_bytes(seed.to_vec());
        for (t, want) in TIMES.iter().zip(expected) {
            assert_eq!(code_at(&secret, *t), want[2..], "t={t}");
        }
    }

    #[test]
    fn rfc6238_appendix_b_sha256() {
        let seed = b"12345678901234567890123456789012";
        let expected = [
            "46119246", "68084774", "67062674", "91819424", "90698825", "77737706",
        ];
        for (t, want) in TIMES.iter().zip(expected) {
            assert_eq!(rfc_totp(Algorithm::SHA256, seed, *t), want, "t={t}");
        }
    }

    #[test]
    fn rfc6238_appendix_b_sha512() {
        let seed = b"1234567890123456789012345678901234567890123456789012345678901234";
        let expected = [
            "90693936", "25091201", "99943326", "93441116", "38618901", "47863826",
        ];
        for (t, want) in TIMES.iter().zip(expected) {
            assert_eq!(rfc_totp(Algorithm::SHA512, seed, *t), want, "t={t}");
        }
    }

    #[test]
    fn generated_secret_is_160_random_bits() {
        let a = TotpSecret::generate();
        let b = TotpSecret::generate();
        assert_eq!(a.bytes().len(), 20);
        assert_ne!(a.bytes(), b.bytes());
        assert_eq!(a.base32().len(), 32);
    }

    #[test]
    fn base32_round_trip() {
        // RFC 4648 section 10 vectors, without padding.
        for (raw, enc) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            let s = TotpSecret::from_bytes(raw.as_bytes().to_vec());
            assert_eq!(s.base32(), enc);
            assert_eq!(
                TotpSecret::from_base32(enc).unwrap().bytes(),
                raw.as_bytes()
            );
        }
        let s = TotpSecret::generate();
        let back = TotpSecret::from_base32(&s.base32().to_lowercase()).unwrap();
        assert_eq!(back.bytes(), s.bytes());
        assert_eq!(
            TotpSecret::from_base32("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ")
                .unwrap()
                .bytes(),
            b"12345678901234567890"
        );
        assert!(TotpSecret::from_base32("not base32!").is_none());
        assert!(TotpSecret::from_base32("01").is_none());
    }

    #[test]
    fn verify_accepts_current_step_and_one_either_side() {
        let s = TotpSecret::generate();
        let now = 1_800_000_015;
        let step = now / 30;
        assert_eq!(verify(&s, &code_at(&s, now), now, None), Ok(step));
        assert_eq!(verify(&s, &code_at(&s, now - 30), now, None), Ok(step - 1));
        assert_eq!(verify(&s, &code_at(&s, now + 30), now, None), Ok(step + 1));
        // Two steps away is outside the window (unless it happens to collide).
        for off in [-60, 60, -90, 90] {
            let code = code_at(&s, now + off);
            if ![-30, 0, 30].iter().any(|o| code_at(&s, now + o) == code) {
                assert_eq!(
                    verify(&s, &code, now, None),
                    Err(TotpError::Invalid),
                    "{off}"
                );
            }
        }
    }

    #[test]
    fn verify_ignores_spaces() {
        let s = TotpSecret::generate();
        let now = 1_800_000_000;
        let code = code_at(&s, now);
        let spaced = format!(" {} {} ", &code[..3], &code[3..]);
        assert_eq!(verify(&s, &spaced, now, None), Ok(now / 30));
    }

    #[test]
    fn reused_code_rejected() {
        let s = TotpSecret::generate();
        let now = 1_800_000_000;
        let code = code_at(&s, now);
        let step = verify(&s, &code, now, None).unwrap();
        assert_eq!(verify(&s, &code, now, Some(step)), Err(TotpError::Reused));
        assert_eq!(
            verify(&s, &code, now + 10, Some(step)),
            Err(TotpError::Reused)
        );
        // An older code in the window is spent too once a later one was accepted.
        let earlier = code_at(&s, now - 30);
        if earlier != code {
            assert_eq!(
                verify(&s, &earlier, now, Some(step)),
                Err(TotpError::Reused)
            );
        }
        // The next step's code still works.
        let next = code_at(&s, now + 30);
        assert_eq!(verify(&s, &next, now + 30, Some(step)), Ok(step + 1));
    }

    #[test]
    fn wrong_or_malformed_code_invalid() {
        let s = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        let now = 59;
        assert_eq!(code_at(&s, now), "287082");
        for bad in [
            "287083",
            "",
            "28708",
            "2870820",
            "28708a",
            "287-082",
            "２８７０８２",
            "94287082",
        ] {
            assert_eq!(
                verify(&s, bad, now, None),
                Err(TotpError::Invalid),
                "{bad:?}"
            );
        }
        let other = TotpSecret::generate();
        let code = code_at(&other, now);
        if code != "287082" && code != code_at(&s, now - 30) && code != code_at(&s, now + 30) {
            assert_eq!(verify(&s, &code, now, None), Err(TotpError::Invalid));
        }
    }

    #[test]
    fn verify_near_and_before_epoch_does_not_panic() {
        let s = TotpSecret::generate();
        assert_eq!(verify(&s, &code_at(&s, 0), 0, None), Ok(0));
        assert_eq!(code_at(&s, -1), code_at(&s, 0));
        for t in [i64::MIN, -31, -1, i64::MAX] {
            let _ = verify(&s, "000000", t, Some(i64::MIN));
            let _ = code_at(&s, t);
        }
    }

    #[test]
    fn otpauth_uri_shape() {
        let s = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        let uri = otpauth_uri(&s, "Haven Relief", "ana@example.org");
        assert_eq!(
            uri,
            "otpauth://totp/Haven%20Relief:ana%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Haven%20Relief&algorithm=SHA1&digits=6&period=30"
        );
        let odd = otpauth_uri(&s, "A:B&C", "x?y#z é");
        assert!(
            odd.starts_with("otpauth://totp/A%3AB%26C:x%3Fy%23z%20%C3%A9?secret="),
            "{odd}"
        );
    }

    #[test]
    fn qr_svg_is_inline_safe() {
        let s = TotpSecret::generate();
        let svg = qr_svg(&otpauth_uri(&s, "Haven", "ana@example.org"));
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("style"));
        assert!(!svg.contains("<?xml"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-label="QR code""#));
        assert!(svg.contains("<title>QR code</title>"));
        assert!(svg.contains(r#"shape-rendering="crispEdges""#));
        // The path starts inside the quiet zone's edge: the finder pattern at (4,4).
        assert!(svg.contains(r#"d="M4 4h7v1h-7z"#), "{svg}");
    }

    #[test]
    fn qr_svg_escapes_label_and_survives_oversized_text() {
        let svg = qr_svg_labelled("x", r#"<b>"QR" & co</b>"#);
        assert!(svg.contains("&lt;b&gt;&quot;QR&quot; &amp; co&lt;/b&gt;"));
        assert!(!svg.contains("<b>"));
        let huge = qr_svg(&"x".repeat(10_000));
        assert!(huge.starts_with("<svg ") && huge.ends_with("</svg>"));
    }

    #[test]
    fn recovery_codes_format() {
        let codes = generate_recovery_codes();
        assert_eq!(codes.len(), 10);
        for c in &codes {
            assert_eq!(c.len(), 11, "{c}");
            assert_eq!(&c[5..6], "-");
            assert!(
                c.chars()
                    .filter(|&ch| ch != '-')
                    .all(|ch| CROCKFORD.contains(&(ch as u8))),
                "{c}"
            );
            assert_eq!(normalise_recovery_code(c).unwrap(), c.replace('-', ""));
        }
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        assert_ne!(codes, generate_recovery_codes());
    }

    #[test]
    fn recovery_code_normalisation() {
        assert_eq!(
            normalise_recovery_code("ABCDE-FGH12").as_deref(),
            Some("ABCDEFGH12")
        );
        assert_eq!(
            normalise_recovery_code(" abcde fgh12 ").as_deref(),
            Some("ABCDEFGH12")
        );
        assert_eq!(
            normalise_recovery_code("abcdefgh12").as_deref(),
            Some("ABCDEFGH12")
        );
        assert_eq!(
            normalise_recovery_code("oOiIl-LZZZZ").as_deref(),
            Some("001111ZZZZ")
        );
        for bad in [
            "",
            "ABCDE-FGH1",
            "ABCDE-FGH123",
            "ABCDE-FGHU2",
            "ABCDE_FGH12",
            "ÄBCDE-FGH12",
            "ABCDE-FGH1２",
        ] {
            assert_eq!(normalise_recovery_code(bad), None, "{bad}");
        }
        assert_eq!(
            normalise_recovery_code(&format!("ABCDE{}FGH12", " ".repeat(100))),
            None
        );
    }
}
