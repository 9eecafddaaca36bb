//! Creates MX members through the generated clients.
//!
//! ```text
//! cargo run --example create_member -- nexus
//! cargo run --example create_member -- atrium
//! cargo run --features platform --example create_member -- platform
//! ```
//!
//! Without `MX_BASE_URL` it starts the built-in MX simulator and runs the
//! whole flow: a standard member, an OAuth member whose one-time window is
//! visited (twice: the second visit is refused), then a duplicate that MX
//! refuses (Atrium: 409 Conflict; Nexus: 422 with code 4220, the code MX
//! uses for several validation failures: its message says which).
//!
//! With `MX_BASE_URL` (and `MX_SESSION_TOKEN` for Nexus, `MX_API_KEY` and
//! `MX_CLIENT_ID` for Atrium and the Platform API) it creates one member there, as the flags say,
//! and prints it as JSON.

// Struct literals of generated types end in `..Default::default()` even when
// every field is set today: a field MX adds later must not break this code.
#![allow(clippy::needless_update)]

use std::time::Duration;

use clap::{Parser, ValueEnum};
use mx_client::{atrium, nexus, Error};
use mx_sim as sim;

#[derive(Clone, Copy, ValueEnum)]
enum Api {
    Nexus,
    Atrium,
    /// MX's Platform API (needs `--features platform`).
    Platform,
}

#[derive(Clone, Parser)]
#[command(about = "Create an MX member with mx-client")]
struct Args {
    /// Which API.
    api: Api,
    /// Create an OAuth member (no credentials).
    #[arg(long)]
    oauth: bool,
    /// Do not start aggregating after creation.
    #[arg(long)]
    skip_aggregation: bool,
    /// Institution: a code for Atrium and the Platform API, a GUID for Nexus.
    #[arg(long)]
    institution: Option<String>,
    /// A credential, as GUID=VALUE (repeatable).
    #[arg(long = "credential", value_parser = parse_credential)]
    credentials: Vec<(String, String)>,
    /// Atrium and the Platform API: the user to create the member on.
    #[arg(long, default_value = sim::DEMO_USER_GUID)]
    user: String,
}

fn parse_credential(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(g, v)| (g.to_string(), v.to_string()))
        .ok_or_else(|| "expected GUID=VALUE".to_string())
}

const NEXUS_INSTITUTION: &str = "INS-1572a04c-912b-59bf-5841-332c7dfafaef";
const NEXUS_CREDENTIALS: &[(&str, &str)] = &[
    (
        "CRD-18cd14ce-2628-5eb6-ae17-b11f89d0b667",
        "ExampleUsername",
    ),
    ("CRD-4f6a8b2c-1d3e-5f7a-9b0c-2d4e6f8a0b1c", "Pa$$vv@Rd"),
];
const ATRIUM_CREDENTIALS: &[(&str, &str)] = &[
    (
        "CRD-1ec152cd-e628-e81a-e852-d1e7104624da",
        "ExampleUsername",
    ),
    ("CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d", "Pa$$vv@Rd"),
];

#[cfg(not(feature = "platform"))]
const NO_PLATFORM: &str =
    "the Platform API needs the `platform` feature: cargo run --features platform --example create_member -- platform";

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("MX_BASE_URL is set, so {name} must be set too"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    match std::env::var("MX_BASE_URL") {
        Ok(base) => {
            let json = match args.api {
                Api::Nexus => {
                    let client = nexus::Client::from_environment(
                        nexus::Environment::Custom(base),
                        env("MX_SESSION_TOKEN")?,
                    )?;
                    serde_json::to_string_pretty(&nexus_create(&client, &args).await?)?
                }
                Api::Atrium => {
                    let client = atrium::Client::from_environment(
                        atrium::Environment::Custom(base),
                        env("MX_API_KEY")?,
                        env("MX_CLIENT_ID")?,
                    )?;
                    serde_json::to_string_pretty(&atrium_create(&client, &args).await?)?
                }
                #[cfg(feature = "platform")]
                Api::Platform => {
                    let client = platform::Client::from_environment(
                        platform::Environment::Custom(base),
                        env("MX_CLIENT_ID")?,
                        env("MX_API_KEY")?,
                    )?;
                    serde_json::to_string_pretty(&platform::create(&client, &args).await?)?
                }
                #[cfg(not(feature = "platform"))]
                Api::Platform => return Err(NO_PLATFORM.into()),
            };
            println!("{json}");
        }
        Err(_) => {
            let server = sim::start().await?;
            println!(
                "MX_BASE_URL is not set: using the built-in MX simulator at http://{}",
                server.addr()
            );
            println!("(set MX_BASE_URL and the credentials to talk to MX itself)\n");
            match args.api {
                Api::Nexus => nexus_flow(&server, args).await?,
                Api::Atrium => atrium_flow(&server, args).await?,
                #[cfg(feature = "platform")]
                Api::Platform => platform::flow(&server, args).await?,
                #[cfg(not(feature = "platform"))]
                Api::Platform => return Err(NO_PLATFORM.into()),
            }
            server.shutdown().await;
        }
    }
    Ok(())
}

fn credentials_or<'a>(args: &'a Args, demo: &'a [(&'a str, &'a str)]) -> Vec<(String, String)> {
    if args.credentials.is_empty() {
        demo.iter()
            .map(|(g, v)| (g.to_string(), v.to_string()))
            .collect()
    } else {
        args.credentials.clone()
    }
}

async fn nexus_create(
    client: &nexus::Client,
    args: &Args,
) -> Result<Option<nexus::types::MemberResponse>, Error> {
    let credentials = if args.oauth {
        vec![]
    } else {
        credentials_or(args, NEXUS_CREDENTIALS)
            .into_iter()
            .map(|(g, v)| nexus::types::MemberCreateRequestCredentialsItem {
                credential_guid: Some(g),
                value: Some(v.into()),
                ..Default::default()
            })
            .collect()
    };
    let mut member = nexus::types::MemberCreateRequest::new(
        args.institution.as_deref().unwrap_or(NEXUS_INSTITUTION),
    );
    member.credentials = credentials;
    member.is_oauth = args.oauth.then_some(true);
    member.skip_aggregation = args.skip_aggregation.then_some(true);
    // The spec leaves `member` optional in the answer.
    Ok(client
        .create_member()
        .body_map(|body| body.member(member))
        .send()
        .await?
        .into_inner()
        .member)
}

async fn atrium_create(
    client: &atrium::Client,
    args: &Args,
) -> Result<atrium::types::Member, Error> {
    let credentials = if args.oauth {
        vec![]
    } else {
        credentials_or(args, ATRIUM_CREDENTIALS)
            .into_iter()
            .map(|(g, v)| atrium::types::CredentialRequest {
                guid: Some(g),
                value: Some(v.into()),
                ..Default::default()
            })
            .collect()
    };
    let default_institution = if args.oauth { "mxbank_oauth" } else { "mxbank" };
    let mut member = atrium::types::MemberCreateRequest::new(
        args.institution.as_deref().unwrap_or(default_institution),
    );
    member.credentials = credentials;
    member.is_oauth = args.oauth.then_some(true);
    member.skip_aggregation = args.skip_aggregation.then_some(true);
    let answer = client
        .create_member()
        .user_guid(&args.user)
        .body_map(|body| body.member(member))
        .send()
        .await?
        .into_inner();
    Ok(answer.member)
}

/// Visits a one-time OAuth window the way the end user's browser would.
async fn visit(uri: &str) -> Result<reqwest::StatusCode, reqwest::Error> {
    Ok(reqwest::get(uri).await?.status())
}

fn show<T: serde::Serialize>(label: &str, value: &T) {
    println!(
        "{label}:\n{}\n",
        serde_json::to_string_pretty(value).expect("serializes")
    );
}

async fn nexus_flow(server: &sim::Simulator, args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let client = nexus::Client::from_environment(
        nexus::Environment::Custom(server.nexus_base_url()),
        server.config().session_token.clone(),
    )?;
    println!("== Nexus at {}\n", server.nexus_base_url());

    println!("1. Standard member (with credentials)");
    let standard = Args {
        oauth: false,
        ..args.clone()
    };
    let m = nexus_create(&client, &standard)
        .await?
        .ok_or("Nexus answered without a member")?;
    show("   created", &m);

    println!("2. OAuth member (is_oauth, no credentials)");
    let oauth = Args {
        oauth: true,
        ..args.clone()
    };
    // The demo institution of the doc page supports OAuth.
    let m = nexus_create(&client.skip_webhook(), &oauth)
        .await?
        .ok_or("Nexus answered without a member")?;
    show("   created (sent with MX-Skip-Webhook: true)", &m);
    let uri = m
        .oauth_window_uri
        .clone()
        .ok_or("an OAuth member has an oauth_window_uri")?;
    println!(
        "   visiting the one-time oauth_window_uri: {}",
        visit(&uri).await?
    );
    println!(
        "   visiting it again:                      {} (one-time use)\n",
        visit(&uri).await?
    );

    println!("3. The standard member again (same institution, same credentials)");
    match nexus_create(&client, &standard).await {
        Err(Error::Unprocessable(e)) => println!(
            "   refused as MX does: {} code {:?}: {}\n",
            e.status,
            e.code,
            e.message.unwrap_or_default()
        ),
        other => return Err(format!("expected a 422 refusal, got {other:?}").into()),
    }
    Ok(())
}

async fn atrium_flow(
    server: &sim::Simulator,
    args: Args,
) -> Result<(), Box<dyn std::error::Error>> {
    let client = atrium::Client::from_environment(
        atrium::Environment::Custom(server.atrium_base_url()),
        server.config().api_key.clone(),
        server.config().client_id.clone(),
    )?;
    println!(
        "== Atrium at {} (user {})\n",
        server.atrium_base_url(),
        args.user
    );

    println!("1. Standard member (with credentials)");
    let standard = Args {
        oauth: false,
        ..args.clone()
    };
    let m = atrium_create(&client, &standard).await?;
    show("   created", &m);
    let guid = m.guid.clone().ok_or("the member has a guid")?;
    tokio::time::sleep(server.config().aggregation_time + Duration::from_millis(50)).await;
    let read = client
        .read_member()
        .user_guid(&args.user)
        .member_guid(&guid)
        .send()
        .await?
        .into_inner();
    println!(
        "   read after the aggregation job: connection_status {:?}, is_being_aggregated {:?}\n",
        read.member.connection_status, read.member.is_being_aggregated
    );

    println!("2. OAuth member (is_oauth, no credentials)");
    let oauth = Args {
        oauth: true,
        ..args.clone()
    };
    let m = atrium_create(&client, &oauth).await?;
    show("   created", &m);
    let url = m
        .oauth_window_url()?
        .ok_or("an OAuth member has an oauth_window_uri")?;
    println!(
        "   visiting the one-time oauth_window_uri: {}",
        visit(url.as_str()).await?
    );
    println!(
        "   visiting it again:                      {} (one-time use)",
        visit(url.as_str()).await?
    );
    tokio::time::sleep(server.config().aggregation_time + Duration::from_millis(50)).await;
    let guid = m.guid.clone().ok_or("the member has a guid")?;
    let status = client
        .read_member_status()
        .user_guid(&args.user)
        .member_guid(&guid)
        .send()
        .await?
        .into_inner();
    println!(
        "   status after OAuth: {:?}\n",
        status.member.connection_status
    );

    println!("3. The standard member again (same institution, same credentials)");
    match atrium_create(&client, &standard).await {
        Err(Error::Conflict(e)) => println!(
            "   refused as MX does: {}: {}\n",
            e.status,
            e.message.unwrap_or_default()
        ),
        other => return Err(format!("expected 409 Conflict, got {other:?}").into()),
    }
    Ok(())
}

/// The Platform mode: Atrium's users and members, HTTP Basic auth.
#[cfg(feature = "platform")]
mod platform {
    use super::*;
    use mx_client::lifecycle::{poll_member, PollConfig, Settled};
    pub use mx_client::platform::{types, Client, Environment};

    // Update syntax on generated structs: a field MX adds never breaks this.
    #[allow(clippy::needless_update)]
    pub async fn create(client: &Client, args: &Args) -> Result<types::MemberResponse, Error> {
        let credentials = if args.oauth {
            vec![]
        } else {
            credentials_or(args, ATRIUM_CREDENTIALS)
                .into_iter()
                .map(|(g, v)| types::CredentialRequest {
                    guid: Some(g),
                    value: Some(v.into()),
                    ..Default::default()
                })
                .collect()
        };
        let default_institution = if args.oauth { "mxbank_oauth" } else { "mxbank" };
        let mut member = types::MemberCreateRequest::new(
            args.institution.as_deref().unwrap_or(default_institution),
        );
        member.credentials = credentials;
        member.is_oauth = args.oauth.then_some(true);
        member.skip_aggregation = args.skip_aggregation.then_some(true);
        let answer = client
            .create_member()
            .user_guid(&args.user)
            .body(types::MemberCreateRequestBody {
                member: Some(member),
                ..Default::default()
            })
            .send()
            .await?
            .into_inner();
        answer
            .member
            .ok_or(Error::InvalidRequest("MX answered without a member".into()))
    }

    pub async fn flow(
        server: &sim::Simulator,
        args: Args,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let client = Client::from_environment(
            Environment::Custom(server.platform_base_url()),
            server.config().client_id.clone(),
            server.config().api_key.clone(),
        )?;
        println!(
            "== Platform API at {} (user {})\n",
            server.platform_base_url(),
            args.user
        );
        let poll = PollConfig::new()
            .interval(Duration::from_millis(50))
            .deadline(Duration::from_secs(30));

        println!("1. Standard member (with credentials)");
        let standard = Args {
            oauth: false,
            ..args.clone()
        };
        let m = create(&client, &standard).await?;
        show("   created", &m);
        let guid = m.guid.clone().ok_or("the member has a guid")?;
        match poll_member(client.member_fetcher(&args.user, &guid), poll.clone()).await? {
            Settled::Connected(s) => println!("   polled to {:?}\n", s.status),
            other => return Err(format!("expected CONNECTED, got {other:?}").into()),
        }

        println!("2. OAuth member (is_oauth, no credentials)");
        let oauth = Args {
            oauth: true,
            ..args.clone()
        };
        let m = create(&client, &oauth).await?;
        show("   created", &m);
        let guid = m.guid.clone().ok_or("the member has a guid")?;
        let url = client
            .oauth_window_url(&args.user, &guid)
            .await?
            .ok_or("an OAuth member has an oauth_window_uri")?;
        println!(
            "   visiting the one-time OAuth window: {}",
            visit(url.as_str()).await?
        );
        println!(
            "   visiting it again:                  {} (one-time use)",
            visit(url.as_str()).await?
        );
        match poll_member(client.member_fetcher(&args.user, &guid), poll).await? {
            Settled::Connected(s) => println!("   status after OAuth: {:?}\n", s.status),
            other => return Err(format!("expected CONNECTED, got {other:?}").into()),
        }

        println!("3. The standard member again (same institution, same credentials)");
        match create(&client, &standard).await {
            Err(Error::Conflict(e)) => println!(
                "   refused as MX does: {}: {}\n",
                e.status,
                e.message.unwrap_or_default()
            ),
            other => return Err(format!("expected 409 Conflict, got {other:?}").into()),
        }
        Ok(())
    }
}
