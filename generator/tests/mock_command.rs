//! `msgraph-gen mock` runs `msgraph-gen-mock` (the msgraph-mock crate) with its
//! arguments, or says how to get it.

use std::process::Command;

fn cli(program: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_msgraph-gen")).args(args).env("MSGRAPH_GEN_MOCK", program).output().unwrap()
}

#[test]
fn mock_passes_its_arguments_and_exit_status_on() {
    let out = cli("echo", &["mock", "docs", "--port", "8080", "--throttle", "GET /me 1 2"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "docs --port 8080 --throttle GET /me 1 2\n");
    assert_eq!(cli("false", &["mock", "docs"]).status.code(), Some(1));
}

#[test]
fn a_missing_mock_binary_is_explained() {
    let out = cli("/nonexistent/msgraph-gen-mock", &["mock", "docs"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cargo build -p msgraph-mock"), "{err}");
}
