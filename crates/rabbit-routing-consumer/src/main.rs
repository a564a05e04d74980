//! # rabbit-routing-consumer: routing mode, the receiving side (tutorial 1.3②, 4. routing)
//!
//! Teaches: binding keys. The consumer's own queue is bound to the `direct` exchange with one
//! or more binding keys, and receives only the messages whose routing key equals one of them.
//!
//! Run one consumer per key and a producer (or all at once with `just rabbit-routing`):
//! ```text
//! cargo run -p rabbit-routing-consumer -- --binding-key imooc_one   # terminal 1
//! cargo run -p rabbit-routing-consumer -- --binding-key imooc_two   # terminal 2
//! cargo run -p rabbit-routing-producer                              # terminal 3
//! ```
//!
//! Output in terminal 1 (only `imooc_one`):
//! ```text
//!  [*] Waiting for messages. To exit press CTRL+C
//!  [x] Received hello imooc_one!0 (routing key imooc_one)
//! ```

use std::process::ExitCode;

use clap::Parser;
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_binding_key};
use mq_common::rabbit::{ConsumeOptions, ConsumerArgs, Mode, RabbitMQ, names};

/// Routing: receive the messages whose routing key equals a binding key.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The direct exchange to bind to.
    #[arg(long, default_value = names::ROUTING_EXCHANGE, value_parser = parse_amqp_name)]
    exchange: String,
    /// Binding key; repeat the flag to bind several.
    #[arg(long = "binding-key", value_name = "KEY", value_parser = parse_binding_key,
          default_value = "imooc_one")]
    binding_keys: Vec<String>,
    #[command(flatten)]
    consumer: ConsumerArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    // ANCHOR: main
    let rabbitmq = RabbitMQ::recovering(&args.rabbit, Mode::Routing, &args.exchange).await?;
    rabbitmq
        .consume(
            &args.binding_keys,
            &ConsumeOptions::from_args(&args.consumer),
        )
        .await?;
    // ANCHOR_END: main
    Ok(())
}
