//! What the pipeline emits for the runtime: the wire table as typed
//! constants, a security-scheme enum per API, and the typed `send()` that
//! calls the runtime directly.

use std::path::{Path, PathBuf};

use mx_codegen::wire::{schemes, OperationWire, SchemeWire, WireTable};
use mx_codegen::SchemeKind;
use mx_codegen::{Config, MxApi, MX_APIS};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The crate's generated code for the API `name`, with its overlay.
fn rendered(name: &str) -> String {
    let api = mx_codegen::mx_api(MxApi::named(name).expect("one of MX_APIS"), Some(&root()));
    Config::mx_client().render_api(&api).unwrap().code
}

/// The code without whitespace, for matching token sequences.
fn squash(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn atrium_gets_a_scheme_enum_and_typed_constants() {
    let r = Config::mx_client()
        .render(&root().join("specs").join(MX_APIS[1].spec))
        .unwrap();
    let code = squash(&r.code);
    assert!(code.contains("pubenumSecurityScheme{"), "no scheme enum");
    // The spec's two header schemes, by index, lower-case header names.
    let api_key = code.find("name:\"apiKey\"").expect("apiKey scheme");
    let client_id = code.find("name:\"clientId\"").expect("clientId scheme");
    assert!(api_key < client_id);
    assert!(code.contains("HeaderName::from_static(\"mx-api-key\")"));
    assert!(code.contains("HeaderName::from_static(\"mx-client-id\")"));
    assert!(
        code.contains("security:&[SecurityScheme::ApiKeyasusize,SecurityScheme::ClientIdasusize]")
    );
    // Methods are constants, media types prepared header values, the JSON
    // flag precomputed (false for the statement PDF).
    assert!(code.contains("method:::reqwest::Method::DELETE"));
    // Each media type is one constant, which the entries name.
    let pdf = "::reqwest::header::HeaderValue=::reqwest::header::HeaderValue::from_static(\"application/vnd.mx.atrium.v1+pdf\"";
    let at = code.find(pdf).expect("the PDF media type's constant");
    let name = &code[..at];
    let name = &name[name.rfind("constMEDIA_").expect("a MEDIA_ constant") + 5..name.len() - 1];
    assert_eq!(code.matches(pdf).count(), 1);
    assert!(code.contains(&format!(
        "response_media:::core::option::Option::Some({name}),accept:::core::option::Option::Some({name}),response_json:false"
    )));
    // No scheme-name or method strings are left for the runtime to parse.
    assert!(!code.contains("method:\"GET\""));
}

#[test]
fn every_builder_send_is_typed_and_calls_the_runtime_directly() {
    let code = squash(&rendered("nexus"));
    // No async code is generated: `request()` prepares the request, and
    // `send()` returns the runtime's `call`, with the operation's
    // wire-table entry and the statuses its answer takes.
    assert!(!code.contains("async"));
    assert_eq!(code.matches("fnrequest(self,)").count(), 1);
    assert!(code.contains(
        "pubfnsend(self,)->impl::std::future::Future<Output=::std::result::Result<ResponseValue<types::MemberResponseBody>,::mx_client::__private::Error,>,>+use<'a>{::mx_client::__private::call(self.request(),&super::OPERATIONS[0usize],&[200u16],)}"
    ));
    // `request()` returns the runtime's typed failure or the prepared
    // request, after the hooks' `pre` with the operation's entry (not
    // through `ClientHooks`); the runtime sends it and takes the answer.
    assert!(code.contains("fnrequest(self,)->::std::result::Result<::mx_client::__private::Prepared<'a>,::mx_client::__private::Failed,>"));
    assert!(code.contains("letop=&super::OPERATIONS[0usize];client.inner.pre(&mutrequest,op)?;::std::result::Result::Ok(::mx_client::__private::Prepared::new(&client.inner,&client.client,request"));
    assert!(!code.contains(".exec("));
    assert!(!code.contains("client.pre("));
    assert!(!code.contains("OperationInfo{"));
    // No hooks trait, no `ClientInfo` handing out the runtime's `Hooks`,
    // and only a crate-private constructor.
    assert!(!code.contains("implClientHooks"));
    assert!(!code.contains("implClientInfo"));
    assert!(!code.contains("assert_client_hooks"));
    assert!(code.contains("pub(crate)fnnew_with_client("));
    assert!(!code.contains("fnnew(baseurl"));
    assert!(code.contains("impl::mx_client::__private::ApiClientforClient{}"));
    // Nothing the runtime would replace: no `api-version`, no
    // `Accept: application/json`, no empty header map.
    assert!(!code.contains("api-version"));
    assert!(!code.contains("header::ACCEPT"));
    assert!(!code.contains("header_map"));
    assert!(code.contains("letmutrequest=client.client.post(url).json(&body).build()?;"));
    // The answer is the runtime's to take.
    assert!(!code.contains("json_response"));
    assert!(!code.contains(".post(&result"));
    assert!(!code.contains("from_response"));
    assert!(!code.contains("Error::Custom"));
}

/// A header parameter keeps its header map (Platform's
/// `X-CALLBACK-PAYLOAD`), while `api-version` goes; path parameters are
/// encoded into the URL without intermediate strings.
#[test]
fn header_parameters_keep_their_header_map() {
    let code = squash(&rendered("platform_v20111101"));
    assert!(code.contains("header_map.append(\"X-CALLBACK-PAYLOAD\""));
    assert!(code.contains(".headers(header_map)"));
    // Allocated only when a header parameter is set.
    assert!(code.contains("letmutheader_map=::reqwest::header::HeaderMap::new();"));
    assert!(!code.contains("HeaderMap::with_capacity"));
    assert!(!code.contains("api-version"));
    // Path parameters are encoded straight into the URL.
    assert!(code.contains("::mx_client::__private::Segment(&user_guid)"));
    assert!(!code.contains("encode_path(&"));
    assert_eq!(
        code.matches("fnrequest(self,)").count(),
        code.matches("client.inner.pre(&mutrequest,op)?;").count()
    );
}

#[test]
fn basic_and_bearer_schemes_are_modelled() {
    let table = WireTable {
        title: "Platform".into(),
        operations: vec![OperationWire {
            id: "readUser".into(),
            name: "read_user".into(),
            method: "get".into(),
            path: "/users/{guid}".into(),
            tags: vec![],
            request_media: None,
            response_media: Some("application/vnd.mx.api.v1+json".into()),
            security: vec![("extra".into(), "X-Extra".into())],
            success: vec!["200".into()],
            errors: vec![],
            paginated: None,
            query_renames: vec![],
        }],
        ..WireTable::default()
    };
    let declared = vec![
        SchemeWire {
            name: "basicAuth".into(),
            kind: SchemeKind::Basic,
        },
        SchemeWire {
            name: "bearerAuth".into(),
            kind: SchemeKind::Bearer,
        },
    ];
    let all = schemes(declared, &table);
    assert_eq!(
        all.len(),
        3,
        "an operation's undeclared header scheme is added"
    );
    assert_eq!(all[2].kind, SchemeKind::Header("X-Extra".into()));
    let rt: proc_macro2::TokenStream = "::rt".parse().unwrap();
    let code = squash(&table.to_tokens(&rt, &all).to_string());
    assert!(code.contains("kind:::rt::SchemeKind::Basic"), "{code}");
    assert!(code.contains("kind:::rt::SchemeKind::Bearer"));
    assert!(code.contains("HeaderName::from_static(\"x-extra\")"));
    assert!(code.contains("BasicAuth,"));
    assert!(code.contains("security:&[SecurityScheme::Extraasusize]"));
    assert!(code.contains("method:::reqwest::Method::GET"));
    assert!(code.contains("response_json:true"));
}

/// A header name the runtime could not send is refused at its place in the
/// spec, not left to a failed constant in the generated code.
#[test]
fn a_header_name_that_is_no_http_token_is_refused_with_its_place() {
    let spec =
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://example.com'}]\n\
        security: [{key: []}]\npaths:\n  /things:\n    get:\n      operationId: list_things\n\
        \x20     responses:\n        '200':\n          description: OK\n          content:\n\
        \x20           application/json:\n              schema: {type: object}\n\
        components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: 'MX API Key'}\n";
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("wire-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad-header.yaml");
    std::fs::write(&path, spec).unwrap();
    let e = Config::new().render(&path).unwrap_err();
    let shown = e.to_string();
    assert_eq!(
        e.location,
        mx_codegen::Location::Pointer("/components/securitySchemes/key/name".into()),
        "{shown}"
    );
    assert!(
        shown.contains("`MX API Key`") && shown.contains("fix:"),
        "{shown}"
    );
}
