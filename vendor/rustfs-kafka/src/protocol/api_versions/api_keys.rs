//! Kafka protocol API key numbers.
//!
//! Re-exported from the crate-level `protocol::api_keys` module for
//! convenience within the `api_versions` submodule tree.

pub use crate::protocol::api_keys::*;
