//! The engine serves whatever spec it is given (here at run time, as
//! overlays over the vendored specs): an added response field shows up, an
//! added operation is served by the generic resource rules, an added enum
//! value is accepted; a third API with HTTP Basic auth is one more entry.

use base64::Engine as _;
use mx_sim::{ApiDef, ErrorStyle, Spec, APIS, ATRIUM, NEXUS};
use serde_json::json;

use crate::helpers::*;

const ATRIUM_CHANGES: &str = r##"
paths:
  /users/{user_guid}/widgets:
    get:
      operationId: list_widgets
      parameters:
        - { name: user_guid, in: path, required: true, schema: { type: string } }
        - { name: page, in: query, schema: { type: integer } }
        - { name: records_per_page, in: query, schema: { type: integer } }
      responses:
        '200':
          description: OK
          content:
            application/vnd.mx.atrium.v1+json:
              schema: { $ref: '#/components/schemas/WidgetsResponseBody' }
    post:
      operationId: create_widget
      parameters:
        - { name: user_guid, in: path, required: true, schema: { type: string } }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/WidgetRequestBody' }
      responses:
        '200':
          description: OK
          content:
            application/vnd.mx.atrium.v1+json:
              schema: { $ref: '#/components/schemas/WidgetResponseBody' }
  /users/{user_guid}/widgets/{widget_guid}:
    get:
      operationId: read_widget
      parameters:
        - { name: user_guid, in: path, required: true, schema: { type: string } }
        - { name: widget_guid, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: OK
          content:
            application/vnd.mx.atrium.v1+json:
              schema: { $ref: '#/components/schemas/WidgetResponseBody' }
    delete:
      operationId: delete_widget
      parameters:
        - { name: user_guid, in: path, required: true, schema: { type: string } }
        - { name: widget_guid, in: path, required: true, schema: { type: string } }
      responses:
        '204': { description: No Content }
components:
  schemas:
    User:
      properties:
        favourite_colour: { type: string }
    Widget:
      type: object
      properties:
        guid: { type: string }
        user_guid: { type: string }
        name: { type: string, enum: [small, large] }
        size: { type: integer }
    WidgetRequestBody:
      type: object
      required: [widget]
      properties:
        widget:
          type: object
          required: [name]
          properties:
            name: { type: string, enum: [small, large] }
            size: { type: integer, minimum: 1 }
    WidgetResponseBody:
      type: object
      properties:
        widget: { $ref: '#/components/schemas/Widget' }
    WidgetsResponseBody:
      type: object
      properties:
        widgets: { type: array, items: { $ref: '#/components/schemas/Widget' } }
        pagination: { $ref: '#/components/schemas/Pagination' }
"##;

const NEXUS_CHANGES: &str = r##"
components:
  schemas:
    MemberResponse:
      properties:
        favourite_colour: { type: string, nullable: true }
    MemberCreateRequest:
      properties:
        use_cases:
          type: array
          items: { type: string, enum: [MONEY_MOVEMENT, PFM, INSIGHTS] }
"##;

fn changed(def: ApiDef, extra: &str) -> (ApiDef, Spec) {
    let (_, spec) = APIS.iter().find(|(d, _)| d.name == def.name).unwrap();
    let (text, overlays): (&str, Vec<&str>) =
        (spec.spec_text(), spec.overlay_text().into_iter().collect());
    let mut layers = overlays.to_vec();
    layers.push(extra);
    (
        def,
        Spec::parse(text, &layers).expect("the changed spec parses"),
    )
}

#[tokio::test]
async fn a_changed_spec_is_served_without_code_changes() {
    let apis = vec![
        changed(NEXUS, NEXUS_CHANGES),
        changed(ATRIUM, ATRIUM_CHANGES),
    ];
    let sim = mx_sim::start_with_specs(
        mx_sim::Config::default(),
        "127.0.0.1:0".parse().unwrap(),
        apis,
    )
    .await
    .unwrap();
    // The added response field: present, null until there is a value.
    let demo = get(&sim, &format!("/users/{}", mx_sim::DEMO_USER_GUID)).await;
    assert!(demo["user"]
        .as_object()
        .unwrap()
        .contains_key("favourite_colour"));
    assert!(demo["user"]["favourite_colour"].is_null());
    let u = atrium(
        &sim,
        "POST",
        "/users",
        Some(json!({ "user": { "favourite_colour": "teal" } })),
    )
    .await
    .json();
    assert_eq!(u["user"]["favourite_colour"], "teal");
    let g = u["user"]["guid"].as_str().unwrap().to_string();

    // The added operation: create, list (paginated), read, delete.
    let a = atrium(
        &sim,
        "POST",
        &format!("/users/{g}/widgets"),
        Some(json!({ "widget": { "name": "small", "size": 2 } })),
    )
    .await;
    assert_eq!(a.status, 200, "{a:?}");
    let w = a.json()["widget"].clone();
    let wg = w["guid"].as_str().unwrap().to_string();
    assert!(wg.starts_with("WID-"), "{wg}");
    assert_eq!(w["user_guid"], g.as_str());
    let list = get(&sim, &format!("/users/{g}/widgets")).await;
    assert_eq!(list["widgets"][0]["guid"], wg.as_str());
    assert_eq!(list["pagination"]["total_entries"], 1);
    let demo_list = get(&sim, &format!("/users/{}/widgets", mx_sim::DEMO_USER_GUID)).await;
    assert!(
        demo_list["widgets"].as_array().unwrap().is_empty(),
        "another user's list"
    );
    assert_eq!(
        get(&sim, &format!("/users/{g}/widgets/{wg}")).await["widget"]["size"],
        2
    );
    for (body, why) in [
        (
            json!({ "widget": { "name": "medium" } }),
            "must be one of small, large",
        ),
        (
            json!({ "widget": { "name": "small", "size": 0 } }),
            "within",
        ),
        (json!({ "widget": {} }), "widget.name is required"),
    ] {
        let a = atrium(&sim, "POST", &format!("/users/{g}/widgets"), Some(body)).await;
        assert_eq!(a.status, 400);
        assert!(error_of(&a, JSON).contains(why));
    }
    let a = atrium(
        &sim,
        "POST",
        "/users/USR-nope/widgets",
        Some(json!({ "widget": { "name": "large" } })),
    )
    .await;
    assert_eq!(a.status, 404);
    assert_eq!(
        status(&sim, "DELETE", &format!("/users/{g}/widgets/{wg}")).await,
        204
    );
    assert_eq!(
        status(&sim, "GET", &format!("/users/{g}/widgets/{wg}")).await,
        404
    );
    // Deleting a user deletes what refers to it.
    atrium(
        &sim,
        "POST",
        &format!("/users/{g}/widgets"),
        Some(json!({ "widget": { "name": "large" } })),
    )
    .await;
    assert_eq!(status(&sim, "DELETE", &format!("/users/{g}")).await, 204);
    assert_eq!(
        status(&sim, "GET", &format!("/users/{g}/widgets")).await,
        404
    );

    // The added enum value, and the added Nexus field.
    let body = json!({ "member": { "institution_guid": MXBANK_GUID, "use_cases": ["INSIGHTS"],
        "credentials": [{ "credential_guid": PASSWORD, "value": "p" }] } });
    let a = nexus(&sim, "POST", "/members", Some(body)).await;
    assert_eq!(a.status, 200, "{a:?}");
    let m = a.json()["member"].clone();
    assert_eq!(m["use_cases"], json!(["INSIGHTS"]));
    assert!(m.as_object().unwrap().contains_key("favourite_colour"));
}

const PLATFORM_SPEC: &str = r##"
openapi: 3.0.0
info: { title: Platform, version: '20111101' }
security:
  - basicAuth: []
paths:
  /users:
    get:
      operationId: listUsers
      responses:
        '200':
          description: OK
          content:
            application/vnd.mx.api.v1+json:
              schema:
                type: object
                properties:
                  users: { type: array, items: { $ref: '#/components/schemas/UserResponse' } }
                  pagination: { type: object, properties: { per_page: { type: integer } } }
components:
  securitySchemes:
    basicAuth: { type: http, scheme: basic }
  schemas:
    UserResponse:
      type: object
      properties:
        guid: { type: string, nullable: true }
        email: { type: string, nullable: true }
"##;

#[tokio::test]
async fn a_third_api_with_basic_auth_is_one_more_entry() {
    let platform = ApiDef {
        name: "platform",
        mount: "/platform",
        json_media: "application/vnd.mx.api.v1+json",
        errors: ErrorStyle::Plain,
        session_of_demo_user: false,
        dialect: mx_sim::Dialect::Atrium,
        json_is_vendor: true,
        version: None,
    };
    let apis = vec![
        (platform, Spec::parse(PLATFORM_SPEC, &[]).unwrap()),
        changed(ATRIUM, "{}"),
    ];
    let sim = mx_sim::start_with_specs(
        mx_sim::Config::default(),
        "127.0.0.1:0".parse().unwrap(),
        apis,
    )
    .await
    .unwrap();
    let url = format!("{}/users", sim.base_url("platform").unwrap());
    let accept = ("Accept", "application/vnd.mx.api.v1+json");
    let a = send("GET", &url, &[accept], None).await;
    assert_eq!(a.status, 401);
    error_of(&a, "application/vnd.mx.api.v1+json");
    let wrong = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("demo-client-id:nope")
    );
    assert_eq!(
        send("GET", &url, &[accept, ("Authorization", &wrong)], None)
            .await
            .status,
        401
    );
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            mx_sim::DEMO_CLIENT_ID,
            mx_sim::DEMO_API_KEY
        ))
    );
    let a = send("GET", &url, &[accept, ("Authorization", &basic)], None).await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.media, "application/vnd.mx.api.v1+json");
    // The same world: the seeded demo user, in the Platform's shape.
    let users = a.json()["users"].clone();
    assert_eq!(
        users[0],
        json!({ "guid": mx_sim::DEMO_USER_GUID, "email": null })
    );
}
