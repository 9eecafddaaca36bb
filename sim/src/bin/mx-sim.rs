//! `mx-sim`: the offline MX simulator as a standalone server.
//!
//! `cargo run -p mx-sim -- --addr 127.0.0.1:8080 [--api-key K] [--client-id C] [--session-token T]
//! [--processor-id P] [--processor-api-key K]
//! [--webhook-url URL [--webhook-basic-auth USER:PASSWORD]]`

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "mx-sim",
    about = "An offline, stateful MX (Nexus and Atrium) for development and tests"
)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The MX-API-Key Atrium requests must carry.
    #[arg(long, default_value = mx_sim::DEMO_API_KEY)]
    api_key: String,
    /// The MX-Client-ID Atrium requests must carry.
    #[arg(long, default_value = mx_sim::DEMO_CLIENT_ID)]
    client_id: String,
    /// The MD-SESSION-TOKEN Nexus requests must carry.
    #[arg(long, default_value = mx_sim::DEMO_SESSION_TOKEN)]
    session_token: String,
    /// The Platform processor's processor_id (HTTP Basic user of POST
    /// /token, the processor-token exchange).
    #[arg(long, default_value = mx_sim::DEMO_PROCESSOR_ID)]
    processor_id: String,
    /// The Platform processor's api_key (HTTP Basic password of POST /token).
    #[arg(long, default_value = mx_sim::DEMO_PROCESSOR_API_KEY)]
    processor_api_key: String,
    /// How long an aggregation runs before a member settles, in ms.
    #[arg(long, default_value_t = 2000)]
    aggregation_ms: u64,
    /// How long the other jobs (balance, extend_history, fetch_statements,
    /// identify, verify) run, in ms.
    #[arg(long, default_value_t = 2000)]
    job_ms: u64,
    /// Start without the demo user.
    #[arg(long)]
    no_seed: bool,
    /// POST MX's member webhooks (connection status, aggregation) here.
    /// Plain http:// only: the simulator has no TLS client.
    #[arg(long, value_name = "URL")]
    webhook_url: Option<String>,
    /// HTTP Basic credentials of the webhooks.
    #[arg(long, value_name = "USER:PASSWORD", requires = "webhook_url")]
    webhook_basic_auth: Option<String>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let webhook = match args.webhook_url {
        Some(url) => {
            let w = mx_sim::WebhookConfig::new(url);
            Some(match &args.webhook_basic_auth {
                Some(auth) => w
                    .basic_auth(auth)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?,
                None => w,
            })
        }
        None => None,
    };
    let webhook_url = webhook.as_ref().map(|w| w.url.clone());
    let config = mx_sim::Config {
        webhook,
        api_key: args.api_key,
        client_id: args.client_id,
        session_token: args.session_token,
        processor_id: args.processor_id,
        processor_api_key: args.processor_api_key,
        aggregation_time: Duration::from_millis(args.aggregation_ms),
        job_time: Duration::from_millis(args.job_ms),
        seed: !args.no_seed,
        ..mx_sim::Config::default()
    };
    // Only the public demo credentials are shown; custom ones are secrets.
    let demo = config.api_key == mx_sim::DEMO_API_KEY
        && config.client_id == mx_sim::DEMO_CLIENT_ID
        && config.session_token == mx_sim::DEMO_SESSION_TOKEN
        && config.processor_id == mx_sim::DEMO_PROCESSOR_ID
        && config.processor_api_key == mx_sim::DEMO_PROCESSOR_API_KEY;
    let server = mx_sim::start_with(config, args.addr).await?;
    use std::fmt::Write as _;
    use std::io::Write as _;
    let mut banner = String::new();
    let _ = writeln!(banner, "MX simulator listening on {}", server.addr());
    let _ = writeln!(
        banner,
        "  Nexus:  {}  (header MD-SESSION-TOKEN)",
        server.nexus_base_url()
    );
    let _ = writeln!(
        banner,
        "  Atrium: {}  (headers MX-API-Key, MX-Client-ID)",
        server.atrium_base_url()
    );
    let _ = writeln!(
        banner,
        "  Platform: {}  (HTTP Basic: client id as user, API key as password; Accept-Version v20111101 or v20250224)",
        server.platform_base_url()
    );
    if demo {
        let _ = writeln!(
            banner,
            "  Demo credentials: MX-API-Key {}, MX-Client-ID {}, MD-SESSION-TOKEN {}",
            mx_sim::DEMO_API_KEY,
            mx_sim::DEMO_CLIENT_ID,
            mx_sim::DEMO_SESSION_TOKEN
        );
        let _ = writeln!(
            banner,
            "  Demo processor (Platform POST /token, HTTP Basic): {}:{}",
            mx_sim::DEMO_PROCESSOR_ID,
            mx_sim::DEMO_PROCESSOR_API_KEY
        );
    }
    if let Some(url) = webhook_url {
        let _ = writeln!(banner, "  Webhooks: POST {url}");
    }
    if !args.no_seed {
        let _ = writeln!(banner, "  Demo user: {}", mx_sim::DEMO_USER_GUID);
    }
    let _ = writeln!(
        banner,
        "  Institutions: {}",
        mx_sim::INSTITUTIONS
            .iter()
            .map(|i| format!("{} ({})", i.code, i.guid))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // A reader that took the first line and closed the pipe (a test, a
    // script) does not stop the simulator: a failed write is ignored.
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    drop(out);
    server.wait().await;
    Ok(())
}
