//! Atrium's glue to the lifecycle toolkit ([`crate::lifecycle`]): its
//! generated calls behind [`MemberApi`], answered with the toolkit's types.
//! Everything about MX's rules lives in the toolkit; this file only maps
//! Atrium's operations and bodies onto it.

use super::{types, Client, MemberHandle};
use crate::lifecycle::connect_widget::ConnectWidgetOptions;
use crate::lifecycle::jobs::{Job, JobOutcome};
use crate::lifecycle::mfa::{Challenge, Challenges, ChallengesError};
use crate::lifecycle::oauth::{oauth_window_request, OAuthWindowOptions};
use crate::lifecycle::resume::{Answers, ResumeOutcome};
use crate::lifecycle::{MemberApi, MemberSnapshot};
use crate::Error;

impl Client {
    /// The lifecycle calls of one member: status, polling, MFA, jobs,
    /// OAuth window.
    pub fn member(
        &self,
        user_guid: impl Into<String>,
        member_guid: impl Into<String>,
    ) -> MemberHandle {
        MemberHandle::new(self.clone(), user_guid.into(), member_guid.into())
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
            .map_err(Error::body("connect widget options"))?;
        let widget = self
            .get_connect_widget()
            .user_guid(user_guid)
            .body(body)
            .send()
            .await?
            .into_inner()
            .user;
        crate::lifecycle::connect_widget::widget_url(
            "get_connect_widget",
            "user.connect_widget_url",
            widget.connect_widget_url.as_deref(),
        )
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

impl crate::lifecycle::member::sealed::Sealed for Client {}

impl MemberApi for Client {
    type Member = types::Member;

    async fn read_member(&self, user: &str, member: &str) -> Result<types::Member, Error> {
        Ok(self
            .read_member()
            .user_guid(user)
            .member_guid(member)
            .send()
            .await?
            .into_inner()
            .member)
    }

    async fn read_status(&self, user: &str, member: &str) -> Result<MemberSnapshot, Error> {
        let m = self
            .read_member_status()
            .user_guid(user)
            .member_guid(member)
            .send()
            .await?
            .into_inner()
            .member;
        let challenges = Challenge::from_generated(&m.challenges)
            .map_err(|e| Error::unusable("read_member_status", "member.challenges", e))?;
        Ok(crate::lifecycle::member_snapshot!(m, challenges))
    }

    async fn list_challenges(
        &self,
        user: &str,
        member: &str,
    ) -> Result<Challenges, ChallengesError> {
        Challenges::from_result(
            self.list_member_mfa_challenges()
                .user_guid(user)
                .member_guid(member)
                .send()
                .await,
        )
    }

    async fn resume(
        &self,
        user: &str,
        member: &str,
        answers: &Answers,
    ) -> Result<ResumeOutcome<types::Member>, Error> {
        let body: types::MemberResumeRequestBody =
            answers.to_body().map_err(Error::body("resume answers"))?;
        ResumeOutcome::from_result(
            self.resume_member()
                .user_guid(user)
                .member_guid(member)
                .body(body)
                .send()
                .await,
            |b| b.member,
        )
    }

    async fn run_job(
        &self,
        user: &str,
        member: &str,
        job: Job,
    ) -> Result<JobOutcome<types::Member>, Error> {
        macro_rules! call {
            ($op:ident) => {
                JobOutcome::from_result(
                    self.$op().user_guid(user).member_guid(member).send().await,
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

    async fn oauth_window_uri(
        &self,
        user: &str,
        member: &str,
        options: &OAuthWindowOptions,
    ) -> Result<Option<String>, Error> {
        let call = oauth_window_request!(
            self.read_o_auth_window_uri()
                .user_guid(user)
                .member_guid(member),
            options
        );
        Ok(call.send().await?.into_inner().member.oauth_window_uri)
    }
}

crate::lifecycle::member_record!(types::Member);
