//! One member of one user, for the calls that follow its creation: the
//! same [`MemberHandle`] and the same methods on every API that has them,
//! Atrium and the Platform API in each of its versions.
//!
//! MX presents the Platform API as Atrium's successor with the same member
//! flow ("intended to improve and replace the Atrium API", docs.mx.com
//! `atrium/guides/upgrade_from_atrium`): create, read the status, answer
//! MFA, run jobs, open OAuth windows. Each API module implements
//! [`MemberApi`] with its generated calls; everything else is written
//! once, here.
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

use std::future::Future;

use futures_core::Stream;
use url::Url;

use crate::lifecycle::jobs::{Job, JobOutcome};
use crate::lifecycle::mfa::{Challenges, ChallengesError};
use crate::lifecycle::oauth::{window_url, OAuthWindowError, OAuthWindowOptions, WindowUriError};
use crate::lifecycle::resume::{Answers, ResumeOutcome};
use crate::lifecycle::{
    poll_member, watch_member, MemberFetcher, MemberSnapshot, PollConfig, PollError, PollEvent,
    Settled,
};
use crate::Error;

pub(crate) mod sealed {
    /// Only this crate's API clients are [`MemberApi`](super::MemberApi)s.
    pub trait Sealed {}
}

/// An API whose members follow MX's lifecycle: the calls a
/// [`MemberHandle`] makes. Implemented by `atrium::Client` and by the
/// `Client` of each Platform version; sealed.
pub trait MemberApi: Clone + Send + Sync + 'static + sealed::Sealed {
    /// The API's member record: Atrium's `types::Member`, the Platform's
    /// `types::MemberResponse`.
    type Member: Send + 'static;

    /// `GET /users/{user}/members/{member}`.
    #[doc(hidden)]
    fn read_member(
        &self,
        user: &str,
        member: &str,
    ) -> impl Future<Output = Result<Self::Member, Error>> + Send;

    /// `GET …/members/{member}/status`, with its challenges.
    #[doc(hidden)]
    fn read_status(
        &self,
        user: &str,
        member: &str,
    ) -> impl Future<Output = Result<MemberSnapshot, Error>> + Send;

    /// `GET …/members/{member}/challenges`.
    #[doc(hidden)]
    fn list_challenges(
        &self,
        user: &str,
        member: &str,
    ) -> impl Future<Output = Result<Challenges, ChallengesError>> + Send;

    /// `PUT …/members/{member}/resume`.
    #[doc(hidden)]
    fn resume(
        &self,
        user: &str,
        member: &str,
        answers: &Answers,
    ) -> impl Future<Output = Result<ResumeOutcome<Self::Member>, Error>> + Send;

    /// `POST …/members/{member}/<job>`.
    #[doc(hidden)]
    fn run_job(
        &self,
        user: &str,
        member: &str,
        job: Job,
    ) -> impl Future<Output = Result<JobOutcome<Self::Member>, Error>> + Send;

    /// `GET …/members/{member}/oauth_window_uri`: the URI as MX sent it.
    #[doc(hidden)]
    fn oauth_window_uri(
        &self,
        user: &str,
        member: &str,
        options: &OAuthWindowOptions,
    ) -> impl Future<Output = Result<Option<String>, Error>> + Send;
}

/// One member of one user, for the calls that follow its creation. Cheap
/// to clone; made by the API client's `member(user_guid, member_guid)`.
/// On the Platform's v20250224 the two may also be the partner's own ids
/// (`user_identifier`, `member_identifier`).
#[derive(Debug, Clone)]
pub struct MemberHandle<C> {
    client: C,
    user_guid: String,
    member_guid: String,
}

impl<C: MemberApi> MemberHandle<C> {
    pub(crate) fn new(client: C, user_guid: String, member_guid: String) -> Self {
        MemberHandle {
            client,
            user_guid,
            member_guid,
        }
    }

    /// The user the member belongs to, as given to `member(…)`.
    pub fn user_guid(&self) -> &str {
        &self.user_guid
    }

    /// The member, as given to `member(…)`.
    pub fn member_guid(&self) -> &str {
        &self.member_guid
    }

    /// Reads the member (`GET …/members/{member_guid}`).
    pub async fn read(&self) -> Result<C::Member, Error> {
        self.client
            .read_member(&self.user_guid, &self.member_guid)
            .await
    }

    /// Reads the member's connection status (`GET …/status`), with its
    /// challenges while it is CHALLENGED.
    pub async fn status(&self) -> Result<MemberSnapshot, Error> {
        self.client
            .read_status(&self.user_guid, &self.member_guid)
            .await
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
    /// [`Challenges::NothingToAnswer`].
    pub async fn challenges(&self) -> Result<Challenges, ChallengesError> {
        self.client
            .list_challenges(&self.user_guid, &self.member_guid)
            .await
    }

    /// Answers the challenges (`PUT …/resume`); MX's 400 (invalid answers)
    /// and 405 (not CHALLENGED) are [`ResumeOutcome::Refused`].
    pub async fn resume(&self, answers: &Answers) -> Result<ResumeOutcome<C::Member>, Error> {
        self.client
            .resume(&self.user_guid, &self.member_guid, answers)
            .await
    }

    /// Asks for an aggregation-type job: started, already running, or
    /// blocked by another job (409, [`JobOutcome::OtherJobRunning`]), never
    /// an error about duplicates. Atrium answers 200 (started) or 202
    /// (already running); the Platform answers 202 to both
    /// ([`JobOutcome::Accepted`]).
    pub async fn run(&self, job: Job) -> Result<JobOutcome<C::Member>, Error> {
        self.client
            .run_job(&self.user_guid, &self.member_guid, job)
            .await
    }

    /// A fresh one-time OAuth window (`GET …/oauth_window_uri`) with
    /// `options`, parsed with or without its scheme. MX's 400 "Member
    /// cannot use OAuth" is `OAuthWindowError::Api(Error::BadRequest)`; an
    /// answer without a URI is `OAuthWindowError::Uri(WindowUriError::Empty)`.
    pub async fn oauth_window(
        &self,
        options: &OAuthWindowOptions,
    ) -> Result<Url, OAuthWindowError> {
        let uri = self
            .client
            .oauth_window_uri(&self.user_guid, &self.member_guid, options)
            .await?;
        Ok(window_url(uri.as_deref().ok_or(WindowUriError::Empty)?)?)
    }
}

/// The poller's view of this member: its status read.
impl<C: MemberApi> MemberFetcher for MemberHandle<C> {
    type Error = Error;
    fn fetch(&mut self) -> impl Future<Output = Result<MemberSnapshot, Error>> {
        self.status()
    }
}
