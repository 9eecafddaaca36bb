//! Options of MX's Connect widget URL (`POST /users/{user_guid}/connect_widget_url`
//! in Atrium), typed.
//!
//! The URL MX answers is **one-time**: its token expires 10 minutes after it
//! is issued or on first use, whichever comes first. Request a fresh URL on
//! every page load; never store or reuse it.

use serde::Serialize;

/// How long MX keeps a Connect widget URL valid, at most (it also expires
/// on first use).
pub const URL_LIFETIME: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// What the widget is for (`mode`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Mode {
    /// Connect and aggregate (MX's default).
    Aggregation,
    /// Gather account and routing numbers.
    Verification,
}

/// The widget's colours (`color_scheme`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ColorScheme {
    /// `light`: MX's light theme.
    Light,
    /// `dark`: MX's dark theme.
    Dark,
}

/// The widget's options; every one is optional and unset ones are not sent.
/// Convert to an API's generated request body with
/// [`to_body`](Self::to_body).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct ConnectWidgetOptions {
    /// Render for a mobile WebView (messages by URL navigation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_mobile_webview: Option<bool>,
    /// The URL scheme of the app the WebView messages go to (e.g. `myapp`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ui_message_webview_url_scheme: Option<String>,
    /// Open the widget for this member (fix credentials, answer MFA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_member_guid: Option<String>,
    /// Open the widget at this institution's credentials step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_institution_code: Option<String>,
    /// `mode`: aggregation or verification (Atrium and v20111101;
    /// v20250224 has `data_request` instead).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// `color_scheme`: light or dark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color_scheme: Option<ColorScheme>,
    /// Open at the credentials update step of `current_member_guid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_credentials: Option<bool>,
    /// In verification mode, also gather transactions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_transactions: Option<bool>,
    /// Hide institution search (with `current_institution_code` or
    /// `current_member_guid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_institution_search: Option<bool>,
    /// The products to aggregate once the end user connects
    /// (`data_request.products`, e.g. `transactions`,
    /// `account_verification`): the Platform's v20250224 replaces `mode`,
    /// `include_transactions` and `include_identity` with it (MX's
    /// migration guide). Atrium and v20111101 have no such field: it is not
    /// sent to them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_request: Option<DataRequest>,
}

/// What the Connect widget aggregates once the end user connects (the
/// Platform's v20250224).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct DataRequest {
    /// MX's product names (`account_verification`, `identity_verification`,
    /// `transactions`, `transaction_history`, `statements`, `investments`,
    /// `rewards`, or one MX adds).
    pub products: Vec<String>,
}

impl ConnectWidgetOptions {
    /// No options: the widget opens with MX's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// For a mobile app's WebView, messages going to `scheme://…`.
    pub fn mobile_webview(mut self, scheme: impl Into<String>) -> Self {
        self.is_mobile_webview = Some(true);
        self.ui_message_webview_url_scheme = Some(scheme.into());
        self
    }

    /// For fixing an existing member: open at its credentials update step.
    pub fn update_member(mut self, member_guid: impl Into<String>) -> Self {
        self.current_member_guid = Some(member_guid.into());
        self.update_credentials = Some(true);
        self
    }

    /// Straight to one institution, without search.
    pub fn institution(mut self, code: impl Into<String>) -> Self {
        self.current_institution_code = Some(code.into());
        self.disable_institution_search = Some(true);
        self
    }

    /// What the widget is for (`mode`).
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// Light or dark colours (`color_scheme`).
    pub fn color_scheme(mut self, scheme: ColorScheme) -> Self {
        self.color_scheme = Some(scheme);
        self
    }

    /// In verification mode, also gather transactions
    /// (`include_transactions`).
    pub fn include_transactions(mut self, on: bool) -> Self {
        self.include_transactions = Some(on);
        self
    }

    /// The products to aggregate (v20250224's `data_request.products`).
    pub fn products<P: Into<String>>(mut self, products: impl IntoIterator<Item = P>) -> Self {
        self.data_request = Some(DataRequest {
            products: products.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// The options as an API's generated request body (Atrium's
    /// `ConnectWidgetRequestBody`), field for field.
    pub fn to_body<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_value(serde_json::to_value(self)?)
    }

    /// The options as the Platform API's widget request body
    /// (`POST /users/{user_guid}/widget_urls`): `{"widget_url": {…}}` with
    /// `widget_type: connect_widget`, the Platform's one way to ask for a
    /// Connect widget in every version.
    pub fn to_widget_body<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        let mut options = serde_json::to_value(self)?;
        if let Some(o) = options.as_object_mut() {
            o.insert("widget_type".into(), "connect_widget".into());
        }
        serde_json::from_value(serde_json::json!({ "widget_url": options }))
    }
}

/// The URL of a Connect widget answer: `operation`'s `field`, which MX
/// always sends; absent or unparsable, the answer is
/// [`Error::InvalidField`](crate::Error::InvalidField).
pub(crate) fn widget_url(
    operation: &'static str,
    field: &'static str,
    uri: Option<&str>,
) -> Result<url::Url, crate::Error> {
    let uri = uri.ok_or_else(|| crate::Error::missing(operation, field))?;
    url::Url::parse(uri).map_err(|e| crate::Error::unusable(operation, field, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_set_options_are_sent_with_mx_spellings() {
        assert_eq!(
            serde_json::to_value(ConnectWidgetOptions::new()).unwrap(),
            json!({})
        );
        let o = ConnectWidgetOptions::new()
            .mobile_webview("myapp")
            .update_member("MBR-1")
            .institution("mxbank")
            .mode(Mode::Verification)
            .color_scheme(ColorScheme::Dark)
            .include_transactions(true);
        assert_eq!(
            serde_json::to_value(&o).unwrap(),
            json!({
                "is_mobile_webview": true,
                "ui_message_webview_url_scheme": "myapp",
                "current_member_guid": "MBR-1",
                "current_institution_code": "mxbank",
                "mode": "verification",
                "color_scheme": "dark",
                "update_credentials": true,
                "include_transactions": true,
                "disable_institution_search": true
            })
        );
    }

    /// v20250224's widget request carries the products; the versions and
    /// APIs without the field do not send it.
    #[cfg(all(feature = "platform-v20250224", feature = "platform-v20111101"))]
    #[test]
    fn products_reach_v20250224_only() {
        let o = ConnectWidgetOptions::new()
            .institution("mxbank")
            .products(["transactions", "account_verification"]);
        let current: crate::platform::v20250224::types::RequestWidgetUrlBody =
            o.to_widget_body().unwrap();
        assert_eq!(
            serde_json::to_value(&current).unwrap()["widget_url"]["data_request"],
            json!({"products": ["transactions", "account_verification"]})
        );
        assert_eq!(
            serde_json::to_value(&current).unwrap()["widget_url"]["widget_type"],
            json!("connect_widget")
        );
        let old: crate::platform::v20111101::types::WidgetRequestBody = o.to_widget_body().unwrap();
        assert!(serde_json::to_value(&old).unwrap()["widget_url"]
            .get("data_request")
            .is_none());
    }

    #[cfg(feature = "atrium")]
    #[test]
    fn converts_to_the_generated_atrium_body() {
        let body: crate::atrium::types::ConnectWidgetRequestBody = ConnectWidgetOptions::new()
            .mode(Mode::Aggregation)
            .update_member("MBR-9")
            .to_body()
            .unwrap();
        assert_eq!(body.mode.as_deref(), Some("aggregation"));
        assert_eq!(body.current_member_guid.as_deref(), Some("MBR-9"));
        assert_eq!(body.update_credentials, Some(true));
        assert_eq!(body.is_mobile_webview, None);
        assert_eq!(URL_LIFETIME.as_secs(), 600);
    }
}
