//! A member's whole connection lifecycle with Atrium or the Platform API:
//! create, follow its status, answer MFA, read its data, and receive MX's
//! webhooks. The flow is written once, over the member API both share
//! (`mx_client::lifecycle::MemberHandle`); each API gives only its
//! create and list calls.
//!
//! ```text
//! cargo run --example member_lifecycle -- atrium
//! cargo run --all-features --example member_lifecycle -- platform
//! cargo run --all-features --example member_lifecycle -- platform --api-version v20111101
//! ```
//!
//! Without `MX_BASE_URL` it runs offline: a local webhook receiver (axum,
//! verifying HTTP Basic with `mx_client::lifecycle::webhook`) and the MX
//! simulator pointed at it, polling every 200 ms. With `MX_BASE_URL`,
//! `MX_CLIENT_ID` and `MX_API_KEY` it runs against MX (MX Bank's test
//! credentials, MX's 3-second poll interval), receiving webhooks only with
//! `--webhook-listen ADDR` (MX must be configured to send them there).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use clap::{Parser, ValueEnum};
use futures_util::StreamExt;
use mx_client::atrium;
use mx_client::lifecycle::resume::{Answers, ResumeOutcome};
use mx_client::lifecycle::webhook::{WebhookEvent, WebhookReceiver};
use mx_client::lifecycle::webhook_auth::BasicAuth;
use mx_client::lifecycle::{
    mfa::Challenge, MemberApi, MemberHandle, PollConfig, PollEvent, Settled,
};
use mx_client::{ApiKey, ClientId, ConnectionStatus};
use serde_json::json;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Received = Arc<Mutex<Vec<WebhookEvent>>>;

#[derive(Clone, Copy, ValueEnum)]
enum Api {
    /// Atrium (Nexus documents only member creation: see create_member).
    Atrium,
    /// MX's Platform API (needs its version's feature, or `--all-features`).
    Platform,
}

/// A version of MX's Platform API.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum PlatformVersion {
    /// MX's current version (feature `platform-v20250224`, or `platform`).
    V20250224,
    /// The original version (feature `platform-v20111101`).
    V20111101,
}

#[derive(Parser)]
#[command(about = "A member's connection lifecycle with mx-client")]
struct Args {
    api: Api,
    /// The Platform API's version (sent as `Accept-Version`).
    #[arg(long, value_enum, default_value = "v20250224")]
    api_version: PlatformVersion,
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

/// What the flow needs of an API beyond the member API: a user, an MX
/// Bank member, and the member's data.
trait Flow: MemberApi {
    /// The API's name and where it is, for the banner.
    const NAME: &'static str;
    /// A client of `base` (MX, or the simulator's mount of the API).
    fn connect(base: String, id: ClientId, key: ApiKey) -> Result<Self, BoxError>;
    /// Creates a user; its guid.
    async fn new_user(&self) -> Result<String, BoxError>;
    /// Creates an MX Bank member with these test credentials.
    async fn new_member(&self, user: &str, password: &str) -> Result<MemberHandle<Self>, BoxError>;
    /// The member's accounts (name, balance) and transactions (date,
    /// amount, description).
    async fn data(&self, member: &MemberHandle<Self>) -> Result<Data, BoxError>;
}

/// A member's accounts and transactions, as the flow prints them.
type Data = (Vec<(String, f64)>, Vec<(String, f64, String)>);

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args = Args::parse();
    match (args.api, args.api_version) {
        (Api::Atrium, _) => run::<atrium::Client>(&args, |sim| sim.atrium_base_url()).await,
        #[cfg(feature = "platform-v20250224")]
        (Api::Platform, PlatformVersion::V20250224) => {
            run::<mx_client::platform::v20250224::Client>(&args, |sim| sim.platform_base_url())
                .await
        }
        #[cfg(feature = "platform-v20111101")]
        (Api::Platform, PlatformVersion::V20111101) => {
            run::<mx_client::platform::v20111101::Client>(&args, |sim| sim.platform_base_url())
                .await
        }
        #[allow(unreachable_patterns)]
        (Api::Platform, v) => Err(format!(
            "the Platform API's {v:?} needs its feature: cargo run --all-features --example member_lifecycle -- platform"
        )
        .into()),
    }
}

/// Runs the flow against MX (`MX_BASE_URL`) or offline against the
/// simulator, whose mount of the API `mount` names.
async fn run<C: Flow>(args: &Args, mount: fn(&mx_sim::Simulator) -> String) -> Result<(), BoxError>
where
    C::Member: std::fmt::Debug,
{
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
            let client = C::connect(
                base,
                ClientId::new(
                    std::env::var("MX_CLIENT_ID").map_err(|_| "MX_CLIENT_ID is not set")?,
                ),
                ApiKey::new(std::env::var("MX_API_KEY").map_err(|_| "MX_API_KEY is not set")?),
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
                "Offline: {} of the MX simulator at {}, webhooks to {url}\n",
                C::NAME,
                mount(&sim)
            );
            let client = C::connect(
                mount(&sim),
                ClientId::new(sim.config().client_id.clone()),
                ApiKey::new(sim.config().api_key.clone()),
            )?;
            let poll = PollConfig::new().interval(Duration::from_millis(200));
            lifecycle(&client, poll, &received).await
        }
    }
}

/// The whole lifecycle, on any API with MX's member flow.
async fn lifecycle<C: Flow>(c: &C, poll: PollConfig, received: &Received) -> Result<(), BoxError>
where
    C::Member: std::fmt::Debug,
{
    let user = c.new_user().await?;

    println!("1. Create an MX Bank member whose password is `challenge`");
    let member = c.new_member(&user, "challenge").await?;

    println!("2. Follow it until it settles");
    let Settled::Challenged(snapshot) = follow(&member, poll.clone()).await? else {
        return Err("expected CHALLENGED".into());
    };

    println!("3. Answer its challenges with `correct`");
    let answers = answer(&snapshot.challenges, "correct")?;
    match member.resume(&answers).await? {
        ResumeOutcome::Resumed(_) => println!("   resumed"),
        other => return Err(format!("resume refused: {other:?}").into()),
    }

    println!("4. Follow it until it settles");
    let Settled::Connected(_) = follow(&member, poll.clone()).await? else {
        return Err("expected CONNECTED".into());
    };

    println!("5. Its accounts and transactions");
    let (accounts, transactions) = c.data(&member).await?;
    for (name, balance) in &accounts {
        println!("   account {name:<24} balance {balance:>10.2}");
    }
    println!("   {} transactions, e.g.:", transactions.len());
    for (date, amount, description) in transactions.iter().take(3) {
        println!("   {date} {amount:>9.2} {description}");
    }

    println!("6. Create a member whose password is `UNAUTHORIZED`");
    let denied = c.new_member(&user, "UNAUTHORIZED").await?;
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

/// The body of an MX Bank member with these test credentials, for an API
/// whose create-member body is `{"member": {"institution_code", "credentials":
/// [{"guid", "value"}]}}` (Atrium and the Platform); the credential guids
/// come from the institution's credentials list.
fn mxbank_body<T: serde::de::DeserializeOwned>(
    fields: &[(Option<String>, Option<String>)],
    password: &str,
) -> Result<T, BoxError> {
    let guid_of = |name: &str| {
        fields
            .iter()
            .find(|(field, _)| field.as_deref() == Some(name))
            .and_then(|(_, guid)| guid.clone())
    };
    let (login, pass) = guid_of("LOGIN")
        .zip(guid_of("PASSWORD"))
        .ok_or("MX Bank has no LOGIN/PASSWORD credentials")?;
    Ok(serde_json::from_value(json!({"member": {
        "institution_code": "mxbank",
        "credentials": [{"guid": login, "value": "mxuser"}, {"guid": pass, "value": password}],
    }}))?)
}

impl Flow for atrium::Client {
    const NAME: &'static str = "Atrium";

    fn connect(base: String, id: ClientId, key: ApiKey) -> Result<Self, BoxError> {
        Ok(atrium::Client::from_environment(
            atrium::Environment::Custom(base),
            id,
            key,
        )?)
    }

    async fn new_user(&self) -> Result<String, BoxError> {
        let body =
            serde_json::from_value::<atrium::types::UserCreateRequestBody>(json!({"user": {}}))?;
        let user = self
            .create_user()
            .body(body)
            .send()
            .await?
            .into_inner()
            .user;
        Ok(user.guid.ok_or("MX answered a user without a guid")?)
    }

    async fn new_member(&self, user: &str, password: &str) -> Result<MemberHandle<Self>, BoxError> {
        let fields: Vec<_> = self
            .read_institution_credentials()
            .institution_code("mxbank")
            .send()
            .await?
            .into_inner()
            .credentials
            .into_iter()
            .map(|f| (f.field_name, f.guid))
            .collect();
        let body: atrium::types::MemberCreateRequestBody = mxbank_body(&fields, password)?;
        let m = self
            .create_member()
            .user_guid(user)
            .body(body)
            .send()
            .await?
            .into_inner()
            .member;
        created(&m.guid, &m.connection_status);
        Ok(self.member(user, m.guid.ok_or("MX answered a member without a guid")?))
    }

    async fn data(&self, member: &MemberHandle<Self>) -> Result<Data, BoxError> {
        let (user, guid) = (member.user_guid(), member.member_guid());
        let accounts = self
            .list_member_accounts()
            .user_guid(user)
            .member_guid(guid)
            .send()
            .await?
            .into_inner()
            .accounts;
        let transactions = self
            .list_member_transactions()
            .user_guid(user)
            .member_guid(guid)
            .send()
            .await?
            .into_inner()
            .transactions;
        Ok((
            accounts
                .into_iter()
                .map(|a| (a.name.unwrap_or_default(), a.balance.unwrap_or(0.0)))
                .collect(),
            transactions
                .into_iter()
                .map(|t| {
                    (
                        t.date.unwrap_or_default(),
                        t.amount.unwrap_or(0.0),
                        t.description.unwrap_or_default(),
                    )
                })
                .collect(),
        ))
    }
}

/// The Platform's flow, in each version: the same calls, its path
/// parameters' builder methods.
#[allow(unused_macros)]
macro_rules! platform_flow {
    ($version:ident, user: $user:ident, member: $member:ident, institution: $institution:ident) => {
        impl Flow for mx_client::platform::$version::Client {
            const NAME: &'static str = concat!("the Platform API ", stringify!($version));

            fn connect(base: String, id: ClientId, key: ApiKey) -> Result<Self, BoxError> {
                use mx_client::platform::$version::{Client, Environment};
                Ok(Client::from_environment(Environment::Custom(base), id, key)?)
            }

            async fn new_user(&self) -> Result<String, BoxError> {
                let body: mx_client::platform::$version::types::UserCreateRequestBody =
                    serde_json::from_value(json!({"user": {}}))?;
                let user = self.create_user().body(body).send().await?.into_inner().user;
                Ok(user
                    .and_then(|u| u.guid)
                    .ok_or("MX answered a user without a guid")?)
            }

            async fn new_member(
                &self,
                user: &str,
                password: &str,
            ) -> Result<MemberHandle<Self>, BoxError> {
                let fields: Vec<_> = self
                    .list_institution_credentials()
                    .$institution("mxbank")
                    .send()
                    .await?
                    .into_inner()
                    .credentials
                    .into_iter()
                    .map(|f| (f.field_name, f.guid))
                    .collect();
                let m = self
                    .create_member()
                    .$user(user)
                    .body(mxbank_body::<mx_client::platform::$version::types::MemberCreateRequestBody>(
                        &fields, password,
                    )?)
                    .send()
                    .await?
                    .into_inner()
                    .member
                    .ok_or("MX answered without a member")?;
                created(&m.guid, &m.connection_status);
                Ok(self.member(user, m.guid.ok_or("MX answered a member without a guid")?))
            }

            async fn data(&self, member: &MemberHandle<Self>) -> Result<Data, BoxError> {
                let (user, guid) = (member.user_guid(), member.member_guid());
                let accounts = self
                    .list_member_accounts()
                    .$user(user)
                    .$member(guid)
                    .send()
                    .await?
                    .into_inner()
                    .accounts;
                let transactions = self
                    .list_transactions_by_member()
                    .$user(user)
                    .$member(guid)
                    .send()
                    .await?
                    .into_inner()
                    .transactions;
                Ok((
                    accounts
                        .into_iter()
                        .map(|a| (a.name.unwrap_or_default(), a.balance.unwrap_or(0.0)))
                        .collect(),
                    transactions
                        .into_iter()
                        .map(|t| {
                            (
                                t.date.unwrap_or_default(),
                                t.amount.unwrap_or(0.0),
                                t.description.unwrap_or_default(),
                            )
                        })
                        .collect(),
                ))
            }
        }
    };
}

#[cfg(feature = "platform-v20250224")]
platform_flow!(
    v20250224,
    user: user_identifier,
    member: member_identifier,
    institution: institution_identifier
);
#[cfg(feature = "platform-v20111101")]
platform_flow!(
    v20111101,
    user: user_guid,
    member: member_guid,
    institution: institution_code
);

fn created(guid: &Option<String>, connection: &Option<ConnectionStatus>) {
    println!(
        "   created {} ({})",
        guid.as_deref().unwrap_or("?"),
        status(connection)
    );
}

/// Prints each status change until the member settles.
async fn follow<C: MemberApi>(
    member: &MemberHandle<C>,
    poll: PollConfig,
) -> Result<Settled, BoxError> {
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
