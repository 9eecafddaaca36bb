//! The outcome of an aggregation-type job: aggregate, aggregate balances,
//! extend history, fetch statements, identify, verify.
//!
//! Sources: MX's Atrium pages (aggregate member, fetch statements, the
//! verification and identification guides): 200 when the job started, 202
//! with the member when a job of the same type is already running, 409 when
//! a job of another type is running. A 409 here is not a duplicate.

use progenitor_client::ResponseValue;

/// The aggregation-type jobs MX runs on a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Job {
    /// Aggregate: accounts, balances and recent transactions.
    Aggregate,
    /// Aggregate balances only.
    Balances,
    /// Extend history: up to 24 months of transactions.
    ExtendHistory,
    /// Fetch statements.
    FetchStatements,
    /// Identify: the account owners.
    Identify,
    /// Verify: account and routing numbers.
    Verify,
}

impl Job {
    /// Every job, in MX's order.
    pub const ALL: [Job; 6] = [
        Job::Aggregate,
        Job::Balances,
        Job::ExtendHistory,
        Job::FetchStatements,
        Job::Identify,
        Job::Verify,
    ];
}

/// What asking for a job did.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum JobOutcome<M> {
    /// 200: the job started; follow the member's status.
    Started(M),
    /// 202: a job of the same type is already running; follow it.
    AlreadyRunning(M),
    /// 409: a job of another type is running; ask again once it ended.
    OtherJobRunning,
    /// MX's Platform API answers every job it accepts with `202`: it
    /// started one, or one of the same type already runs inside MX's
    /// throttle window, and the answer does not say which (the member's
    /// `is_being_aggregated` does).
    Accepted(M),
}

impl<M> JobOutcome<M> {
    /// The outcome a success status means (`None` for a status MX does not
    /// document for jobs).
    pub fn from_success(status: u16, member: M) -> Option<Self> {
        match status {
            200 | 201 => Some(JobOutcome::Started(member)),
            202 => Some(JobOutcome::AlreadyRunning(member)),
            _ => None,
        }
    }

    /// The Platform API's meaning of a success status: `202` is
    /// [`JobOutcome::Accepted`] (see there), `200`/`201` a started job.
    pub fn from_platform_success(status: u16, member: M) -> Option<Self> {
        match status {
            200 | 201 => Some(JobOutcome::Started(member)),
            202 => Some(JobOutcome::Accepted(member)),
            _ => None,
        }
    }

    /// The member MX answered with, if any (`None` for
    /// [`OtherJobRunning`](JobOutcome::OtherJobRunning)).
    pub fn member(&self) -> Option<&M> {
        match self {
            JobOutcome::Started(m) | JobOutcome::AlreadyRunning(m) | JobOutcome::Accepted(m) => {
                Some(m)
            }
            JobOutcome::OtherJobRunning => None,
        }
    }

    /// The same outcome, its member converted by `f`.
    pub fn map<N>(self, f: impl FnOnce(M) -> N) -> JobOutcome<N> {
        match self {
            JobOutcome::Started(m) => JobOutcome::Started(f(m)),
            JobOutcome::AlreadyRunning(m) => JobOutcome::AlreadyRunning(f(m)),
            JobOutcome::Accepted(m) => JobOutcome::Accepted(f(m)),
            JobOutcome::OtherJobRunning => JobOutcome::OtherJobRunning,
        }
    }

    /// Glue for a generated job call: its result (`send().await`), with
    /// `member` taking the member out of the answer body. The error is
    /// anything that converts into [`crate::Error`]. A 409 becomes
    /// `OtherJobRunning`; any other error is returned as is.
    pub fn from_result<T, E: Into<crate::Error>>(
        result: Result<ResponseValue<T>, E>,
        member: impl FnOnce(T) -> M,
    ) -> Result<Self, crate::Error> {
        Self::from_result_with(result, member, JobOutcome::from_success)
    }

    /// [`from_result`](Self::from_result) with an API's own meaning of the
    /// success statuses (e.g. [`from_platform_success`](Self::from_platform_success)).
    pub fn from_result_with<T, E: Into<crate::Error>>(
        result: Result<ResponseValue<T>, E>,
        member: impl FnOnce(T) -> M,
        success: fn(u16, ()) -> Option<JobOutcome<()>>,
    ) -> Result<Self, crate::Error> {
        match result.map_err(Into::into) {
            Ok(rv) => {
                let status = rv.status();
                match success(status.as_u16(), ()) {
                    Some(outcome) => Ok(outcome.map(|()| member(rv.into_inner()))),
                    None => Err(crate::Error::UnexpectedSuccess(status)),
                }
            }
            Err(e) if e.status().map(|s| s.as_u16()) == Some(409) => {
                Ok(JobOutcome::OtherJobRunning)
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_outcomes() {
        assert_eq!(
            JobOutcome::from_success(200, "m"),
            Some(JobOutcome::Started("m"))
        );
        assert_eq!(
            JobOutcome::from_success(202, "m"),
            Some(JobOutcome::AlreadyRunning("m"))
        );
        assert_eq!(JobOutcome::from_success(204, "m"), None);
        assert_eq!(
            JobOutcome::AlreadyRunning(2).map(|n| n * 2).member(),
            Some(&4)
        );
        assert_eq!(JobOutcome::<u8>::OtherJobRunning.member(), None);
        assert_eq!(
            JobOutcome::from_platform_success(202, "m"),
            Some(JobOutcome::Accepted("m"))
        );
        assert_eq!(
            JobOutcome::from_platform_success(200, "m"),
            Some(JobOutcome::Started("m"))
        );
        assert_eq!(JobOutcome::Accepted(1).map(|n| n + 1).member(), Some(&2));
    }
}
