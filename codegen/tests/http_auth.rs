//! What the Platform API needs of the pipeline: HTTP Basic and bearer
//! schemes, a per-API vendor `Accept`, array-twin query parameters, and
//! overrides of array items.

use mx_codegen::Config;

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
    let dir = std::env::temp_dir().join(format!(
        "mx-codegen-http-auth-{name}-{}",
        std::process::id()
    ));
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
    let dir = std::env::temp_dir().join(format!(
        "mx-codegen-http-auth-digest-{}",
        std::process::id()
    ));
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
    let mut config = Config::new();
    config.api("p", &path).json_accept(VENDOR);
    let r = config.render_api(&path, None).unwrap();
    let accept = |id: &str| {
        let op = r.wire.operations.iter().find(|o| o.id == id).unwrap();
        r.wire.accept(op.response_media.as_ref()).cloned()
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
        plain
            .wire
            .accept(op.response_media.as_ref())
            .map(String::as_str),
        Some("application/json")
    );
}

#[test]
fn an_array_twin_of_a_query_parameter_is_dropped_and_items_take_overrides() {
    let path = spec_file("twins");
    let mut config = Config::new();
    config.type_override(None, "use_cases[]", "mx-client", "mx_client::UseCase");
    let r = config.render(&path).unwrap();
    let code = squash(&r.code);
    assert!(
        code.contains("\"category_guid\""),
        "the plain parameter stays"
    );
    assert!(
        !code.contains("category_guid[]"),
        "its array twin is dropped"
    );
    assert!(
        code.contains("pubuse_cases:::std::vec::Vec<::mx_client::UseCase>"),
        "{code}"
    );
    assert!(!code.contains("MemberUseCasesItem"));
}
