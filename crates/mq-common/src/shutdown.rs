//! Ctrl+C as a future, so that a consumer can `select!` on it next to its message stream.
//!
//! Passing shutdown in as a future (rather than calling `process::exit` from a signal handler)
//! lets the consumer finish the message in hand and close its channel and connection politely.

/// Completes on Ctrl+C (SIGINT) or SIGTERM.
pub async fn signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => ctrl_c().await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c().await
}

async fn ctrl_c() {
    if let Err(err) = tokio::signal::ctrl_c().await {
        // Without a signal handler the process still dies on Ctrl+C, just less politely.
        log::warn!("cannot listen for Ctrl+C: {err}");
        std::future::pending::<()>().await;
    }
}
