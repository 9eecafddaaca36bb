//! The `mx-sim` binary as a script uses it.

use std::process::{Command, Stdio};

use crate::helpers::{send, JSON};

/// A simulator whose stdout was closed (a script that took the first line
/// and went away, or one that never reads) goes on serving, and does not
/// panic: it used to, with "failed printing to stdout: Broken pipe".
#[tokio::test]
async fn a_closed_stdout_neither_stops_it_nor_panics() {
    // A free port, named in advance: nothing of stdout is read.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mx-sim"))
        .args(["--addr", &addr])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut answer = None;
    for _ in 0..100 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if std::net::TcpStream::connect(&addr).is_ok() {
            answer = Some(
                send(
                    "GET",
                    &format!("http://{addr}/atrium/institutions"),
                    &[
                        ("MX-API-Key", mx_sim::DEMO_API_KEY),
                        ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
                        ("Accept", JSON),
                    ],
                    None,
                )
                .await,
            );
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let still_running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(still_running, "the simulator exited: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(answer.map(|a| a.status), Some(200));
}
