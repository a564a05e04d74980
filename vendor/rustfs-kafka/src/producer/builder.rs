use std::time::Duration;

use crate::client::{self, KafkaClient};
use crate::error::{Error, Result};
use crate::protocol;

#[cfg(feature = "producer_timestamp")]
use crate::protocol::produce::ProducerTimestamp;

#[cfg(any(feature = "security", feature = "security-ring"))]
use crate::client::SecurityConfig;

#[cfg(not(any(feature = "security", feature = "security-ring")))]
type SecurityConfig = ();

use super::config::{Config, DEFAULT_ACK_TIMEOUT_MILLIS, DEFAULT_REQUIRED_ACKS};
use super::partitioner::DefaultPartitioner;
use super::{Compression, Partitioner, Producer, RequiredAcks, State};

/// A Kafka Producer builder easing the process of setting up various
/// configuration settings.
pub struct Builder<P = DefaultPartitioner> {
    client: Option<KafkaClient>,
    hosts: Vec<String>,
    compression: Compression,
    ack_timeout: Duration,
    conn_idle_timeout: Duration,
    required_acks: RequiredAcks,
    partitioner: P,
    security_config: Option<SecurityConfig>,
    client_id: Option<String>,
    enable_idempotence: bool,
    transactional_id: Option<String>,
    #[cfg(feature = "producer_timestamp")]
    producer_timestamp: Option<ProducerTimestamp>,
}

impl Builder<DefaultPartitioner> {
    pub(crate) fn new(
        client: Option<KafkaClient>,
        hosts: Vec<String>,
    ) -> Builder<DefaultPartitioner> {
        let mut b = Builder {
            client,
            hosts,
            compression: client::DEFAULT_COMPRESSION,
            ack_timeout: Duration::from_millis(DEFAULT_ACK_TIMEOUT_MILLIS),
            conn_idle_timeout: Duration::from_millis(
                client::DEFAULT_CONNECTION_IDLE_TIMEOUT_MILLIS,
            ),
            required_acks: DEFAULT_REQUIRED_ACKS,
            partitioner: DefaultPartitioner::default(),
            security_config: None,
            client_id: None,
            enable_idempotence: false,
            transactional_id: None,
            #[cfg(feature = "producer_timestamp")]
            producer_timestamp: None,
        };
        if let Some(ref c) = b.client {
            b.compression = c.compression();
            b.conn_idle_timeout = c.connection_idle_timeout();
            #[cfg(feature = "producer_timestamp")]
            {
                b.producer_timestamp = c.producer_timestamp();
            }
        }
        b
    }
}

impl<P> Builder<P> {
    /// Specifies the security config to use.
    #[cfg(any(feature = "security", feature = "security-ring"))]
    #[must_use]
    pub fn with_security(mut self, security: SecurityConfig) -> Self {
        self.security_config = Some(security);
        self
    }

    /// Sets the compression algorithm to use when sending out data.
    #[must_use]
    pub fn with_compression(mut self, compression: Compression) -> Self {
        self.compression = compression;
        self
    }

    /// Sets the maximum time the kafka brokers can await the receipt
    /// of required acknowledgements.
    #[must_use]
    pub fn with_ack_timeout(mut self, timeout: Duration) -> Self {
        self.ack_timeout = timeout;
        self
    }

    /// Specifies the timeout for idle connections.
    #[must_use]
    pub fn with_connection_idle_timeout(mut self, timeout: Duration) -> Self {
        self.conn_idle_timeout = timeout;
        self
    }

    /// Sets how many acknowledgements the kafka brokers should
    /// receive before responding to sent messages.
    #[must_use]
    pub fn with_required_acks(mut self, acks: RequiredAcks) -> Self {
        self.required_acks = acks;
        self
    }

    /// Specifies a `client_id` to be sent along every request to Kafka
    /// brokers.
    #[must_use]
    pub fn with_client_id(mut self, client_id: String) -> Self {
        self.client_id = Some(client_id);
        self
    }

    #[cfg(feature = "producer_timestamp")]
    /// Enables current Unix millisecond timestamps with `CreateTime`.
    /// `LogAppendTime` is configured on the broker/topic and is rejected by `create`.
    #[must_use]
    pub fn with_timestamp(mut self, timestamp: ProducerTimestamp) -> Self {
        self.producer_timestamp = Some(timestamp);
        self
    }

    /// Requests idempotent producer mode.
    ///
    /// The ordinary [`Producer`] does not support this mode: [`Self::create`]
    /// returns a configuration error when enabled. Use [`super::TransactionalProducer`]
    /// for producer identity, sequences, and transactional delivery.
    /// Enabling this compatibility setting also selects `RequiredAcks::All`.
    #[must_use]
    pub fn with_idempotence(mut self, enabled: bool) -> Self {
        self.enable_idempotence = enabled;
        if enabled {
            self.required_acks = RequiredAcks::All;
        }
        self
    }

    /// Requests a transactional ID.
    ///
    /// [`Self::create`] rejects this setting on the ordinary [`Producer`]. Use
    /// [`super::TransactionalProducer::from_hosts`] or
    /// [`super::TransactionalProducer::from_client`] to create a transactional producer.
    /// This compatibility setting also enables idempotence and `RequiredAcks::All`.
    #[must_use]
    pub fn with_transactional_id(mut self, id: impl Into<String>) -> Self {
        self.transactional_id = Some(id.into());
        self.enable_idempotence = true;
        self.required_acks = RequiredAcks::All;
        self
    }
}

impl<P> Builder<P> {
    /// Sets the partitioner to dispatch when sending messages without
    /// an explicit partition assignment.
    pub fn with_partitioner<Q: Partitioner>(self, partitioner: Q) -> Builder<Q> {
        Builder {
            client: self.client,
            hosts: self.hosts,
            compression: self.compression,
            ack_timeout: self.ack_timeout,
            conn_idle_timeout: self.conn_idle_timeout,
            required_acks: self.required_acks,
            partitioner,
            security_config: self.security_config,
            client_id: self.client_id,
            enable_idempotence: self.enable_idempotence,
            transactional_id: self.transactional_id,
            #[cfg(feature = "producer_timestamp")]
            producer_timestamp: self.producer_timestamp,
        }
    }

    #[cfg(not(any(feature = "security", feature = "security-ring")))]
    fn new_kafka_client(hosts: Vec<String>, _: Option<SecurityConfig>) -> KafkaClient {
        KafkaClient::new(hosts)
    }

    #[cfg(any(feature = "security", feature = "security-ring"))]
    fn new_kafka_client(hosts: Vec<String>, security: Option<SecurityConfig>) -> KafkaClient {
        if let Some(security) = security {
            KafkaClient::new_secure(hosts, security)
        } else {
            KafkaClient::new(hosts)
        }
    }

    /// Creates/builds a new producer based on the so far supplied settings.
    ///
    /// # Errors
    ///
    /// Returns an error for unsupported idempotence or transactional settings,
    /// timeout conversion failures, metadata loading failures, or state initialization failures.
    pub fn create(self) -> Result<Producer<P>> {
        if self.transactional_id.is_some() {
            return Err(Error::Config(
                "transactional_id is configured on Producer; use TransactionalProducer instead"
                    .into(),
            ));
        }
        if self.enable_idempotence {
            return Err(Error::Config(
                "idempotent mode is not supported by Producer; use TransactionalProducer".into(),
            ));
        }
        #[cfg(feature = "producer_timestamp")]
        crate::client::produce_ops::validate_producer_timestamp(self.producer_timestamp)?;
        let (mut client, need_metadata) = match self.client {
            Some(client) => (client, false),
            None => (
                Self::new_kafka_client(self.hosts, self.security_config),
                true,
            ),
        };
        client.set_compression(self.compression);
        client.set_connection_idle_timeout(self.conn_idle_timeout);
        #[cfg(feature = "producer_timestamp")]
        client.set_producer_timestamp(self.producer_timestamp);
        if let Some(client_id) = self.client_id {
            client.set_client_id(client_id);
        }
        let producer_config = Config {
            ack_timeout: protocol::to_millis_i32(self.ack_timeout)?,
            required_acks: self.required_acks as i16,
            enable_idempotence: self.enable_idempotence,
            transactional_id: self.transactional_id,
        };
        if need_metadata {
            client.load_metadata_all()?;
        }
        let state = State::new(&mut client, self.partitioner);
        Ok(Producer {
            client,
            state,
            config: producer_config,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::producer::RoundRobinPartitioner;

    #[test]
    fn create_rejects_unsupported_modes_before_loading_metadata() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        for from_client in [false, true] {
            let builder = if from_client {
                Producer::from_client(KafkaClient::new(Vec::new()))
            } else {
                Producer::from_hosts(vec![listener.local_addr().unwrap().to_string()])
            };
            assert!(
                matches!(builder.with_idempotence(true).create(), Err(Error::Config(message))
                if message.contains("idempotent") && message.contains("TransactionalProducer"))
            );
            let builder = if from_client {
                Producer::from_client(KafkaClient::new(Vec::new()))
            } else {
                Producer::from_hosts(vec![listener.local_addr().unwrap().to_string()])
            };
            assert!(matches!(
                builder.with_transactional_id("txn").with_idempotence(false).create(),
                Err(Error::Config(message)) if message.contains("transactional_id")
            ));
        }
        assert!(
            listener
                .accept()
                .is_err_and(|error| error.kind() == std::io::ErrorKind::WouldBlock)
        );
    }

    #[test]
    fn disabling_idempotence_without_a_transactional_id_keeps_ordinary_mode_available() {
        let producer = Producer::from_client(KafkaClient::new(Vec::new()))
            .with_idempotence(true)
            .with_idempotence(false)
            .create()
            .unwrap();
        assert!(!producer.config.enable_idempotence);
        assert_eq!(producer.config.transactional_id, None);
        assert_eq!(producer.config.required_acks, RequiredAcks::All as i16);
    }

    #[test]
    fn duplicate_headers_in_a_later_record_are_rejected_before_partitioning_any_record() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};

        struct CountingPartitioner(Arc<AtomicUsize>);
        impl Partitioner for CountingPartitioner {
            fn partition(
                &mut self,
                _: crate::producer::partitioner::Topics<'_>,
                _: &mut client::ProduceMessage<'_, '_>,
            ) {
                self.0.fetch_add(1, Ordering::Relaxed);
            }
        }
        let calls = Arc::new(AtomicUsize::new(0));
        let mut producer = Producer::from_client(KafkaClient::new(Vec::new()))
            .with_partitioner(CountingPartitioner(Arc::clone(&calls)))
            .create()
            .unwrap();
        let records = [
            crate::producer::Record::from_value("topic", "first"),
            crate::producer::Record::from_value("topic", "second")
                .with_header("trace", "old")
                .with_header("between", "middle")
                .with_header("trace", "new"),
        ];
        assert!(
            matches!(producer.send_all(&records), Err(Error::Config(message))
            if message.contains("duplicate"))
        );
        assert_eq!(calls.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn custom_partitioner_preserves_producer_configuration() {
        let builder = Producer::from_hosts(vec!["broker:9092".to_owned()])
            .with_partitioner(RoundRobinPartitioner::new())
            .with_client_id("custom-client".to_owned())
            .with_ack_timeout(Duration::from_secs(7))
            .with_connection_idle_timeout(Duration::from_secs(11))
            .with_transactional_id("transaction-id");

        assert_eq!(builder.hosts, vec!["broker:9092"]);
        assert_eq!(builder.client_id.as_deref(), Some("custom-client"));
        assert_eq!(builder.ack_timeout, Duration::from_secs(7));
        assert_eq!(builder.conn_idle_timeout, Duration::from_secs(11));
        assert!(matches!(builder.required_acks, RequiredAcks::All));
        assert!(builder.enable_idempotence);
        assert_eq!(builder.transactional_id.as_deref(), Some("transaction-id"));
    }

    #[cfg(any(feature = "security", feature = "security-ring"))]
    #[test]
    fn custom_partitioner_preserves_security_configuration() {
        let builder = Producer::from_hosts(Vec::new())
            .with_security(SecurityConfig::new().with_sasl_plain("user".into(), "password".into()))
            .with_partitioner(RoundRobinPartitioner::new());

        let security = builder.security_config.unwrap();
        assert_eq!(security.sasl_config.unwrap().username(), "user");
    }

    #[cfg(feature = "producer_timestamp")]
    #[test]
    fn custom_partitioner_preserves_producer_timestamp() {
        let builder = Producer::from_hosts(Vec::new())
            .with_timestamp(ProducerTimestamp::LogAppendTime)
            .with_partitioner(RoundRobinPartitioner::new());

        assert!(matches!(
            builder.producer_timestamp,
            Some(ProducerTimestamp::LogAppendTime)
        ));
    }

    #[cfg(feature = "producer_timestamp")]
    #[test]
    fn create_rejects_log_append_time_before_loading_metadata() {
        let result = Producer::from_hosts(Vec::new())
            .with_timestamp(ProducerTimestamp::LogAppendTime)
            .create();
        assert!(matches!(result, Err(crate::error::Error::Config(message))
            if message.contains("message.timestamp.type=LogAppendTime")));
    }

    #[cfg(feature = "producer_timestamp")]
    #[test]
    fn from_client_preserves_create_time_timestamp_configuration() {
        let client = KafkaClient::builder()
            .with_producer_timestamp(Some(ProducerTimestamp::CreateTime))
            .build();
        let producer = Producer::from_client(client).create().unwrap();
        assert!(matches!(
            producer.client().producer_timestamp(),
            Some(ProducerTimestamp::CreateTime)
        ));
    }
}
