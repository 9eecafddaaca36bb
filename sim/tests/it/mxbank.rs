//! MX Bank's test passwords, MFA through resume, and the test data a
//! connected member gets.

use serde_json::json;

use crate::helpers::*;

async fn status_after(sim: &mx_sim::Simulator, u: &str, password: &str) -> (String, String) {
    let m = member(sim, u, password).await;
    settle().await;
    let r = read_member(sim, u, &m).await;
    (m, r["connection_status"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn each_documented_password_ends_in_its_status() {
    let sim = start().await;
    let u = user(&sim).await;
    for (password, status) in [
        ("password", "CONNECTED"),
        ("anything-else", "CONNECTED"),
        ("challenge", "CHALLENGED"),
        ("options", "CHALLENGED"),
        ("image", "CHALLENGED"),
        ("UNAUTHORIZED", "DENIED"),
        ("BAD_REQUEST", "FAILED"),
    ] {
        let (m, got) = status_after(&sim, &u, password).await;
        assert_eq!(got, status, "{password}");
        let r = read_member(&sim, &u, &m).await;
        assert_eq!(r["is_being_aggregated"], false, "{password}");
    }
}

#[tokio::test]
async fn challenges_have_their_type_and_resume_decides() {
    let sim = start().await;
    for (password, kind) in [
        ("challenge", "TEXT"),
        ("options", "OPTIONS"),
        ("image", "IMAGE"),
    ] {
        for (answer, end) in [("correct", "CONNECTED"), ("wrong", "REJECTED")] {
            // One user each: the same credentials twice are a duplicate.
            let u = user(&sim).await;
            let (m, _) = status_after(&sim, &u, password).await;
            let path = format!("/users/{u}/members/{m}");
            let c = atrium(&sim, "GET", &format!("{path}/challenges"), None).await;
            assert_eq!(c.status, 200, "{password}");
            let c = c.json()["challenges"][0].clone();
            assert_eq!(c["type"], kind);
            match kind {
                "OPTIONS" => assert!(c["options"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|o| o["value"] == "correct")),
                "IMAGE" => assert!(c["image_data"]
                    .as_str()
                    .unwrap()
                    .starts_with("data:image/png;base64,")),
                _ => assert!(c["label"].as_str().is_some()),
            }
            // The status route shows them too.
            let s = get(&sim, &format!("{path}/status")).await;
            assert_eq!(s["member"]["challenges"][0]["guid"], c["guid"]);
            let body =
                json!({ "member": { "challenges": [{ "guid": c["guid"], "value": answer }] } });
            let r = atrium(&sim, "PUT", &format!("{path}/resume"), Some(body)).await;
            assert_eq!(r.status, 200);
            if answer == "correct" {
                assert_eq!(r.json()["member"]["connection_status"], "RESUMED");
                assert_eq!(r.json()["member"]["is_being_aggregated"], true);
                settle().await;
            }
            assert_eq!(
                read_member(&sim, &u, &m).await["connection_status"],
                end,
                "{password} {answer}"
            );
            let c = atrium(&sim, "GET", &format!("{path}/challenges"), None).await;
            assert_eq!(c.status, 204, "nothing left to answer");
            assert!(c.bytes.is_empty());
        }
    }
}

#[tokio::test]
async fn resume_is_405_unless_challenged_and_challenges_204() {
    let sim = start().await;
    let u = user(&sim).await;
    let (m, _) = status_after(&sim, &u, "password").await;
    let body = json!({ "member": { "challenges": [{ "guid": "CRD-x", "value": "correct" }] } });
    let r = atrium(
        &sim,
        "PUT",
        &format!("/users/{u}/members/{m}/resume"),
        Some(body),
    )
    .await;
    assert_eq!(r.status, 405);
    error_of(&r, JSON);
    let c = atrium(
        &sim,
        "GET",
        &format!("/users/{u}/members/{m}/challenges"),
        None,
    )
    .await;
    assert_eq!(c.status, 204);
}

#[tokio::test]
async fn oauth_only_at_oauth_institutions_and_its_window_works_once() {
    let sim = start().await;
    let u = user(&sim).await;
    let a = atrium(
        &sim,
        "POST",
        &format!("/users/{u}/members"),
        Some(json!({ "member": { "institution_code": "mxbank", "is_oauth": true } })),
    )
    .await;
    assert_eq!(a.status, 400);
    assert!(error_of(&a, JSON).contains("does not support OAuth"));
    let a = atrium(
        &sim,
        "POST",
        &format!("/users/{u}/members"),
        Some(json!({ "member": { "institution_code": "mxbank_oauth", "is_oauth": true } })),
    )
    .await;
    assert_eq!(a.status, 202);
    let m = a.json()["member"].clone();
    assert_eq!(m["connection_status"], "PENDING");
    let uri = m["oauth_window_uri"].as_str().unwrap().to_string();
    assert_eq!(send("GET", &uri, &[], None).await.status, 200);
    assert_eq!(send("GET", &uri, &[], None).await.status, 410, "one-time");
    settle().await;
    let g = m["guid"].as_str().unwrap();
    assert_eq!(
        read_member(&sim, &u, g).await["connection_status"],
        "CONNECTED"
    );
    // A non-OAuth member has no window.
    let (plain, _) = status_after(&sim, &u, "password").await;
    let a = atrium(
        &sim,
        "GET",
        &format!("/users/{u}/members/{plain}/oauth_window_uri"),
        None,
    )
    .await;
    assert_eq!(a.status, 400);
    assert!(error_of(&a, JSON).contains("cannot use OAuth"));
}

#[tokio::test]
async fn updating_the_password_re_aggregates_with_its_outcome() {
    let sim = start().await;
    let u = user(&sim).await;
    let (m, status) = status_after(&sim, &u, "UNAUTHORIZED").await;
    assert_eq!(status, "DENIED");
    let body = json!({ "member": { "credentials": [{ "guid": PASSWORD, "value": "password" }] } });
    let a = atrium(&sim, "PUT", &format!("/users/{u}/members/{m}"), Some(body)).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["member"]["connection_status"], "UPDATED");
    assert_eq!(a.json()["member"]["is_being_aggregated"], true);
    settle().await;
    let r = read_member(&sim, &u, &m).await;
    assert_eq!(r["connection_status"], "CONNECTED");
    assert!(r["successfully_aggregated_at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    let accounts = get(&sim, &format!("/users/{u}/members/{m}/accounts")).await;
    assert_eq!(
        accounts["accounts"].as_array().unwrap().len(),
        4,
        "data once it connects"
    );
}
