//! MX's Platform API, the successor of Atrium and Nexus, in each version MX
//! supports: one module and one Cargo feature per version.
//!
//! | module | feature | MX's version |
//! |---|---|---|
//! | [`v20250224`] | `platform-v20250224` (or `platform`) | current |
//! | [`v20111101`] | `platform-v20111101` | the original |
//!
//! Every request carries MX's `Accept-Version` header with its module's
//! version: MX's migration guide (docs.mx.com
//! `api-reference/platform-api/overview/migration`) says "After August 12,
//! 2026, all Platform API calls must pass a new `Accept-Version` header".
//! v20250224 asks for `application/json`; v20111101 for its vendor type
//! `application/vnd.mx.api.v1+json`. Both authenticate by HTTP Basic, the
//! client id as user and the API key as password.
//!
//! The two modules have the same shape: `Client`, `Environment`,
//! `MemberHandle`, `types`, `builder`, `SecurityScheme`. Moving from one
//! version to the other is a change of the module path, then of what MX
//! changed between them (see the README's migration section).
//!
//! ```no_run
//! # #[cfg(feature = "platform-v20250224")]
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use mx_client::platform::v20250224::{types, Client, Environment};
//! use mx_client::{ApiKey, ClientId};
//!
//! let mx = Client::from_environment(
//!     Environment::Integration,
//!     ClientId::new("client-id"),
//!     ApiKey::new("api-key"),
//! )?;
//! let created = mx
//!     .create_member()
//!     .user_identifier("USR-1")
//!     .body(types::MemberCreateRequestBody {
//!         member: Some(types::MemberCreateRequest::new(Vec::new(), "mxbank")),
//!         ..Default::default()
//!     })
//!     .send()
//!     .await?
//!     .into_inner();
//! let guid = created.member.and_then(|m| m.guid).unwrap_or_default();
//! let status = mx.member("USR-1", guid).status().await?;
//! println!("{:?}", status.status);
//! # Ok(()) }
//! ```

/// The glue every Platform version gets, over its generated module: the
/// environments, the builder with typed credentials, the member lifecycle
/// ([`MemberApi`](crate::lifecycle::MemberApi)), the Connect widget URL.
/// `$user` and `$member` are the version's path parameters of the member
/// operations (`user_guid` in v20111101, `user_identifier` in v20250224);
/// `$widget_body` its `widget_urls` request body type.
macro_rules! platform_version {
    (
        file: $file:literal,
        user: $user:ident,
        member: $member:ident,
        widget_body: $widget_body:ident $(,)?
    ) => {
        crate::generated_api!($file);

        use crate::builder::ClientBuilder;
        use crate::credentials::{ApiKey, ClientId};
        use crate::error::Error;
        use crate::lifecycle::connect_widget::ConnectWidgetOptions;
        use crate::lifecycle::jobs::{Job, JobOutcome};
        use crate::lifecycle::mfa::{Challenge, Challenges, ChallengesError};
        use crate::lifecycle::oauth::{oauth_window_request, OAuthWindowOptions};
        use crate::lifecycle::resume::{Answers, ResumeOutcome};
        use crate::lifecycle::{MemberApi, MemberSnapshot};

        crate::environment!("Platform", Integration: "MX's integration environment (`https://int-api.mx.com`): the spec's first server.", "platform");

        /// One member of this version, for the calls that follow its
        /// creation (see [`crate::lifecycle::MemberHandle`]): made by
        /// [`Client::member`].
        pub type MemberHandle = crate::lifecycle::MemberHandle<Client>;

        impl Client {
            /// A builder for a client of `env`, authenticated by HTTP Basic
            /// with `client_id` and `api_key`, for setting timeouts, retries
            /// or the HTTP client. The processor-token operations (bearer
            /// auth) need `.credential(SecurityScheme::BearerAuth, token)`
            /// as well.
            pub fn builder(
                env: Environment,
                client_id: ClientId,
                api_key: ApiKey,
            ) -> ClientBuilder<Client> {
                ClientBuilder::new(env.base_url())
                    .rules(&crate::rules::MX_CODES)
                    .basic_credential(
                        SecurityScheme::BasicAuth,
                        client_id.into_secret(),
                        api_key.into_secret(),
                    )
            }

            /// A client of `env` with the default timeouts.
            pub fn from_environment(
                env: Environment,
                client_id: ClientId,
                api_key: ApiKey,
            ) -> Result<Client, Error> {
                Self::builder(env, client_id, api_key).build()
            }

            /// The lifecycle calls of one member: status, polling, MFA, jobs,
            /// OAuth window.
            pub fn member(
                &self,
                user_guid: impl Into<String>,
                member_guid: impl Into<String>,
            ) -> MemberHandle {
                MemberHandle::new(self.clone(), user_guid.into(), member_guid.into())
            }

            /// A one-time Connect widget URL for `user_guid`
            /// (`POST /users/{user_guid}/widget_urls` with `widget_type:
            /// connect_widget`). It expires on first use or after
            /// [`URL_LIFETIME`](crate::lifecycle::connect_widget::URL_LIFETIME):
            /// ask for a fresh one on every page load.
            pub async fn connect_widget_url(
                &self,
                user_guid: &str,
                options: &ConnectWidgetOptions,
            ) -> Result<url::Url, Error> {
                let body: types::$widget_body = options
                    .to_widget_body()
                    .map_err(Error::body("connect widget options"))?;
                let widget = self
                    .request_widget_url()
                    .user_guid(user_guid)
                    .body(body)
                    .send()
                    .await?
                    .into_inner()
                    .widget_url
                    .unwrap_or_default();
                crate::lifecycle::connect_widget::widget_url(
                    "requestWidgetURL",
                    "widget_url.url",
                    widget.url.as_deref(),
                )
            }
        }

        impl crate::lifecycle::member::sealed::Sealed for Client {}

        impl MemberApi for Client {
            type Member = types::MemberResponse;

            async fn read_member(
                &self,
                user: &str,
                member: &str,
            ) -> Result<types::MemberResponse, Error> {
                let body = self
                    .read_member()
                    .$user(user)
                    .$member(member)
                    .send()
                    .await?
                    .into_inner();
                member_of(body)
            }

            async fn read_status(&self, user: &str, member: &str) -> Result<MemberSnapshot, Error> {
                let m = self
                    .read_member_status()
                    .$user(user)
                    .$member(member)
                    .send()
                    .await?
                    .into_inner()
                    .member
                    .unwrap_or_default();
                let challenges = Challenge::from_generated(&m.challenges)
                    .map_err(|e| Error::unusable("readMemberStatus", "member.challenges", e))?;
                Ok(crate::lifecycle::member_snapshot!(m, challenges))
            }

            async fn list_challenges(
                &self,
                user: &str,
                member: &str,
            ) -> Result<Challenges, ChallengesError> {
                Challenges::from_result(
                    self.list_member_challenges()
                        .$user(user)
                        .$member(member)
                        .send()
                        .await,
                )
            }

            async fn resume(
                &self,
                user: &str,
                member: &str,
                answers: &Answers,
            ) -> Result<ResumeOutcome<types::MemberResponse>, Error> {
                let body: types::MemberResumeRequestBody = answers
                    .to_body()
                    .map_err(Error::body("resume answers"))?;
                ResumeOutcome::from_result(
                    self.resume_aggregation()
                        .$user(user)
                        .$member(member)
                        .body(body)
                        .send()
                        .await,
                    |b: types::MemberResponseBody| b.member.unwrap_or_default(),
                )
            }

            async fn run_job(
                &self,
                user: &str,
                member: &str,
                job: Job,
            ) -> Result<JobOutcome<types::MemberResponse>, Error> {
                macro_rules! call {
                    ($op:ident) => {
                        JobOutcome::from_result_with(
                            self.$op().$user(user).$member(member).send().await,
                            |b: types::MemberResponseBody| b.member.unwrap_or_default(),
                            JobOutcome::from_platform_success,
                        )
                    };
                }
                match job {
                    Job::Aggregate => call!(aggregate_member),
                    Job::Balances => call!(check_balances),
                    Job::ExtendHistory => call!(extend_history),
                    Job::FetchStatements => call!(fetch_statements),
                    Job::Identify => call!(identify_member),
                    Job::Verify => call!(verify_member),
                }
            }

            async fn oauth_window_uri(
                &self,
                user: &str,
                member: &str,
                options: &OAuthWindowOptions,
            ) -> Result<Option<String>, Error> {
                let call = oauth_window_request!(
                    self.request_o_auth_window_uri().$user(user).$member(member),
                    options
                );
                Ok(call
                    .send()
                    .await?
                    .into_inner()
                    .member
                    .and_then(|m| m.oauth_window_uri))
            }
        }

        /// The member of a member answer; an answer without one is not
        /// what MX documents.
        fn member_of(body: types::MemberResponseBody) -> Result<types::MemberResponse, Error> {
            body.member.ok_or_else(|| Error::missing("readMember", "member"))
        }

        crate::lifecycle::member_record!(types::MemberResponse);
    };
}

#[cfg(feature = "platform-v20111101")]
pub mod v20111101;
#[cfg(feature = "platform-v20250224")]
pub mod v20250224;
