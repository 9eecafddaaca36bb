//! Atrium's glue to the lifecycle toolkit ([`crate::lifecycle`]): the
//! generated calls, answered with the toolkit's types. Everything about
//! MX's rules lives in the toolkit; this file only maps Atrium's
//! operations and bodies onto it.
//!
//! ```no_run
//! # async fn run(atrium: mx_client::atrium::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use mx_client::lifecycle::{PollConfig, Settled};
//! let member = atrium.member("USR-1", "MBR-1");
//! match member.poll(PollConfig::new()).await? {
//!     Settled::Connected(_) => println!("connected"),
//!     Settled::Challenged(s) => println!("{} challenge(s) to answer", s.challenges.len()),
//!     Settled::Error { status, class, .. } => println!("{status}: {class:?}"),
//!     _ => {}
//! }
//! # Ok(()) }
//! ```

use futures_core::Stream;
use serde::de::Error as _;

use super::{types, Client};
use crate::lifecycle::connect_widget::ConnectWidgetOptions;
use crate::lifecycle::jobs::{Job, JobOutcome};
use crate::lifecycle::mfa::{Challenge, Challenges, ChallengesError};
use crate::lifecycle::oauth::{optional_window_url, OAuthWindowOptions, WindowUriError};
use crate::lifecycle::resume::{Answers, ResumeOutcome};
use crate::lifecycle::{
    poll_member, watch_member, MemberFetcher, MemberSnapshot, PollConfig, PollError, PollEvent,
    Settled,
};
use crate::Error;

/// One member of one user, for the calls that follow its creation. Cheap
/// to clone; made by [`Client::member`].
#[derive(Debug, Clone)]
pub struct MemberHandle {
    client: Client,
    user_guid: String,
    member_guid: String,
}

/// A success answer whose body does not have what MX documents.
fn invalid(body: impl serde::Serialize, source: serde_json::Error) -> Error {
    Error::InvalidResponse {
        body: serde_json::to_vec(&body).unwrap_or_default().into(),
        source,
    }
}

impl Client {
    /// The lifecycle calls of one member: status, polling, MFA, jobs,
    /// OAuth window.
    pub fn member(
        &self,
        user_guid: impl Into<String>,
        member_guid: impl Into<String>,
    ) -> MemberHandle {
        MemberHandle {
            client: self.clone(),
            user_guid: user_guid.into(),
            member_guid: member_guid.into(),
        }
    }

    /// A one-time Connect widget URL for `user_guid` (`POST
    /// /users/{user_guid}/connect_widget_url`). It expires on first use or
    /// after [`URL_LIFETIME`](crate::lifecycle::connect_widget::URL_LIFETIME):
    /// ask for a fresh one on every page load.
    pub async fn connect_widget_url(
        &self,
        user_guid: &str,
        options: &ConnectWidgetOptions,
    ) -> Result<url::Url, Error> {
        let body: types::ConnectWidgetRequestBody = options
            .to_body()
            .map_err(|e| Error::InvalidRequest(format!("connect widget options: {e}")))?;
        let widget = self
            .get_connect_widget()
            .user_guid(user_guid)
            .body(body)
            .send()
            .await?
            .into_inner()
            .user;
        let uri = widget.connect_widget_url.as_deref().ok_or_else(|| {
            invalid(
                &widget,
                serde_json::Error::missing_field("connect_widget_url"),
            )
        })?;
        url::Url::parse(uri).map_err(|e| invalid(&widget, serde_json::Error::custom(e)))
    }

    /// The same client, sending `X-CALLBACK-PAYLOAD: payload`, which MX
    /// echoes in the webhooks of the members created or updated through it
    /// (`atrium.with_callback_payload("order-42")?.create_member()…`).
    /// A payload that is not visible ASCII is `Error::InvalidRequest`.
    pub fn with_callback_payload(&self, payload: &str) -> Result<Client, Error> {
        let (name, value) = crate::lifecycle::callback::callback_payload_header(payload)?;
        let hooks = self.inner.clone().with_header(name, value);
        Ok(Client::new_with_client(
            &self.baseurl,
            self.client.clone(),
            hooks,
        ))
    }
}

impl MemberHandle {
    pub fn user_guid(&self) -> &str {
        &self.user_guid
    }

    pub fn member_guid(&self) -> &str {
        &self.member_guid
    }

    /// Reads the member (`GET …/members/{member_guid}`).
    pub async fn read(&self) -> Result<types::Member, Error> {
        Ok(self
            .client
            .read_member()
            .user_guid(&self.user_guid)
            .member_guid(&self.member_guid)
            .send()
            .await?
            .into_inner()
            .member)
    }

    /// Reads the member's connection status (`GET …/status`), with its
    /// challenges while it is CHALLENGED.
    pub async fn status(&self) -> Result<MemberSnapshot, Error> {
        let m = self
            .client
            .read_member_status()
            .user_guid(&self.user_guid)
            .member_guid(&self.member_guid)
            .send()
            .await?
            .into_inner()
            .member;
        let challenges =
            Challenge::from_generated(&m.challenges).map_err(|e| invalid(&m.challenges, e))?;
        Ok(MemberSnapshot {
            guid: m.guid,
            status: m.connection_status,
            is_being_aggregated: m.is_being_aggregated.unwrap_or(false),
            challenges,
        })
    }

    /// Polls the status until the member settles (see
    /// [`poll_member`](crate::lifecycle::poll_member)).
    pub async fn poll(&self, config: PollConfig) -> Result<Settled, PollError<Error>> {
        poll_member(self.clone(), config).await
    }

    /// Polls as [`poll`](Self::poll) does, yielding each status change.
    pub fn watch(
        &self,
        config: PollConfig,
    ) -> impl Stream<Item = Result<PollEvent, PollError<Error>>> + Send + 'static {
        watch_member(self.clone(), config)
    }

    /// The MFA challenges to answer (`GET …/challenges`): 204 is
    /// `Challenges::NothingToAnswer`.
    pub async fn challenges(&self) -> Result<Challenges, ChallengesError> {
        Challenges::from_result(
            self.client
                .list_member_mfa_challenges()
                .user_guid(&self.user_guid)
                .member_guid(&self.member_guid)
                .send()
                .await,
        )
    }

    /// Answers the challenges (`PUT …/resume`); MX's 400 (invalid answers)
    /// and 405 (not CHALLENGED) are `ResumeOutcome::Refused`.
    pub async fn resume(&self, answers: &Answers) -> Result<ResumeOutcome<types::Member>, Error> {
        let body: types::MemberResumeRequestBody = answers
            .to_body()
            .map_err(|e| Error::InvalidRequest(format!("resume answers: {e}")))?;
        ResumeOutcome::from_result(
            self.client
                .resume_member()
                .user_guid(&self.user_guid)
                .member_guid(&self.member_guid)
                .body(body)
                .send()
                .await,
            |b| b.member,
        )
    }

    /// Asks for an aggregation-type job: started (200), already running
    /// (202) or blocked by another job (409), never an error about
    /// duplicates.
    pub async fn run(&self, job: Job) -> Result<JobOutcome<types::Member>, Error> {
        macro_rules! call {
            ($op:ident) => {
                JobOutcome::from_result(
                    self.client
                        .$op()
                        .user_guid(&self.user_guid)
                        .member_guid(&self.member_guid)
                        .send()
                        .await,
                    |b: types::MemberResponseBody| b.member,
                )
            };
        }
        match job {
            Job::Aggregate => call!(aggregate_member),
            Job::Balances => call!(aggregate_member_balances),
            Job::ExtendHistory => call!(extend_history),
            Job::FetchStatements => call!(fetch_statements),
            Job::Identify => call!(identify_member),
            Job::Verify => call!(verify_member),
        }
    }

    /// A fresh one-time OAuth window (`GET …/oauth_window_uri`) with
    /// `options`; read it with [`types::Member::oauth_window_url`]. MX's 400
    /// "Member cannot use OAuth" is `Error::BadRequest` with that message.
    pub async fn oauth_window(&self, options: &OAuthWindowOptions) -> Result<types::Member, Error> {
        let mut call = self
            .client
            .read_o_auth_window_uri()
            .user_guid(&self.user_guid)
            .member_guid(&self.member_guid);
        if let Some(url) = &options.client_redirect_url {
            call = call.client_redirect_url(url.as_str());
        }
        if let Some(source) = options.referral_source {
            call = call.referral_source(source.as_str());
        }
        if let Some(skip) = options.skip_aggregation {
            call = call.skip_aggregation(skip);
        }
        if let Some(scheme) = &options.ui_message_webview_url_scheme {
            call = call.ui_message_webview_url_scheme(scheme.as_str());
        }
        Ok(call.send().await?.into_inner().member)
    }
}

/// The poller's view of this member: its status read.
impl MemberFetcher for MemberHandle {
    type Error = Error;
    fn fetch(&mut self) -> impl std::future::Future<Output = Result<MemberSnapshot, Error>> {
        self.status()
    }
}

impl types::Member {
    /// The one-time `oauth_window_uri` of an OAuth member, parsed with or
    /// without its scheme (MX's examples show it without; `https://` is
    /// then assumed). `Ok(None)` when the member has none.
    pub fn oauth_window_url(&self) -> Result<Option<url::Url>, WindowUriError> {
        optional_window_url(self.oauth_window_uri.as_deref())
    }

    /// What the poller reads, from a member answer (create, read, jobs).
    pub fn snapshot(&self) -> MemberSnapshot {
        MemberSnapshot {
            guid: self.guid.clone(),
            status: self.connection_status.clone(),
            is_being_aggregated: self.is_being_aggregated.unwrap_or(false),
            challenges: Vec::new(),
        }
    }
}
