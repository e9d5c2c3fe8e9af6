//! A staff member's browser: keeps the session cookie by hand (so tests can plant,
//! replay and inspect it), follows the sign-in steps, and posts forms with the page's
//! CSRF token.

use std::sync::Arc;

use haven::auth::accounts::{AccountRequest, create_account};
use haven::auth::totp::{self, TotpSecret};
use haven::casework::ProgrammeRole;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};

use crate::helpers::{TestApp, extract_input};

pub const PASSWORD: &str = "correct horse battery staple 42";

/// Creates an account as `haven user add` does; returns its id.
pub async fn add_user(
    app: &TestApp,
    email: &str,
    role: ProgrammeRole,
    programme: Option<&str>,
) -> String {
    let hasher = Arc::new(
        app.keyring()
            .await
            .password_hasher(app.config.password_cost),
    );
    create_account(
        &app.store,
        hasher,
        AccountRequest {
            email,
            role,
            programme,
            password: PASSWORD,
        },
        &haven::audit::Actor::Cli,
    )
    .await
    .expect("account created")
}

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookie: Vec<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

pub struct Staff {
    pub base: String,
    pub client: reqwest::Client,
    pub cookie: Option<String>,
    pub totp: Option<TotpSecret>,
    store: Option<haven::store::Store>,
    pub email: String,
    pub id: String,
}

impl Staff {
    pub fn new(app: &TestApp, email: &str, id: &str) -> Self {
        let mut s = Self::at(&app.addr, email);
        s.store = Some(app.store.clone());
        s.id = id.to_owned();
        s
    }

    /// A browser for a Haven at `base` that the test did not build (a real binary).
    pub fn at(base: &str, email: &str) -> Self {
        Self {
            base: base.to_owned(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            cookie: None,
            totp: None,
            store: None,
            email: email.to_owned(),
            id: String::new(),
        }
    }

    pub async fn finish(&mut self, res: reqwest::Response) -> Page {
        let status = res.status();
        let headers = res.headers().clone();
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let set_cookie: Vec<String> = headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        for c in &set_cookie {
            if let Some(rest) = c.strip_prefix("__Host-haven=") {
                let value = rest.split(';').next().unwrap_or("").to_owned();
                self.cookie = (!value.is_empty()).then_some(value);
            }
        }
        let body = res.text().await.expect("body");
        Page {
            status,
            location,
            set_cookie,
            headers,
            body,
        }
    }

    pub fn with_cookie(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.cookie {
            Some(c) => req.header(COOKIE, format!("__Host-haven={c}")),
            None => req,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = self.with_cookie(self.client.get(format!("{}{path}", self.base)));
        let res = req.send().await.expect("GET");
        self.finish(res).await
    }

    /// Posts exactly these fields (no token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, String)]) -> Page {
        let req = self.with_cookie(self.client.post(format!("{}{path}", self.base)));
        let res = req.form(fields).send().await.expect("POST");
        self.finish(res).await
    }

    /// Posts `fields` with the CSRF token from the page at `form_page`.
    pub async fn post(&mut self, form_page: &str, path: &str, fields: &[(&str, String)]) -> Page {
        let page = self.get(form_page).await;
        let token = extract_input(&page.body, "csrf").unwrap_or_else(|| {
            panic!(
                "{form_page} has no csrf field ({}): {}",
                page.status, page.body
            )
        });
        let mut all = vec![("csrf", token)];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Password step only.
    pub async fn password_step(&mut self, password: &str) -> Page {
        self.post(
            "/console/sign-in",
            "/console/sign-in",
            &[
                ("email", self.email.clone()),
                ("password", password.to_owned()),
            ],
        )
        .await
    }

    /// The authenticator's current code.
    pub fn next_code(&mut self) -> String {
        totp::code_at(self.totp.as_ref().expect("enrolled"), haven::store::now())
    }

    /// A code works once, and real time moves one step per 30 s; tests that sign in
    /// again at once move the account's "last used step" back instead of waiting.
    pub async fn pretend_time_passed(&self) {
        haven::store::test_support::execute(
            self.store.as_ref().expect("a test-built app"),
            "UPDATE users SET totp_last_step = totp_last_step - 3 WHERE id = $1",
            &[(&self.id).into()],
        )
        .await
        .expect("rewind");
    }

    /// Signs in completely: enrols TOTP the first time, else answers the code.
    pub async fn sign_in(&mut self) -> Page {
        let page = self.password_step(PASSWORD).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "password step: {}",
            page.body
        );
        match page.location.as_deref() {
            Some("/console/enrol") => {
                let form = self.get("/console/enrol").await;
                let secret = extract_input(&form.body, "secret").expect("secret on enrol page");
                let bytes = totp_rs::Secret::Encoded(secret).to_bytes().expect("base32");
                self.totp = Some(TotpSecret::from_bytes(bytes));
                let code = self.next_code();
                let done = self
                    .post(
                        "/console/enrol",
                        "/console/enrol",
                        &[
                            ("secret", extract_input(&form.body, "secret").unwrap()),
                            (
                                "secret_mac",
                                extract_input(&form.body, "secret_mac").unwrap(),
                            ),
                            ("code", code),
                        ],
                    )
                    .await;
                assert_eq!(done.status, StatusCode::OK, "enrolment: {}", done.body);
                done
            }
            Some("/console/sign-in/code") => {
                self.pretend_time_passed().await;
                let code = self.next_code();
                let done = self
                    .post(
                        "/console/sign-in/code",
                        "/console/sign-in/code",
                        &[("code", code)],
                    )
                    .await;
                assert_eq!(
                    done.status,
                    StatusCode::SEE_OTHER,
                    "code step: {}",
                    done.body
                );
                done
            }
            other => panic!("unexpected next step {other:?}"),
        }
    }
}

/// Creates an account and signs it in.
pub async fn signed_in(
    app: &TestApp,
    email: &str,
    role: ProgrammeRole,
    programme: Option<&str>,
) -> Staff {
    let id = add_user(app, email, role, programme).await;
    let mut s = Staff::new(app, email, &id);
    s.sign_in().await;
    // Each programme's handling rules are read and acknowledged before its first page
    // (console::handling); the stories below start after that.
    let slugs: Vec<String> = match programme {
        Some(slug) => vec![slug.to_owned()],
        None => app
            .store
            .programme_ids()
            .await
            .unwrap()
            .into_iter()
            .map(|(_, slug)| slug)
            .collect(),
    };
    for slug in slugs {
        s.acknowledge_rules(&slug).await;
    }
    s
}

impl Staff {
    /// Reads a programme's handling rules and acknowledges them, as a staff member does
    /// before their first look at its queues.
    pub async fn acknowledge_rules(&mut self, slug: &str) {
        let path = format!("/console/p/{slug}/rules");
        let page = self.get(&path).await;
        if page.status != StatusCode::OK {
            // No rules to read (a redirect to the programme).
            return;
        }
        let done = self.post(&path, &path, &[]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    }
}

/// Submits one enquiry through the public form; returns its id and reference code.
pub async fn submit_enquiry(app: &TestApp, slug: &str) -> (String, String) {
    let before: std::collections::BTreeSet<String> = all_ids(app, slug).await;
    let res = app
        .post_form(&format!("/p/{slug}"), &crate::helpers::valid_answers())
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    let reference = crate::helpers::extract_by_id(&body, "reference-code").expect("receipt code");
    let after = all_ids(app, slug).await;
    let id = after
        .difference(&before)
        .next()
        .expect("a new enquiry")
        .clone();
    (id, reference)
}

async fn all_ids(app: &TestApp, slug: &str) -> std::collections::BTreeSet<String> {
    let pid = app.store.programme_by_slug(slug).await.unwrap().unwrap().id;
    app.store
        .enquiries_of_programme(&pid)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect()
}
