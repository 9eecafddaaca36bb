//! `mx-sim`: the offline MX simulator as a standalone server.
//!
//! `cargo run --bin mx-sim -- --addr 127.0.0.1:8080 [--api-key K] [--client-id C] [--session-token T]`

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use mx_client::sim;

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
    #[arg(long, default_value = sim::DEMO_API_KEY)]
    api_key: String,
    /// The MX-Client-ID Atrium requests must carry.
    #[arg(long, default_value = sim::DEMO_CLIENT_ID)]
    client_id: String,
    /// The MD-SESSION-TOKEN Nexus requests must carry.
    #[arg(long, default_value = sim::DEMO_SESSION_TOKEN)]
    session_token: String,
    /// How long an aggregation runs before a member is CONNECTED, in ms.
    #[arg(long, default_value_t = 2000)]
    aggregation_ms: u64,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let config = sim::Config {
        api_key: args.api_key,
        client_id: args.client_id,
        session_token: args.session_token,
        aggregation_time: Duration::from_millis(args.aggregation_ms),
        ..sim::Config::default()
    };
    let (key, id, token) = (
        config.api_key.clone(),
        config.client_id.clone(),
        config.session_token.clone(),
    );
    let server = sim::start_with(config, args.addr).await?;
    println!("MX simulator listening on {}", server.addr());
    println!(
        "  Nexus:  {}  (MD-SESSION-TOKEN: {token})",
        server.nexus_base_url()
    );
    println!(
        "  Atrium: {}  (MX-API-Key: {key}, MX-Client-ID: {id})",
        server.atrium_base_url()
    );
    println!("  Demo user: {}", sim::DEMO_USER_GUID);
    println!(
        "  Institutions: {}",
        sim::INSTITUTIONS
            .iter()
            .map(|i| format!("{} ({})", i.code, i.guid))
            .collect::<Vec<_>>()
            .join(", ")
    );
    server.wait().await;
    Ok(())
}
