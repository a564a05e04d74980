//! # mq-common: what every demo binary in this workspace shares
//!
//! This crate is the Rust counterpart of the tutorial's `RabbitMQ` struct (chapter 1.3①), plus
//! the Kafka helpers that chapter 2's `producer.go` and `consumer.go` build inline. The demo
//! binaries (`rabbit-*-producer`, `rabbit-*-consumer`, `kafka-producer`, `kafka-consumer`)
//! hold what their chapter teaches; what is here is what every chapter needs around it.
//!
//! ## Layout
//!
//! - [`cli`]: start-up (read `.env`, set up logging, parse flags) and the one-line error exit.
//! - [`config`]: the flags every binary shares (`--amqp-url`, `--kafka-brokers`) and value parsers.
//! - [`flags`]: every producer's and consumer's flags (`--count`, `--interval`, `--confirm`,
//!   `--prefetch`, `--max-messages`, the speed-ups…), declared once, with per-chapter
//!   defaults given as values.
//! - [`error`]: the errors a learner can cause, each worded to say what to do next.
//! - [`shutdown`]: a future that completes on Ctrl+C (or SIGTERM).
//! - [`rabbit`]: the tutorial's `RabbitMQ` struct: connecting, deliveries until it is time to
//!   stop (waiting out a broker restart), a producer's summary, closing; and the opt-in
//!   speed-ups (`rabbit::tuned`).
//! - `kafka` (the `kafka` feature, which only the Kafka binaries turn on): connecting to Kafka
//!   3.9, the random partitioner, and consumer-group assignment.
//! - [`limits`]: the largest message each broker takes, so that a larger `--size` is refused
//!   before anything is sent.
//! - `stream` (the `stream` feature): connecting to RabbitMQ Streams over the stream protocol,
//!   with the errors a learner meets (no stream listener, a broker older than 3.13).
//! - [`student`]: the student's name that prefixes what an exercise uses on a shared broker.
//! - [`output`]: printing message bodies safely, whatever bytes they hold.
//! - [`lines`]: the lines the binaries print and the tools wait for (` [*] Waiting for
//!   messages`, ` [x] Received`, …), one constant each.
//!
//! Everything but `lines` and `output` is behind the default `client` feature: the chapters'
//! runner (`mq-run`) needs only the lines, and builds in seconds without the clients.

#[cfg(feature = "client")]
pub mod cli;
#[cfg(feature = "client")]
pub mod config;
#[cfg(feature = "client")]
pub mod error;
#[cfg(feature = "client")]
pub mod flags;
#[cfg(feature = "kafka")]
pub mod kafka;
#[cfg(feature = "client")]
pub mod limits;
pub mod lines;
pub mod output;
#[cfg(feature = "client")]
pub mod rabbit;
#[cfg(feature = "client")]
pub mod shutdown;
#[cfg(feature = "stream")]
pub mod stream;
#[cfg(feature = "client")]
pub mod student;

#[cfg(feature = "client")]
pub use error::Error;
