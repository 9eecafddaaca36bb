//! MX's Platform API: a client generated from `specs/platform/v20111101.yml`
//! (MX's published spec, vendored by `cargo xtask spec-sync platform`) with
//! the corrections of `specs/platform/overlay.yaml`. Enabled by the
//! `platform` Cargo feature.
//!
//! Authenticated by HTTP Basic (the client id as user, the API key as
//! password); every request asks for `application/vnd.mx.api.v1+json`.
//!
//! ```no_run
//! # async fn run() -> Result<(), mx_client::Error> {
//! use mx_client::platform::{types, Client, Environment};
//!
//! let mx = Client::from_environment(Environment::Integration, "client-id", "api-key")?;
//! let member = mx
//!     .create_member()
//!     .user_guid("USR-1")
//!     .body(types::MemberCreateRequestBody {
//!         member: Some(types::MemberCreateRequest::new("mxbank")),
//!         ..Default::default()
//!     })
//!     .send()
//!     .await?
//!     .into_inner();
//! println!("{:?}", member.member.and_then(|m| m.connection_status));
//! # Ok(()) }
//! ```

crate::generated_api!("/platform.rs");

use crate::__private::ApiClient;
use crate::builder::ClientBuilder;
use crate::error::Error;
use crate::lifecycle::connect_widget::ConnectWidgetOptions;
use crate::lifecycle::jobs::{Job, JobOutcome};
use crate::lifecycle::mfa::{Challenges, ChallengesError};
use crate::lifecycle::oauth::{window_url, WindowUriError};
use crate::lifecycle::resume::Answers;
use crate::lifecycle::{MemberFetcher, MemberSnapshot};

crate::environment!("Platform", Integration: "MX's integration environment (`https://int-api.mx.com`): the spec's first server.", "platform");

impl Client {
    /// A builder for a client of `env`, authenticated by HTTP Basic with
    /// `client_id` and `api_key`, for setting timeouts, retries or the HTTP
    /// client. The four processor-token operations (bearer auth) need
    /// `.credential(SecurityScheme::BearerAuth, token)` as well.
    pub fn builder(
        env: Environment,
        client_id: impl Into<secrecy::SecretString>,
        api_key: impl Into<secrecy::SecretString>,
    ) -> ClientBuilder<Client> {
        ClientBuilder::new(env.base_url())
            .rules(&crate::rules::MX_CODES)
            .basic_credential(SecurityScheme::BasicAuth, client_id, api_key)
    }

    /// A client of `env` with the default timeouts.
    pub fn from_environment(
        env: Environment,
        client_id: impl Into<secrecy::SecretString>,
        api_key: impl Into<secrecy::SecretString>,
    ) -> Result<Client, Error> {
        Self::builder(env, client_id, api_key).build()
    }

    /// Reads a member's connection for the lifecycle poller
    /// ([`crate::lifecycle::poll_member`]): `GET …/members/{guid}/status`,
    /// which carries the challenges while the member is CHALLENGED.
    pub fn member_fetcher<'a>(
        &'a self,
        user_guid: &'a str,
        member_guid: &'a str,
    ) -> impl MemberFetcher<Error = Error> + 'a {
        move || async move {
            let body = self
                .read_member_status()
                .user_guid(user_guid)
                .member_guid(member_guid)
                .send()
                .await?
                .into_inner();
            snapshot(body.member.unwrap_or_default())
        }
    }

    /// The MFA challenges of a member (`GET …/challenges`); a 204 is
    /// [`Challenges::NothingToAnswer`].
    pub async fn member_challenges(
        &self,
        user_guid: &str,
        member_guid: &str,
    ) -> Result<Challenges, ChallengesError> {
        Challenges::from_result(
            self.list_member_challenges()
                .user_guid(user_guid)
                .member_guid(member_guid)
                .send()
                .await,
        )
    }

    /// Answers a member's challenges (`PUT …/resume`); refusals are typed by
    /// [`crate::lifecycle::resume::ResumeRefusal::from_error`].
    pub async fn resume_member(
        &self,
        user_guid: &str,
        member_guid: &str,
        answers: &Answers,
    ) -> Result<types::MemberResponseBody, Error> {
        let body: types::MemberResumeRequestBody = answers
            .to_body()
            .map_err(|e| Error::InvalidRequest(format!("the MFA answers: {e}")))?;
        Ok(self
            .resume_aggregation()
            .user_guid(user_guid)
            .member_guid(member_guid)
            .body(body)
            .send()
            .await?
            .into_inner())
    }

    /// Starts an aggregation-type job on a member. The Platform answers
    /// `202` to every job it accepts, started or already running inside
    /// MX's throttle window ([`JobOutcome::Accepted`]), and `409` while a
    /// job of another type runs ([`JobOutcome::OtherJobRunning`]).
    pub async fn run_job(
        &self,
        user_guid: &str,
        member_guid: &str,
        job: Job,
    ) -> Result<JobOutcome<types::MemberResponseBody>, Error> {
        macro_rules! send {
            ($operation:ident) => {
                self.$operation()
                    .user_guid(user_guid)
                    .member_guid(member_guid)
                    .send()
                    .await
            };
        }
        let result = match job {
            Job::Aggregate => send!(aggregate_member),
            Job::Balances => send!(check_balances),
            Job::ExtendHistory => send!(extend_history),
            Job::FetchStatements => send!(fetch_statements),
            Job::Identify => send!(identify_member),
            Job::Verify => send!(verify_member),
        };
        JobOutcome::from_result_with(result, |body| body, JobOutcome::from_platform_success)
    }

    /// A one-time Connect widget URL for `user_guid`
    /// (`POST …/connect_widget_url`); see
    /// [`URL_LIFETIME`](crate::lifecycle::connect_widget::URL_LIFETIME).
    // Update syntax on generated structs, so that a field MX adds never
    // breaks this code.
    #[allow(clippy::needless_update)]
    pub async fn connect_widget_url(
        &self,
        user_guid: &str,
        options: &ConnectWidgetOptions,
    ) -> Result<Option<String>, Error> {
        let config: types::ConnectWidgetRequest = options
            .to_body()
            .map_err(|e| Error::InvalidRequest(format!("the Connect widget options: {e}")))?;
        let body = types::ConnectWidgetRequestBody {
            config: Some(config),
            ..Default::default()
        };
        Ok(self
            .request_connect_widget_url()
            .user_guid(user_guid)
            .body(body)
            .send()
            .await?
            .into_inner()
            .user
            .and_then(|u| u.connect_widget_url))
    }

    /// The OAuth window of an OAuth member (`GET …/oauth_window_uri`),
    /// parsed; `Ok(None)` when MX sends none.
    pub async fn oauth_window_url(
        &self,
        user_guid: &str,
        member_guid: &str,
    ) -> Result<Option<reqwest::Url>, OAuthWindowError> {
        let body = self
            .request_o_auth_window_uri()
            .user_guid(user_guid)
            .member_guid(member_guid)
            .send()
            .await?
            .into_inner();
        Ok(body
            .member
            .and_then(|m| m.oauth_window_uri)
            .map(|uri| window_url(&uri))
            .transpose()?)
    }
}

/// Why [`Client::oauth_window_url`] gave no URL.
#[derive(Debug)]
#[non_exhaustive]
pub enum OAuthWindowError {
    /// The request failed.
    Api(Error),
    /// MX's answer holds no usable URL.
    Uri(WindowUriError),
}

impl std::fmt::Display for OAuthWindowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OAuthWindowError::Api(e) => write!(f, "reading the OAuth window failed: {e}"),
            OAuthWindowError::Uri(e) => write!(f, "the OAuth window URI is unusable: {e}"),
        }
    }
}

impl std::error::Error for OAuthWindowError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OAuthWindowError::Api(e) => Some(e),
            OAuthWindowError::Uri(e) => Some(e),
        }
    }
}

impl From<Error> for OAuthWindowError {
    fn from(e: Error) -> Self {
        OAuthWindowError::Api(e)
    }
}

impl From<WindowUriError> for OAuthWindowError {
    fn from(e: WindowUriError) -> Self {
        OAuthWindowError::Uri(e)
    }
}

/// The poller's view of a member status read; a challenge the lifecycle
/// toolkit cannot answer (no guid) is an invalid answer.
fn snapshot(m: types::MemberStatusResponse) -> Result<MemberSnapshot, Error> {
    let raw = serde_json::to_vec(&m.challenges).unwrap_or_default();
    let challenges = serde_json::from_slice(&raw).map_err(|source| Error::InvalidResponse {
        body: raw.into(),
        source,
    })?;
    Ok(MemberSnapshot {
        guid: m.guid,
        status: m.connection_status,
        is_being_aggregated: m.is_being_aggregated.unwrap_or(false),
        challenges,
    })
}

impl types::MemberCreateRequest {
    /// A request for `institution_code` with no credentials (an OAuth
    /// member, or add them with struct update syntax).
    pub fn new(institution_code: impl Into<String>) -> Self {
        types::MemberCreateRequest::builder()
            .institution_code(institution_code.into())
            .credentials(Vec::new())
            .try_into()
            .expect("institution_code and credentials are the only required fields")
    }
}
