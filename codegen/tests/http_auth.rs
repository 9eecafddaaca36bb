//! What the Platform API needs of the pipeline: HTTP Basic and bearer
//! schemes, a per-API vendor `Accept`, array-twin query parameters, and
//! overrides of array items.

use mx_codegen::{Api, Config};

const SPEC: &str = r#"
openapi: 3.0.0
info: {title: T, version: '1'}
servers: [{url: 'https://int-api.mx.com'}]
security: [{basicAuth: []}]
components:
  securitySchemes:
    basicAuth: {type: http, scheme: basic}
    bearerAuth: {type: http, scheme: bearer}
  schemas:
    Member:
      type: object
      properties:
        guid: {type: string}
        use_cases: {type: array, items: {type: string, enum: [MONEY_MOVEMENT, PFM]}}
paths:
  /members:
    get:
      operationId: listMembers
      parameters:
        - {name: category_guid, in: query, schema: {type: string}}
        - {name: 'category_guid[]', in: query, schema: {type: array, items: {type: string}}}
      responses:
        '200':
          description: OK
          content: {application/json: {schema: {$ref: '#/components/schemas/Member'}}}
  /token:
    get:
      operationId: readToken
      security: [{bearerAuth: []}]
      responses:
        '200':
          description: OK
          content: {application/vnd.mx.api.v2beta+json: {schema: {$ref: '#/components/schemas/Member'}}}
  /members/{guid}:
    delete:
      operationId: deleteMember
      parameters: [{name: guid, in: path, required: true, schema: {type: string}}]
      responses:
        '204': {description: No Content}
"#;

const VENDOR: &str = "application/vnd.mx.api.v1+json";

fn spec_file(name: &str) -> std::path::PathBuf {
    // Under cargo's scratch directory for integration tests (target/tmp):
    // one folder a test, rewritten by each run, removed by `cargo clean`.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("http-auth-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("spec.yml");
    std::fs::write(&path, SPEC).unwrap();
    path
}

fn squash(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn basic_and_bearer_schemes_generate_and_name_authorization() {
    let path = spec_file("schemes");
    let r = Config::new().render(&path).unwrap();
    let ops = &r.wire.operations;
    let list = ops.iter().find(|o| o.id == "listMembers").unwrap();
    assert_eq!(
        list.security,
        vec![("basicAuth".to_string(), "Authorization".to_string())]
    );
    let token = ops.iter().find(|o| o.id == "readToken").unwrap();
    assert_eq!(
        token.security,
        vec![("bearerAuth".to_string(), "Authorization".to_string())]
    );
    let code = squash(&r.code);
    assert!(
        code.contains("kind:::mx_client::__private::SchemeKind::Basic"),
        "{code}"
    );
    assert!(code.contains("kind:::mx_client::__private::SchemeKind::Bearer"));
    assert!(code.contains("security:&[SecurityScheme::BearerAuthasusize]"));
}

#[test]
fn an_unsupported_scheme_is_refused_naming_the_three_kinds() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("http-auth-digest");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("spec.yml");
    std::fs::write(&path, SPEC.replace("scheme: basic}", "scheme: digest}")).unwrap();
    let err = Config::new().render(&path).unwrap_err().to_string();
    assert!(err.contains("basicAuth"), "{err}");
    assert!(err.contains("scheme: basic"), "{err}");
}

#[test]
fn json_accept_replaces_plain_json_and_the_bodyless_default_only() {
    let path = spec_file("accept");
    let r = Config::new()
        .render_api(&Api::new("p", &path).json_accept(VENDOR))
        .unwrap();
    let accept = |id: &str| {
        let op = r.wire.operations.iter().find(|o| o.id == id).unwrap();
        r.wire
            .accept(op.response_media.as_ref())
            .map(str::to_string)
    };
    assert_eq!(accept("listMembers").as_deref(), Some(VENDOR));
    assert_eq!(accept("deleteMember").as_deref(), Some(VENDOR));
    // A documented vendor type stays what the spec says.
    assert_eq!(
        accept("readToken").as_deref(),
        Some("application/vnd.mx.api.v2beta+json")
    );
    let code = squash(&r.code);
    assert!(!code.contains("accept:::core::option::Option::Some(::reqwest::header::HeaderValue::from_static(\"application/json\""));
    // Without the setting, the spec's own media type is sent.
    let plain = Config::new().render(&path).unwrap();
    let op = plain
        .wire
        .operations
        .iter()
        .find(|o| o.id == "listMembers")
        .unwrap();
    assert_eq!(
        plain.wire.accept(op.response_media.as_ref()),
        Some("application/json")
    );
}

/// `category_guid` (one value) beside `category_guid[]` (any number):
/// both are kept, the twin generated as `category_guids` and sent under its
/// spec name.
#[test]
fn an_array_twin_of_a_query_parameter_is_kept_under_its_own_name_and_items_take_overrides() {
    let path = spec_file("twins");
    let mut config = Config::new();
    config.type_override(None, "use_cases[]", "mx-client", "mx_client::UseCase");
    let r = config.render(&path).unwrap();
    let code = squash(&r.code);
    assert!(
        code.contains("QueryParam::new(\"category_guid\",&category_guid)"),
        "the plain parameter stays: {code}"
    );
    assert!(
        code.contains("QueryParam::new(\"category_guid[]\",&category_guids,)")
            || code.contains("QueryParam::new(\"category_guid[]\",&category_guids)"),
        "its array twin is sent under its spec name"
    );
    assert!(
        code.contains("pubfncategory_guids<V>(mutself,value:V)"),
        "{code}"
    );
    let op = r
        .wire
        .operations
        .iter()
        .find(|o| !o.query_renames.is_empty())
        .unwrap();
    assert_eq!(
        op.query_renames,
        [("category_guids".to_string(), "category_guid[]".to_string())]
    );
    assert!(
        code.contains("pubuse_cases:::std::vec::Vec<::mx_client::UseCase>"),
        "{code}"
    );
    assert!(!code.contains("MemberUseCasesItem"));
}

/// A spec whose operations take MX's `Accept-Version` as a header
/// parameter (v20250224: required, with a default), for an API that sends
/// it as a constant.
const VERSIONED: &str = r#"
openapi: 3.0.0
info: {title: T, version: '1'}
servers: [{url: 'https://int-api.mx.com'}]
components:
  parameters:
    acceptVersion:
      name: Accept-Version
      in: header
      required: true
      schema: {type: string, default: v20250224}
paths:
  /users/{user_identifier}:
    parameters:
      - $ref: '#/components/parameters/acceptVersion'
    get:
      operationId: readUser
      parameters:
        - $ref: '#/components/parameters/acceptVersion'
        - {name: user_identifier, in: path, required: true, schema: {type: string}}
        - {name: X-Other, in: header, schema: {type: string}}
      responses:
        '200':
          description: OK
          content: {application/json: {schema: {type: object, properties: {guid: {type: string}}}}}
"#;

fn versioned_file(text: &str, name: &str) -> std::path::PathBuf {
    let path = spec_file(name).with_file_name("versioned.yml");
    std::fs::write(&path, text).unwrap();
    path
}

/// MX's `Accept-Version` is a constant of the wire table: no operation
/// takes it as an argument, every request sends it, and other header
/// parameters stay arguments.
#[test]
fn a_constant_header_is_no_argument_and_is_sent_with_every_request() {
    let path = versioned_file(VERSIONED, "versioned");
    let api = Api::new("p", &path).constant_header("Accept-Version", "v20250224");
    let r = Config::new().render_api(&api).unwrap();
    let code = squash(&r.code);
    assert!(!code.contains("accept_version"), "no argument");
    assert!(
        code.contains("pubfnx_other<V>"),
        "other header parameters stay"
    );
    assert!(code.contains(
        "(::reqwest::header::HeaderName::from_static(\"accept-version\"),::reqwest::header::HeaderValue::from_static(\"v20250224\"),)"
    ));
    assert!(code.contains("headers:&HEADERS"));
    assert_eq!(
        r.wire.constant_headers,
        [("Accept-Version".to_string(), "v20250224".to_string())]
    );
    // Without the setting the parameter is an argument, as the spec says.
    let plain = squash(&Config::new().render(&path).unwrap().code);
    assert!(plain.contains("pubfnaccept_version<V>"));
}

/// A spec that moved to another version must not be sent with the old
/// one: generation fails, naming the place and the fix.
#[test]
fn a_spec_declaring_another_version_is_refused() {
    let path = versioned_file(
        &VERSIONED.replace("default: v20250224", "default: v20990101"),
        "moved",
    );
    let api = Api::new("p", &path).constant_header("Accept-Version", "v20250224");
    let e = Config::new().render_api(&api).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("/paths/~1users~1{user_identifier}/parameters"),
        "{text}"
    );
    assert!(
        text.contains("v20990101") && text.contains("Accept-Version: v20250224"),
        "{text}"
    );
    assert!(e.fix.contains("mx-specs APIS"), "{text}");
}
