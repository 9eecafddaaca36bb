//! Aggregation-type jobs: 200 when started, 202 with the member when the
//! same job runs, 409 when another does; each ends after the job time.

use crate::helpers::*;

#[tokio::test]
async fn each_job_starts_repeats_with_202_and_conflicts_with_409() {
    // Jobs long enough for the requests made while they run, on a busy
    // machine too.
    let job = std::time::Duration::from_millis(900);
    let sim = start_with_jobs(job).await;
    let u = user(&sim).await;
    let m = member(&sim, &u, "password").await;
    let wait = || tokio::time::sleep(job + std::time::Duration::from_millis(150));
    wait().await;
    let path = format!("/users/{u}/members/{m}");
    let jobs = [
        "aggregate",
        "balance",
        "extend_history",
        "fetch_statements",
        "identify",
        "verify",
    ];
    for (i, job) in jobs.iter().enumerate() {
        let a = atrium(&sim, "POST", &format!("{path}/{job}"), None).await;
        assert_eq!(a.status, 200, "{job}: {a:?}");
        assert_eq!(a.json()["member"]["is_being_aggregated"], true);
        let again = atrium(&sim, "POST", &format!("{path}/{job}"), None).await;
        assert_eq!(again.status, 202, "{job} again");
        assert_eq!(again.media, JSON);
        assert_eq!(again.json()["member"]["guid"], m.as_str());
        let other = jobs[(i + 1) % jobs.len()];
        let c = atrium(&sim, "POST", &format!("{path}/{other}"), None).await;
        assert_eq!(c.status, 409, "{other} while {job} runs");
        error_of(&c, JSON);
        let snap = sim.member_snapshot(&m).unwrap();
        assert!(snap["job"].is_string(), "{snap}");
        wait().await;
        let r = read_member(&sim, &u, &m).await;
        assert_eq!(
            (
                r["is_being_aggregated"].clone(),
                r["connection_status"].clone()
            ),
            (false.into(), "CONNECTED".into()),
            "{job} ended"
        );
        assert!(sim.member_snapshot(&m).unwrap()["job"].is_null());
    }
}

#[tokio::test]
async fn a_job_on_an_unknown_member_or_of_another_user_is_404() {
    let sim = start().await;
    let u = user(&sim).await;
    let other = user(&sim).await;
    let m = member(&sim, &u, "password").await;
    let a = atrium(
        &sim,
        "POST",
        &format!("/users/{other}/members/{m}/aggregate"),
        None,
    )
    .await;
    assert_eq!(a.status, 404);
    let a = atrium(
        &sim,
        "POST",
        &format!("/users/{u}/members/MBR-nope/verify"),
        None,
    )
    .await;
    assert_eq!(a.status, 404);
    error_of(&a, JSON);
}
