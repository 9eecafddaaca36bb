//! A member's whole connection lifecycle with Atrium: create, follow its
//! status, answer MFA, read its data, and receive MX's webhooks.
//!
//! ```text
//! cargo run --example member_lifecycle -- atrium
//! ```
//!
//! Without `MX_BASE_URL` it runs offline: a local webhook receiver (axum,
//! verifying HTTP Basic with `mx_client::lifecycle::webhook`) and the MX
//! simulator pointed at it, polling every 200 ms. With `MX_BASE_URL`,
//! `MX_API_KEY` and `MX_CLIENT_ID` it runs against MX (MX Bank's test
//! credentials, MX's 3-second poll interval), receiving webhooks only with
//! `--webhook-listen ADDR` (MX must be configured to send them there).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use clap::{Parser, ValueEnum};
use futures_util::StreamExt;
use mx_client::atrium::{self, types, MemberHandle};
use mx_client::lifecycle::resume::{Answers, ResumeOutcome};
use mx_client::lifecycle::webhook::{WebhookEvent, WebhookReceiver};
use mx_client::lifecycle::webhook_auth::BasicAuth;
use mx_client::lifecycle::{mfa::Challenge, PollConfig, PollEvent, Settled};
use mx_client::ConnectionStatus;
use serde_json::json;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Received = Arc<Mutex<Vec<WebhookEvent>>>;

#[derive(Clone, Copy, ValueEnum)]
enum Api {
    /// Atrium (Nexus documents only member creation: see create_member).
    Atrium,
}

#[derive(Parser)]
#[command(about = "A member's connection lifecycle with mx-client")]
struct Args {
    api: Api,
    /// Against MX: also receive webhooks on this address (e.g. 0.0.0.0:8090).
    #[arg(long)]
    webhook_listen: Option<SocketAddr>,
    /// The HTTP Basic credentials webhooks must carry.
    #[arg(
        long,
        value_name = "USER:PASSWORD",
        default_value = "mx-webhooks:demo-webhook-password"
    )]
    webhook_basic_auth: String,
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args = Args::parse();
    let Api::Atrium = args.api;
    let (user, password) = args
        .webhook_basic_auth
        .split_once(':')
        .ok_or("--webhook-basic-auth takes USER:PASSWORD")?;
    let verifier = WebhookReceiver::new(BasicAuth::new(user, password.to_string())?);
    let received: Received = Arc::default();
    match std::env::var("MX_BASE_URL") {
        Ok(base) => {
            if let Some(addr) = args.webhook_listen {
                let url = listen(addr, verifier, received.clone()).await?;
                println!("Receiving webhooks on {url}");
            }
            let client = atrium::Client::from_environment(
                atrium::Environment::Custom(base),
                std::env::var("MX_API_KEY").map_err(|_| "MX_API_KEY is not set")?,
                std::env::var("MX_CLIENT_ID").map_err(|_| "MX_CLIENT_ID is not set")?,
            )?;
            lifecycle(&client, PollConfig::new(), &received).await
        }
        Err(_) => {
            let url = listen(([127, 0, 0, 1], 0).into(), verifier, received.clone()).await?;
            let config = mx_sim::Config {
                aggregation_time: Duration::from_millis(800),
                job_time: Duration::from_millis(800),
                webhook: Some(
                    mx_sim::WebhookConfig::new(&url).basic_auth(&args.webhook_basic_auth)?,
                ),
                ..mx_sim::Config::default()
            };
            let sim = mx_sim::start_with(config, ([127, 0, 0, 1], 0).into()).await?;
            println!(
                "Offline: MX simulator at {}, webhooks to {url}\n",
                sim.base_url("atrium").unwrap_or_default()
            );
            let client = atrium::Client::from_environment(
                atrium::Environment::Custom(sim.atrium_base_url()),
                sim.config().api_key.clone(),
                sim.config().client_id.clone(),
            )?;
            let poll = PollConfig::new().interval(Duration::from_millis(200));
            lifecycle(&client, poll, &received).await
        }
    }
}

async fn lifecycle(
    c: &atrium::Client,
    poll: PollConfig,
    received: &Received,
) -> Result<(), BoxError> {
    let user = c
        .create_user()
        .body(serde_json::from_value::<types::UserCreateRequestBody>(
            json!({"user": {}}),
        )?)
        .send()
        .await?
        .into_inner()
        .user
        .guid
        .ok_or("MX answered a user without a guid")?;

    println!("1. Create an MX Bank member whose password is `challenge`");
    let member = create(c, &user, "challenge").await?;

    println!("2. Follow it until it settles");
    let Settled::Challenged(snapshot) = follow(&member, poll.clone()).await? else {
        return Err("expected CHALLENGED".into());
    };

    println!("3. Answer its challenges with `correct`");
    let answers = answer(&snapshot.challenges, "correct")?;
    match member.resume(&answers).await? {
        ResumeOutcome::Resumed(m) => println!("   resumed: {}", status(&m.connection_status)),
        other => return Err(format!("resume refused: {other:?}").into()),
    }

    println!("4. Follow it until it settles");
    let Settled::Connected(_) = follow(&member, poll.clone()).await? else {
        return Err("expected CONNECTED".into());
    };

    println!("5. Its accounts and transactions");
    let accounts = c
        .list_member_accounts()
        .user_guid(&user)
        .member_guid(member.member_guid())
        .send()
        .await?
        .into_inner()
        .accounts;
    for a in &accounts {
        println!(
            "   account {:<24} balance {:>10.2}",
            a.name.as_deref().unwrap_or("?"),
            a.balance.unwrap_or(0.0)
        );
    }
    let transactions = c
        .list_member_transactions()
        .user_guid(&user)
        .member_guid(member.member_guid())
        .send()
        .await?
        .into_inner()
        .transactions;
    println!("   {} transactions, e.g.:", transactions.len());
    for t in transactions.iter().take(3) {
        println!(
            "   {} {:>9.2} {}",
            t.date.as_deref().unwrap_or("?"),
            t.amount.unwrap_or(0.0),
            t.description.as_deref().unwrap_or("")
        );
    }

    println!("6. Create a member whose password is `UNAUTHORIZED`");
    let denied = create(c, &user, "UNAUTHORIZED").await?;
    let Settled::Error { .. } = follow(&denied, poll).await? else {
        return Err("expected DENIED".into());
    };

    println!("7. The webhooks received");
    wait_for_denied(received, denied.member_guid()).await;
    for event in received.lock().map_err(|_| "receiver lock")?.iter() {
        match event {
            WebhookEvent::ConnectionStatus(e) => println!(
                "   connection status {} for {}",
                status(&e.status),
                e.member_guid.as_deref().unwrap_or("?")
            ),
            WebhookEvent::Aggregation(e) => println!(
                "   aggregation {:?} completed_on {} for {}",
                e.type_,
                e.completed_on.as_deref().unwrap_or("?"),
                e.member_guid.as_deref().unwrap_or("?")
            ),
            other => println!("   {} webhook", other.kind()),
        }
    }
    Ok(())
}

/// Creates an MX Bank member with these test credentials.
async fn create(c: &atrium::Client, user: &str, password: &str) -> Result<MemberHandle, BoxError> {
    let fields = c
        .read_institution_credentials()
        .institution_code("mxbank")
        .send()
        .await?
        .into_inner()
        .credentials;
    let guid_of = |name: &str| {
        fields
            .iter()
            .find(|f| f.field_name.as_deref() == Some(name))
            .and_then(|f| f.guid.clone())
    };
    let (login, pass) = guid_of("LOGIN")
        .zip(guid_of("PASSWORD"))
        .ok_or("MX Bank has no LOGIN/PASSWORD credentials")?;
    let body: types::MemberCreateRequestBody = serde_json::from_value(json!({"member": {
        "institution_code": "mxbank",
        "credentials": [{"guid": login, "value": "mxuser"}, {"guid": pass, "value": password}],
    }}))?;
    let m = c
        .create_member()
        .user_guid(user)
        .body(body)
        .send()
        .await?
        .into_inner()
        .member;
    println!(
        "   created {} ({})",
        m.guid.as_deref().unwrap_or("?"),
        status(&m.connection_status)
    );
    Ok(c.member(user, m.guid.ok_or("MX answered a member without a guid")?))
}

/// Prints each status change until the member settles.
async fn follow(member: &MemberHandle, poll: PollConfig) -> Result<Settled, BoxError> {
    let mut events = std::pin::pin!(member.watch(poll));
    while let Some(event) = events.next().await {
        match event? {
            PollEvent::Changed(s) => println!(
                "   status {}{}",
                status(&s.status),
                if s.is_being_aggregated {
                    " (aggregating)"
                } else {
                    ""
                }
            ),
            PollEvent::Settled(settled) => {
                match &settled {
                    Settled::Connected(s) => println!("   settled {}\n", status(&s.status)),
                    Settled::Challenged(s) => {
                        println!(
                            "   settled CHALLENGED: {} challenge(s)\n",
                            s.challenges.len()
                        )
                    }
                    Settled::Error { status, class, .. } => {
                        println!("   settled {status}: {class:?}\n")
                    }
                    _ => {}
                }
                return Ok(settled);
            }
            _ => {}
        }
    }
    Err("the poller ended without settling".into())
}

/// `value` for every challenge, picked when the challenge takes a pick.
fn answer(challenges: &[Challenge], value: &str) -> Result<Answers, BoxError> {
    challenges.iter().try_fold(Answers::new(), |answers, c| {
        println!("   {}: {value}", c.label.as_deref().unwrap_or("challenge"));
        Ok(match c.choices() {
            Some(_) => answers.pick(c, value)?,
            None => answers.text(c, value)?,
        })
    })
}

fn status(s: &Option<ConnectionStatus>) -> String {
    s.as_ref().map_or("no status".into(), ToString::to_string)
}

/// Waits up to 5 s for the DENIED webhook (MX sends webhooks asynchronously).
async fn wait_for_denied(received: &Received, member: &str) {
    for _ in 0..50 {
        let seen = received.lock().map(|events| {
            events.iter().any(|e| matches!(e, WebhookEvent::ConnectionStatus(s)
                if s.status == Some(ConnectionStatus::Denied) && s.member_guid.as_deref() == Some(member)))
        });
        if seen.unwrap_or(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!("   (no DENIED webhook yet)");
}

/// An axum webhook endpoint at `addr`: the crate's framework-neutral
/// receiver checks Basic auth and decodes; answers 200 quickly.
async fn listen(
    addr: SocketAddr,
    verifier: WebhookReceiver,
    received: Received,
) -> Result<String, BoxError> {
    let app = axum::Router::new().route(
        "/mx/webhooks",
        axum::routing::post(
            move |headers: HeaderMap, body: axum::body::Bytes| async move {
                match verifier.receive(&headers, &body) {
                    Ok(event) => {
                        if let Ok(mut r) = received.lock() {
                            r.push(event);
                        }
                        StatusCode::OK
                    }
                    Err(e) => e.status(),
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let url = format!("http://{}/mx/webhooks", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}
