//! The spec and overlay texts, embedded (`include_str!`, so a spec change
//! reaches whoever embeds them through `cargo build`).

use crate::SpecApi;

/// (spec, overlay) texts by API name; one `include_str!` per file.
const TEXTS: &[(&str, &str, Option<&str>)] = &[
    (
        "nexus",
        include_str!("../nexus/v1.yaml"),
        Some(include_str!("../nexus/overlay.yaml")),
    ),
    ("atrium", include_str!("../atrium/v1.yaml"), None),
    (
        "platform_v20111101",
        include_str!("../platform/v20111101.yml"),
        Some(include_str!("../platform/v20111101.overlay.yaml")),
    ),
    (
        "platform_v20250224",
        include_str!("../platform/v20250224.yml"),
        Some(include_str!("../platform/v20250224.overlay.yaml")),
    ),
];

impl SpecApi {
    fn texts(&self) -> &'static (&'static str, &'static str, Option<&'static str>) {
        TEXTS
            .iter()
            .find(|(name, _, _)| *name == self.name)
            .expect("every API of APIS is embedded (a test checks it)")
    }

    /// The spec's text.
    pub fn spec_text(&self) -> &'static str {
        self.texts().1
    }

    /// The overlay's text.
    pub fn overlay_text(&self) -> Option<&'static str> {
        self.texts().2
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_api_is_embedded_with_its_files() {
        for api in crate::APIS {
            assert_eq!(
                api.spec_text(),
                std::fs::read_to_string(api.spec_path()).unwrap()
            );
            assert_eq!(
                api.overlay_text().map(str::to_string),
                api.overlay_path()
                    .map(|p| std::fs::read_to_string(p).unwrap())
            );
        }
    }
}
