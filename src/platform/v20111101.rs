//! MX's Platform API, version `v20111101` (the original): a client
//! generated from `specs/platform/v20111101.yml` (MX's published spec,
//! vendored by `cargo xtask spec-sync platform-v20111101`) with the
//! corrections of `specs/platform/v20111101.overlay.yaml`. Enabled by the
//! `platform-v20111101` Cargo feature.
//!
//! Every request sends `Accept-Version: v20111101` and, where the spec
//! documents JSON, `Accept: application/vnd.mx.api.v1+json`, the type MX's
//! "Formats and requirements" page for this version asks for.

platform_version! {
    file: "/platform_v20111101.rs",
    user: user_guid,
    member: member_guid,
    widget_body: WidgetRequestBody,
}
