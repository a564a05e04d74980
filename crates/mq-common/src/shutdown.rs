//! Ctrl+C as a future, so that a consumer can `select!` on it next to its message stream.
//!
//! Passing shutdown in as a future (rather than calling `process::exit` from a signal handler)
//! lets the consumer finish the message in hand and close its channel and connection politely.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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

/// A flag that turns true on Ctrl+C, for blocking code (the `kafka` crate is synchronous)
/// that cannot `select!` on a future. Must be called inside a Tokio runtime.
pub fn flag() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&stop);
    tokio::spawn(async move {
        signal().await;
        set.store(true, Ordering::SeqCst);
    });
    stop
}
