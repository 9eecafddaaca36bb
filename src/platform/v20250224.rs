//! MX's Platform API, version `v20250224` (MX's current version): a client
//! generated from `specs/platform/v20250224.yml` (MX's published spec,
//! vendored by `cargo xtask spec-sync platform-v20250224`) with the
//! corrections of `specs/platform/v20250224.overlay.yaml`. Enabled by the
//! `platform-v20250224` Cargo feature (or `platform`).
//!
//! Every request sends `Accept-Version: v20250224` and `Accept:
//! application/json`, as the spec documents. Users and members are named by
//! `user_identifier` and `member_identifier`: MX's guid or the partner's
//! own id.

platform_version! {
    file: "/platform_v20250224.rs",
    user: user_identifier,
    member: member_identifier,
    widget_body: RequestWidgetUrlBody,
}
