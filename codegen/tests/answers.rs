//! What the pipeline does so that nothing MX sends is lost or refused:
//! every string enum on an answer is open, a closed enum an answer reaches
//! is refused, each answer type names its fields for the runtime's check,
//! and an overlay's `x-mx-decode` reaches the field.

use mx_codegen::Config;

fn spec_file(name: &str, text: &str) -> std::path::PathBuf {
    // Under cargo's scratch directory for integration tests (target/tmp):
    // one folder a test, rewritten by each run, removed by `cargo clean`.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("answers-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("spec.yml");
    std::fs::write(&path, text).unwrap();
    path
}

fn squash(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

const SPEC: &str = r#"
openapi: 3.0.0
info: {title: T, version: '1'}
paths:
  /things/{guid}:
    get:
      operationId: readThing
      parameters: [{name: guid, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: OK
          content: {application/json: {schema: {$ref: '#/components/schemas/ThingBody'}}}
components:
  schemas:
    ThingBody:
      type: object
      x-mx-decode: {count: number_or_string}
      properties:
        thing: {$ref: '#/components/schemas/Thing'}
        count: {type: integer}
    Thing:
      type: object
      properties:
        guid: {type: string}
        kind: {type: string, enum: [CHECKING, UNKNOWN]}
        amount: AMOUNT
"#;

#[test]
fn answer_enums_are_open_and_answer_types_name_their_fields() {
    let path = spec_file("open", &SPEC.replace("AMOUNT", "{type: number}"));
    let code = squash(&Config::new().render(&path).unwrap().code);
    assert!(
        code.contains("::mx_client::__private::open_enum!{"),
        "{code}"
    );
    assert!(
        code.contains("pubenumThingKind{Checking=\"CHECKING\",MxUnknown=\"UNKNOWN\",}"),
        "{code}"
    );
    assert!(!code.contains("impl::std::str::FromStrforThingKind"));
    assert!(code.contains("impl::mx_client::__private::FieldsforThingBody{constNAMES:&'static[&'staticstr]=&[\"count\",\"thing\"];"), "{code}");
    assert!(
        code.contains("deserialize_with=\"::mx_client::__private::de::number_or_string\""),
        "{code}"
    );
}

/// A union of shapes on an answer cannot be opened: generation fails,
/// naming the answer type, the way to the enum, and the fix.
#[test]
fn a_closed_enum_on_an_answer_is_refused() {
    let path = spec_file(
        "closed",
        &SPEC.replace("AMOUNT", "{oneOf: [{type: number}, {type: boolean}]}"),
    );
    let e = Config::new().render(&path).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("`ThingBody`") && text.contains("ThingBody → Thing → ThingAmount"),
        "{text}"
    );
    assert!(e.fix.contains("open"), "{text}");
}

#[test]
fn an_unknown_decoding_is_refused_with_its_place() {
    let path = spec_file(
        "lenient",
        &SPEC
            .replace("AMOUNT", "{type: number}")
            .replace("number_or_string", "guess"),
    );
    let text = Config::new().render(&path).unwrap_err().to_string();
    assert!(
        text.contains("/components/schemas/ThingBody/x-mx-decode/count"),
        "{text}"
    );
    assert!(text.contains("number_or_string, one_or_list"), "{text}");
}

/// An `x-mx-decode` mark reaches the struct typify merges from an `allOf`
/// naming the marked schema (MX's processor account numbers are listed as
/// `allOf: [MemberElements, ProcessorAccountNumber]`).
#[test]
fn a_decoding_reaches_the_structs_merged_from_its_schema() {
    let spec = r#"
openapi: 3.0.0
info: {title: T, version: '1'}
paths:
  /numbers:
    get:
      operationId: listNumbers
      responses:
        '200':
          description: OK
          content: {application/json: {schema: {$ref: '#/components/schemas/NumbersBody'}}}
components:
  schemas:
    NumbersBody:
      type: object
      properties:
        numbers:
          type: array
          items:
            allOf:
            - $ref: '#/components/schemas/Elements'
            - $ref: '#/components/schemas/Number'
    Elements:
      type: object
      properties:
        member_guid: {type: string}
    Number:
      type: object
      x-mx-decode: {routing_number: string_or_number}
      properties:
        guid: {type: string}
        routing_number: {type: string}
"#;
    let path = spec_file("merged", spec);
    let file: syn::File = syn::parse_str(&Config::new().render(&path).unwrap().code).unwrap();
    let types = file
        .items
        .iter()
        .find_map(|i| match i {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
            _ => None,
        })
        .unwrap();
    // Each struct with a `routing_number`, and whether it decodes it leniently.
    let mut decoded = Vec::new();
    for item in types {
        let syn::Item::Struct(s) = item else { continue };
        for f in &s.fields {
            if f.ident.as_ref().is_some_and(|i| i == "routing_number") {
                let lenient = f.attrs.iter().any(|a| {
                    quote::ToTokens::to_token_stream(a)
                        .to_string()
                        .contains("string_or_number")
                });
                decoded.push((s.ident.to_string(), lenient));
            }
        }
    }
    assert!(decoded.len() >= 2, "{decoded:?}");
    assert!(decoded.iter().all(|(_, lenient)| *lenient), "{decoded:?}");
    assert!(
        decoded.iter().any(|(name, _)| name == "Number"),
        "{decoded:?}"
    );
}
