//! The scheme kinds the wire table models: a header key, HTTP Basic (the
//! Platform API's client id and API key) and a bearer token, each prepared
//! once and sent in its header.

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::Method;
use secrecy::SecretString;

use super::{ApiWire, Failure, Hooks, Operation, Scheme, SchemeKind};

const KEY: usize = 0;
const BASIC: usize = 1;
const BEARER: usize = 2;

static SCHEMES: [Scheme; 3] = [
    Scheme {
        name: "key",
        kind: SchemeKind::Header(HeaderName::from_static("x-key")),
    },
    Scheme {
        name: "basicAuth",
        kind: SchemeKind::Basic,
    },
    Scheme {
        name: "bearerAuth",
        kind: SchemeKind::Bearer,
    },
];

const fn op(name: &'static str, security: &'static [usize]) -> Operation {
    Operation {
        id: name,
        name,
        method: Method::GET,
        path: "/things",
        tags: &[],
        content_type: None,
        response_media: Some(HeaderValue::from_static("application/json")),
        accept: Some(HeaderValue::from_static("application/json")),
        response_json: true,
        security,
        success: &["200"],
        errors: &[],
    }
}

// Sorted by name.
static OPERATIONS: [Operation; 2] = [
    op("with_basic", &[KEY, BASIC]),
    op("with_bearer", &[BEARER]),
];

static WIRE: ApiWire = ApiWire {
    title: "Test",
    servers: &[],
    schemes: &SCHEMES,
    headers: &[],
    operations: &OPERATIONS,
};

fn named(name: &str) -> &'static super::Operation {
    WIRE.operation(name).unwrap()
}

fn request() -> reqwest::Request {
    reqwest::Request::new(Method::GET, "http://127.0.0.1:9/things".parse().unwrap())
}

#[test]
fn basic_bearer_and_header_credentials_reach_their_headers() {
    let hooks = Hooks::new(&WIRE)
        .with_credential(KEY, SecretString::from("k-1"))
        .with_basic_credential(
            BASIC,
            &SecretString::from("client-id"),
            &SecretString::from("api-key"),
        )
        .with_credential(BEARER, SecretString::from("tok-1"));

    let mut r = request();
    hooks.pre(&mut r, named("with_basic")).unwrap();
    assert_eq!(r.headers()["x-key"], "k-1");
    // base64("client-id:api-key")
    assert_eq!(r.headers()[AUTHORIZATION], "Basic Y2xpZW50LWlkOmFwaS1rZXk=");
    assert!(r.headers()[AUTHORIZATION].is_sensitive());
    assert!(r.headers()["x-key"].is_sensitive());

    let mut r = request();
    hooks.pre(&mut r, named("with_bearer")).unwrap();
    assert_eq!(r.headers()[AUTHORIZATION], "Bearer tok-1");
    assert!(r.headers().get("x-key").is_none());

    let shown = format!("{hooks:?}");
    for secret in ["k-1", "client-id", "api-key", "tok-1", "Y2xp"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[test]
fn a_basic_scheme_needs_a_user_and_a_password() {
    let hooks = Hooks::new(&WIRE)
        .with_credential(KEY, SecretString::from("k-1"))
        .with_credential(BASIC, SecretString::from("only-one"));
    let f = hooks.pre(&mut request(), named("with_basic")).unwrap_err();
    assert!(
        matches!(
            f,
            Failure::InvalidCredential {
                scheme: "basicAuth",
                ..
            }
        ),
        "{f:?}"
    );
    assert!(!f.to_string().contains("only-one"));
}
