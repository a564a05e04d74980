//! One step on a connection of its own, outside any chapter: the exercise checker's look at a
//! queue, the bench's and the tests' clean-up of a queue they used.

use lapin::options::QueueDeleteOptions;

use super::RabbitMQ;
use crate::config::RabbitArgs;

/// Runs one lapin step on a connection of its own, `name` in the management UI's list: for
/// what the binaries under test do not do themselves (the exercise checker's look at a queue,
/// the clean-up of a test's queue). None if the broker cannot be reached or the step fails.
pub fn with_channel<T>(
    rabbit: &RabbitArgs,
    name: &str,
    step: impl AsyncFnOnce(&lapin::Channel) -> lapin::Result<T>,
) -> Option<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    runtime.block_on(async {
        let rabbitmq = RabbitMQ::open(rabbit, name).await.ok()?;
        let result = step(rabbitmq.channel()).await.ok();
        let _ = rabbitmq.close().await;
        result
    })
}

/// Deletes a queue and what is in it. Best effort: a broker that cannot be reached leaves it.
pub fn delete_queue(rabbit: &RabbitArgs, queue: &str) {
    with_channel(rabbit, "clean-up", async |channel| {
        channel
            .queue_delete(queue.into(), QueueDeleteOptions::default())
            .await
    });
}
