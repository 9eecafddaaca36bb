//! Aggregation-type jobs (aggregate, balance, extend_history,
//! fetch_statements, identify, verify): each runs for the configured job
//! time. The same job again while it runs answers 202 with the member;
//! another type running answers 409 (MX's Atrium pages).

use std::time::{Duration, Instant, SystemTime};

use serde_json::json;

use super::member::{record, refresh, set_status};
use super::mxbank::{self, Outcome};
use super::world::{Job, JobKind, World};
use crate::config::Config;
use crate::engine::call::{Answer, Call, Fail};
use crate::time::rfc3339;

/// The job an action path starts (`…/members/{guid}/verify`).
pub fn of_action(action: &str) -> Option<JobKind> {
    Some(match action {
        "aggregate" => JobKind::Aggregate,
        "balance" => JobKind::Balance,
        "extend_history" => JobKind::ExtendHistory,
        "fetch_statements" => JobKind::FetchStatements,
        "identify" => JobKind::Identify,
        "verify" => JobKind::Verify,
        _ => return None,
    })
}

/// Lets every job that is due finish (before each request).
pub fn settle(world: &mut World, now: Instant) {
    for (guid, job) in world.due_jobs(now) {
        finish(world, &guid, job);
    }
}

/// How long a job of `kind` runs: aggregations take the aggregation
/// time, the other jobs the job time.
fn duration(config: &Config, kind: JobKind) -> Duration {
    match kind {
        JobKind::Aggregate => config.aggregation_time,
        _ => config.job_time,
    }
}

/// Starts a job on a member.
pub fn start(world: &mut World, member_guid: &str, kind: JobKind, config: &Config) {
    let time = duration(config, kind);
    let job = Job {
        kind,
        guid: crate::store::guid("JOB"),
        started: SystemTime::now(),
        done_at: Instant::now() + time,
    };
    if let Some(r) = world.store.get_mut("members", member_guid) {
        r.insert("aggregated_at".into(), json!(rfc3339(job.started)));
        r.insert("most_recent_job_guid".into(), json!(job.guid));
    }
    world.jobs.insert(member_guid.to_string(), job);
    refresh(world, member_guid);
}

/// A job has run its time: the member ends as its credentials decide.
pub fn finish(world: &mut World, member_guid: &str, job: Job) {
    let Some(rt) = world.members.get(member_guid) else {
        return;
    };
    match super::member::outcome(rt) {
        Outcome::Connected => {
            if let Some(r) = world.store.get_mut("members", member_guid) {
                r.insert(
                    "successfully_aggregated_at".into(),
                    json!(rfc3339(SystemTime::now())),
                );
            }
            set_status(world, member_guid, "CONNECTED");
            super::data::load(world, member_guid);
            super::webhooks::on_job_done(world, member_guid, job.kind, SystemTime::now());
        }
        Outcome::Challenged(kind) => {
            if let Some(rt) = world.members.get_mut(member_guid) {
                rt.challenges = vec![mxbank::challenge(kind)];
            }
            set_status(world, member_guid, "CHALLENGED");
        }
        Outcome::Ends(status) => set_status(world, member_guid, status),
    }
    refresh(world, member_guid);
}

/// `POST /users/{user_guid}/members/{member_guid}/<job>`.
pub fn run(world: &mut World, call: &Call<'_>) -> Answer {
    let member_guid = super::member::member_of(world, call)?;
    let kind = call
        .op
        .template
        .last_literal()
        .and_then(of_action)
        .unwrap_or(JobKind::Aggregate);
    if super::member::status_of(world, &member_guid) == "PENDING" {
        return Err(Fail::new(400, "the member's OAuth flow is not complete"));
    }
    if let Some(running) = world.jobs.get(&member_guid) {
        if running.kind == kind {
            return Ok(call.one(202, record(world, &member_guid)));
        }
        return Err(Fail::new(
            409,
            format!("a {:?} job is running on this member", running.kind),
        ));
    }
    start(world, &member_guid, kind, call.config);
    Ok(call.one(200, record(world, &member_guid)))
}
