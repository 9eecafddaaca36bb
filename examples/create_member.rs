//! Creates MX members through the generated clients.
//!
//! ```text
//! cargo run --example create_member -- nexus
//! cargo run --example create_member -- atrium
//! cargo run --all-features --example create_member -- platform
//! cargo run --all-features --example create_member -- platform --api-version v20111101
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
use mx_client::{atrium, nexus, ApiKey, ClientId, Error};
use mx_sim as sim;

#[derive(Clone, Copy, ValueEnum)]
enum Api {
    Nexus,
    Atrium,
    /// MX's Platform API (needs its version's feature, or `--all-features`).
    Platform,
}

/// A version of MX's Platform API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum PlatformVersion {
    /// MX's current version (feature `platform-v20250224`, or `platform`).
    V20250224,
    /// The original version (feature `platform-v20111101`).
    V20111101,
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
    /// The Platform API's version (sent as `Accept-Version`).
    #[arg(long, value_enum, default_value = "v20250224")]
    api_version: PlatformVersion,
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

/// A Platform version this build does not have.
fn no_platform(version: PlatformVersion) -> Box<dyn std::error::Error> {
    let feature = match version {
        PlatformVersion::V20250224 => "platform-v20250224",
        PlatformVersion::V20111101 => "platform-v20111101",
    };
    format!("the Platform API's {version:?} needs the `{feature}` feature: cargo run --all-features --example create_member -- platform").into()
}

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
                        ClientId::new(env("MX_CLIENT_ID")?),
                        ApiKey::new(env("MX_API_KEY")?),
                    )?;
                    serde_json::to_string_pretty(&atrium_create(&client, &args).await?)?
                }
                Api::Platform => match args.api_version {
                    #[cfg(feature = "platform-v20250224")]
                    PlatformVersion::V20250224 => v20250224::create_at(base, &args).await?,
                    #[cfg(feature = "platform-v20111101")]
                    PlatformVersion::V20111101 => v20111101::create_at(base, &args).await?,
                    #[allow(unreachable_patterns)]
                    other => return Err(no_platform(other)),
                },
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
            match (args.api, args.api_version) {
                (Api::Nexus, _) => nexus_flow(&server, args).await?,
                (Api::Atrium, _) => atrium_flow(&server, args).await?,
                #[cfg(feature = "platform-v20250224")]
                (Api::Platform, PlatformVersion::V20250224) => {
                    v20250224::flow(&server, args).await?
                }
                #[cfg(feature = "platform-v20111101")]
                (Api::Platform, PlatformVersion::V20111101) => {
                    v20111101::flow(&server, args).await?
                }
                #[allow(unreachable_patterns)]
                (Api::Platform, other) => return Err(no_platform(other)),
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
        .body(nexus::types::MemberCreateRequestBody::new(member))
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
        .body(atrium::types::MemberCreateRequestBody::new(member))
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
        ClientId::new(server.config().client_id.clone()),
        ApiKey::new(server.config().api_key.clone()),
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

/// The Platform mode of one version: Atrium's users and members, HTTP
/// Basic auth, the version's `Accept-Version`. The two versions run the
/// same flow through the same member API; they differ in the builder
/// method of the user path parameter and in how aggregation is skipped.
#[allow(unused_macros)]
macro_rules! platform_mode {
    ($version:ident, user: $user:ident, skip_aggregation: $skip:expr) => {
        mod $version {
            use super::*;
            use mx_client::lifecycle::oauth::OAuthWindowOptions;
            use mx_client::lifecycle::{PollConfig, Settled};
            use mx_client::platform::$version::{types, Client, Environment};

            // Update syntax on generated structs: a field MX adds never breaks this.
            #[allow(clippy::needless_update)]
            pub async fn create(
                client: &Client,
                args: &Args,
            ) -> Result<types::MemberResponse, Box<dyn std::error::Error>> {
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
                    credentials,
                    args.institution.as_deref().unwrap_or(default_institution),
                );
                member.is_oauth = args.oauth.then_some(true);
                let skip: fn(&mut types::MemberCreateRequest) -> Result<(), String> = $skip;
                if args.skip_aggregation {
                    skip(&mut member)?;
                }
                let answer = client
                    .create_member()
                    .$user(&args.user)
                    .body(types::MemberCreateRequestBody {
                        member: Some(member),
                        ..Default::default()
                    })
                    .send()
                    .await?
                    .into_inner();
                Ok(answer.member.ok_or("MX answered without a member")?)
            }

            /// Creates one member at `base` with the credentials of the
            /// environment, as JSON.
            pub async fn create_at(
                base: String,
                args: &Args,
            ) -> Result<String, Box<dyn std::error::Error>> {
                let client = Client::from_environment(
                    Environment::Custom(base),
                    ClientId::new(env("MX_CLIENT_ID")?),
                    ApiKey::new(env("MX_API_KEY")?),
                )?;
                Ok(serde_json::to_string_pretty(&create(&client, args).await?)?)
            }

            pub async fn flow(
                server: &sim::Simulator,
                args: Args,
            ) -> Result<(), Box<dyn std::error::Error>> {
                let client = Client::from_environment(
                    Environment::Custom(server.platform_base_url()),
                    ClientId::new(server.config().client_id.clone()),
                    ApiKey::new(server.config().api_key.clone()),
                )?;
                println!(
                    "== Platform API {} at {} (user {})\n",
                    stringify!($version),
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
                match client.member(&args.user, &guid).poll(poll.clone()).await? {
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
                let member = client.member(&args.user, &guid);
                let url = member.oauth_window(&OAuthWindowOptions::new()).await?;
                println!(
                    "   visiting the one-time OAuth window: {}",
                    visit(url.as_str()).await?
                );
                println!(
                    "   visiting it again:                  {} (one-time use)",
                    visit(url.as_str()).await?
                );
                match member.poll(poll).await? {
                    Settled::Connected(s) => println!("   status after OAuth: {:?}\n", s.status),
                    other => return Err(format!("expected CONNECTED, got {other:?}").into()),
                }

                println!("3. The standard member again (same institution, same credentials)");
                match create(&client, &standard).await {
                    Err(e) => match e.downcast_ref::<Error>() {
                        Some(Error::Conflict(e)) => println!(
                            "   refused as MX does: {}: {}\n",
                            e.status,
                            e.message.clone().unwrap_or_default()
                        ),
                        _ => return Err(format!("expected 409 Conflict, got {e:?}").into()),
                    },
                    Ok(m) => return Err(format!("expected 409 Conflict, got {m:?}").into()),
                }
                Ok(())
            }
        }
    };
}

#[cfg(feature = "platform-v20250224")]
platform_mode!(
    v20250224,
    user: user_identifier,
    // MX's migration guide: v20250224 replaces create-member's
    // `skip_aggregation` (and `background_aggregation_is_disabled`) with
    // `data_request.products`, which says what to aggregate, not whether.
    skip_aggregation: |_| Err(
        "v20250224 has no skip_aggregation: MX's migration guide replaces it with `data_request.products` on the create body; use --api-version v20111101".into()
    )
);

#[cfg(feature = "platform-v20111101")]
platform_mode!(
    v20111101,
    user: user_guid,
    skip_aggregation: |member| {
        member.skip_aggregation = Some(true);
        Ok(())
    }
);
