use std::fmt;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::time::Duration;
use tracing::debug;

#[cfg(any(feature = "security", feature = "security-ring"))]
use super::sasl;
use crate::error::Result;
#[cfg(any(feature = "security", feature = "security-ring"))]
use crate::tls::{RustlsConnector, TlsConfig, TlsStream};

// --------------------------------------------------------------------

/// Security relevant configuration options for `KafkaClient`.
#[cfg(any(feature = "security", feature = "security-ring"))]
#[derive(Clone)]
pub struct SecurityConfig {
    pub(crate) tls_config: TlsConfig,
    pub(crate) tls_enabled: bool,
    pub(crate) sasl_config: Option<SaslConfig>,
}

/// SASL configuration options for `KafkaClient`.
#[cfg(any(feature = "security", feature = "security-ring"))]
#[derive(Clone, Debug)]
pub struct SaslConfig {
    pub(crate) mechanism: String,
    pub(crate) username: String,
    pub(crate) password: String,
}

#[cfg(any(feature = "security", feature = "security-ring"))]
impl SaslConfig {
    /// Creates a SASL configuration with explicit mechanism and credentials.
    #[must_use]
    pub fn new(mechanism: String, username: String, password: String) -> Self {
        Self {
            mechanism,
            username,
            password,
        }
    }

    /// Creates a SASL/PLAIN configuration with username and password.
    #[must_use]
    pub fn plain(username: String, password: String) -> Self {
        Self::new("PLAIN".to_owned(), username, password)
    }

    /// Returns SASL mechanism.
    #[must_use]
    pub fn mechanism(&self) -> &str {
        &self.mechanism
    }

    /// Returns SASL username.
    #[must_use]
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Returns SASL password.
    #[must_use]
    pub fn password(&self) -> &str {
        &self.password
    }
}

#[cfg(any(feature = "security", feature = "security-ring"))]
impl SecurityConfig {
    /// Create a new `SecurityConfig` with default TLS settings.
    #[must_use]
    pub fn new() -> Self {
        SecurityConfig {
            tls_config: TlsConfig::new(),
            tls_enabled: true,
            sasl_config: None,
        }
    }

    /// Create a `SecurityConfig` from a `TlsConfig`
    #[must_use]
    pub fn from_tls_config(tls_config: TlsConfig) -> SecurityConfig {
        SecurityConfig {
            tls_config,
            tls_enabled: true,
            sasl_config: None,
        }
    }

    /// Selects whether broker connections use TLS.
    ///
    /// TLS is enabled by default. Disabling it sends Kafka traffic, including
    /// SASL credentials and event data, in plaintext.
    #[must_use]
    pub fn with_tls_enabled(mut self, enabled: bool) -> SecurityConfig {
        self.tls_enabled = enabled;
        self
    }

    /// Returns whether broker connections use TLS.
    #[must_use]
    pub fn tls_enabled(&self) -> bool {
        self.tls_enabled
    }

    /// Initiates a client-side TLS session with/without performing hostname verification.
    #[must_use]
    pub fn with_hostname_verification(mut self, verify_hostname: bool) -> SecurityConfig {
        self.tls_config.verify_hostname = verify_hostname;
        self
    }

    /// Set a custom CA certificate file path
    #[must_use]
    pub fn with_ca_cert(mut self, path: String) -> SecurityConfig {
        self.tls_config.ca_cert_path = Some(path);
        self
    }

    /// Set client certificate and key file paths
    #[must_use]
    pub fn with_client_cert(mut self, cert_path: String, key_path: String) -> SecurityConfig {
        self.tls_config.client_cert_path = Some(cert_path);
        self.tls_config.client_key_path = Some(key_path);
        self
    }

    /// Sets SASL configuration.
    #[must_use]
    pub fn with_sasl(mut self, sasl_config: SaslConfig) -> SecurityConfig {
        self.sasl_config = Some(sasl_config);
        self
    }

    /// Sets SASL/PLAIN username and password.
    #[must_use]
    pub fn with_sasl_plain(mut self, username: String, password: String) -> SecurityConfig {
        self.sasl_config = Some(SaslConfig::plain(username, password));
        self
    }

    /// Returns the underlying TLS configuration.
    #[must_use]
    pub fn tls_config(&self) -> &TlsConfig {
        &self.tls_config
    }

    /// Returns optional SASL configuration.
    #[must_use]
    pub fn sasl_config(&self) -> Option<&SaslConfig> {
        self.sasl_config.as_ref()
    }
}

#[cfg(any(feature = "security", feature = "security-ring"))]
impl Default for SecurityConfig {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(any(feature = "security", feature = "security-ring"))]
impl fmt::Debug for SecurityConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SecurityConfig {{ tls_enabled: {}, verify_hostname: {} }}",
            self.tls_enabled, self.tls_config.verify_hostname
        )
    }
}

// --------------------------------------------------------------------

#[cfg(not(any(feature = "security", feature = "security-ring")))]
pub(crate) type KafkaStream = TcpStream;

#[cfg(any(feature = "security", feature = "security-ring"))]
pub(crate) enum KafkaStream {
    Plain(TcpStream),
    Tls(Box<dyn TlsStream>),
}

pub(crate) trait StreamOps {
    fn is_secured(&self) -> bool;
    fn set_read_timeout(&mut self, dur: Option<Duration>) -> std::io::Result<()>;
    fn set_write_timeout(&mut self, dur: Option<Duration>) -> std::io::Result<()>;
    fn shutdown(&mut self, how: Shutdown) -> std::io::Result<()>;
}

#[cfg(not(any(feature = "security", feature = "security-ring")))]
impl StreamOps for KafkaStream {
    fn is_secured(&self) -> bool {
        false
    }

    fn set_read_timeout(&mut self, dur: Option<Duration>) -> std::io::Result<()> {
        TcpStream::set_read_timeout(self, dur)
    }

    fn set_write_timeout(&mut self, dur: Option<Duration>) -> std::io::Result<()> {
        TcpStream::set_write_timeout(self, dur)
    }

    fn shutdown(&mut self, how: Shutdown) -> std::io::Result<()> {
        TcpStream::shutdown(self, how)
    }
}

#[cfg(any(feature = "security", feature = "security-ring"))]
impl StreamOps for KafkaStream {
    fn is_secured(&self) -> bool {
        match self {
            KafkaStream::Plain(_) => false,
            KafkaStream::Tls(_) => true,
        }
    }

    fn set_read_timeout(&mut self, dur: Option<Duration>) -> std::io::Result<()> {
        match self {
            KafkaStream::Plain(s) => s.set_read_timeout(dur),
            KafkaStream::Tls(s) => s.set_read_timeout(dur),
        }
    }

    fn set_write_timeout(&mut self, dur: Option<Duration>) -> std::io::Result<()> {
        match self {
            KafkaStream::Plain(s) => s.set_write_timeout(dur),
            KafkaStream::Tls(s) => s.set_write_timeout(dur),
        }
    }

    fn shutdown(&mut self, how: Shutdown) -> std::io::Result<()> {
        match self {
            KafkaStream::Plain(s) => s.shutdown(how),
            KafkaStream::Tls(s) => s.shutdown(),
        }
    }
}

#[cfg(any(feature = "security", feature = "security-ring"))]
impl Read for KafkaStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            KafkaStream::Plain(s) => s.read(buf),
            KafkaStream::Tls(s) => s.read(buf),
        }
    }
}

#[cfg(any(feature = "security", feature = "security-ring"))]
impl Write for KafkaStream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            KafkaStream::Plain(s) => s.write(buf),
            KafkaStream::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            KafkaStream::Plain(s) => s.flush(),
            KafkaStream::Tls(s) => s.flush(),
        }
    }
}

// --------------------------------------------------------------------

/// A TCP stream to a remote Kafka broker.
pub struct KafkaConnection {
    id: u32,
    host: String,
    stream: KafkaStream,
    state: ConnectionState,
    pending_response: Option<(i32, i16)>,
}

/// Connection health state for detecting broken connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConnectionState {
    Connected,
    Terminated,
}

impl fmt::Debug for KafkaConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "KafkaConnection {{ id: {}, secured: {}, state: {:?}, host: \"{}\" }}",
            self.id,
            self.stream.is_secured(),
            self.state,
            self.host
        )
    }
}

/// Configure a TCP socket with keepalive and nodelay for Kafka compatibility.
fn configure_tcp_socket(socket: &socket2::Socket) -> std::io::Result<()> {
    use socket2::TcpKeepalive;

    let keepalive = TcpKeepalive::new()
        .with_time(Duration::from_secs(10))
        .with_interval(Duration::from_secs(20));
    socket.set_tcp_keepalive(&keepalive)?;
    socket.set_tcp_nodelay(true)?;
    Ok(())
}

pub(crate) fn read_exact_bytes(reader: &mut impl Read, size: u64) -> Result<bytes::Bytes> {
    let len = usize::try_from(size).map_err(|_| crate::error::Error::codec())?;
    if len == 0 {
        return Ok(bytes::Bytes::new());
    }
    let mut buffer = Vec::new();
    buffer.try_reserve_exact(len).map_err(|error| {
        crate::error::Error::from(std::io::Error::new(std::io::ErrorKind::OutOfMemory, error))
    })?;
    // Keep the slice length exact even if the allocator supplies more capacity.
    // Initialized bytes permit safe Read implementations without read-to-end
    // growth or an EOF probe that could touch the following frame.
    buffer.resize(len, 0);
    reader.read_exact(&mut buffer)?;
    Ok(bytes::Bytes::from(buffer))
}

impl KafkaConnection {
    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    pub fn send(&mut self, msg: &[u8]) -> Result<usize> {
        self.stream
            .write_all(msg)
            .and_then(|()| self.stream.flush())
            .map_err(|e| {
                self.state = ConnectionState::Terminated;
                self.pending_response = None;
                crate::error::Error::from(e)
            })?;
        Ok(msg.len())
    }

    pub(crate) fn send_request(
        &mut self,
        frame: &[u8],
        correlation_id: i32,
        api_version: i16,
    ) -> Result<()> {
        self.send(frame)?;
        // A Produce with acks=0 has no response. The next typed request replaces
        // that context; raw send never inspects bytes to guess a request header.
        self.pending_response = Some((correlation_id, api_version));
        Ok(())
    }

    pub(crate) fn read_response<R>(&mut self, api_version: i16) -> Result<R>
    where
        R: kafka_protocol::protocol::Decodable + kafka_protocol::protocol::HeaderVersion,
    {
        let result = (|| {
            let (correlation_id, requested_version) = self
                .pending_response
                .take()
                .ok_or_else(crate::error::Error::codec)?;
            if requested_version != api_version {
                return Err(crate::error::Error::codec());
            }
            let mut size = [0; 4];
            self.read_exact(&mut size)?;
            let len = crate::protocol::non_negative_i32_to_u64(i32::from_be_bytes(size))?;
            let bytes = self.read_exact_alloc(len)?;
            crate::protocol::decode_response_payload_checked(bytes, api_version, correlation_id)
        })();
        if result.is_err() {
            let _ = self.shutdown();
        }
        result
    }

    pub(crate) fn is_terminated(&self) -> bool {
        self.state == ConnectionState::Terminated
    }

    pub fn read_exact(&mut self, buf: &mut [u8]) -> Result<()> {
        self.stream.read_exact(buf).map_err(|e| {
            self.state = ConnectionState::Terminated;
            From::from(e)
        })
    }

    pub fn read_exact_alloc(&mut self, size: u64) -> Result<bytes::Bytes> {
        let result = read_exact_bytes(&mut self.stream, size);
        if result.is_err() {
            // Raw callers may already have consumed the frame prefix. A failed
            // allocation/read leaves its body unread and cannot reuse the stream.
            let _ = self.shutdown();
        }
        result
    }

    pub(crate) fn shutdown(&mut self) -> Result<()> {
        self.state = ConnectionState::Terminated;
        self.pending_response = None;
        let r = StreamOps::shutdown(&mut self.stream, Shutdown::Both);
        debug!("Shut down: {:?} => {:?}", self, r);
        r.map_err(From::from)
    }

    fn from_stream(
        mut stream: KafkaStream,
        id: u32,
        host: &str,
        rw_timeout: Option<Duration>,
    ) -> Result<KafkaConnection> {
        StreamOps::set_read_timeout(&mut stream, rw_timeout)?;
        StreamOps::set_write_timeout(&mut stream, rw_timeout)?;
        Ok(KafkaConnection {
            id,
            host: host.to_owned(),
            stream,
            state: ConnectionState::Connected,
            pending_response: None,
        })
    }

    fn new_tcp_stream(host: &str) -> std::io::Result<TcpStream> {
        let mut last_err: Option<std::io::Error> = None;
        for addr in host.to_socket_addrs()? {
            let domain = match addr {
                std::net::SocketAddr::V4(_) => socket2::Domain::IPV4,
                std::net::SocketAddr::V6(_) => socket2::Domain::IPV6,
            };
            let socket =
                socket2::Socket::new(domain, socket2::Type::STREAM, Some(socket2::Protocol::TCP))?;

            match socket.connect(&socket2::SockAddr::from(addr)) {
                Ok(()) => {
                    configure_tcp_socket(&socket)?;
                    return Ok(socket.into());
                }
                Err(e) => last_err = Some(e),
            }
        }

        Err(last_err.unwrap_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::AddrNotAvailable,
                format!("unable to resolve broker address: {host}"),
            )
        }))
    }

    #[cfg(not(any(feature = "security", feature = "security-ring")))]
    pub(crate) fn new(
        id: u32,
        host: &str,
        rw_timeout: Option<Duration>,
    ) -> Result<KafkaConnection> {
        KafkaConnection::from_stream(Self::new_tcp_stream(host)?, id, host, rw_timeout)
    }

    #[cfg(any(feature = "security", feature = "security-ring"))]
    pub(crate) fn new(
        id: u32,
        host: &str,
        rw_timeout: Option<Duration>,
        security: Option<&SecurityConfig>,
    ) -> Result<KafkaConnection> {
        let tcp_stream = Self::new_tcp_stream(host)?;

        let mut stream = match security
            .filter(|config| config.tls_enabled())
            .map(SecurityConfig::tls_config)
        {
            Some(config) => {
                let domain = match host.rfind(':') {
                    None => host,
                    Some(i) => &host[..i],
                };
                let connector = RustlsConnector::new(config)?;
                let tls_stream = connector.connect(domain, tcp_stream)?;
                KafkaStream::Tls(tls_stream)
            }
            None => KafkaStream::Plain(tcp_stream),
        };

        if let Some(sasl) = security.and_then(SecurityConfig::sasl_config) {
            sasl::perform_sasl_authentication(&mut stream, sasl)?;
        }

        KafkaConnection::from_stream(stream, id, host, rw_timeout)
    }
}

#[cfg(test)]
mod response_buffer_tests {
    use std::collections::VecDeque;
    use std::io::{self, Cursor, ErrorKind, Read, Write};
    use std::net::TcpListener;
    use std::time::Duration;

    use super::*;
    use crate::error::{ConnectionError, Error, ProtocolError};

    struct ScriptedReader {
        bytes: Cursor<&'static [u8]>,
        steps: VecDeque<io::Result<usize>>,
        calls: usize,
    }

    impl ScriptedReader {
        fn new(bytes: &'static [u8], steps: impl IntoIterator<Item = io::Result<usize>>) -> Self {
            Self {
                bytes: Cursor::new(bytes),
                steps: steps.into_iter().collect(),
                calls: 0,
            }
        }
    }

    impl Read for ScriptedReader {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.calls += 1;
            let limit = self.steps.pop_front().unwrap_or(Ok(buf.len()))?;
            let len = limit.min(buf.len());
            self.bytes.read(&mut buf[..len])
        }
    }

    #[test]
    fn response_buffer_stops_exactly_before_the_following_frame() {
        let mut reader = ScriptedReader::new(b"frame1frame2", [Ok(2), Ok(1)]);

        assert_eq!(
            read_exact_bytes(&mut reader, 6).unwrap().as_ref(),
            b"frame1"
        );
        assert_eq!(reader.bytes.position(), 6);
        assert_eq!(
            read_exact_bytes(&mut reader, 6).unwrap().as_ref(),
            b"frame2"
        );
        assert_eq!(reader.bytes.position(), 12);
    }

    #[test]
    fn response_buffer_retries_interrupted_reads_without_losing_bytes() {
        let mut reader = ScriptedReader::new(
            b"abcdefNEXT",
            [
                Err(ErrorKind::Interrupted.into()),
                Ok(2),
                Err(ErrorKind::Interrupted.into()),
                Ok(1),
            ],
        );

        assert_eq!(
            read_exact_bytes(&mut reader, 6).unwrap().as_ref(),
            b"abcdef"
        );
        assert_eq!(reader.calls, 5);
        assert_eq!(read_exact_bytes(&mut reader, 4).unwrap().as_ref(), b"NEXT");
    }

    #[test]
    fn response_buffer_reports_short_eof_instead_of_a_partial_success() {
        let mut reader = ScriptedReader::new(b"short", []);

        let error = read_exact_bytes(&mut reader, 6).unwrap_err();

        assert!(
            matches!(error, Error::Connection(ConnectionError::Io(ref error)) if error.kind() == ErrorKind::UnexpectedEof)
        );
    }

    #[test]
    fn zero_response_buffer_does_not_read_the_stream() {
        let mut reader = ScriptedReader::new(b"next-frame", []);

        assert!(read_exact_bytes(&mut reader, 0).unwrap().is_empty());
        assert_eq!(reader.calls, 0);
        assert_eq!(reader.bytes.position(), 0);
    }

    #[test]
    fn impossible_response_size_returns_an_error_before_reading() {
        let mut reader = ScriptedReader::new(b"unread-frame", []);

        let error = read_exact_bytes(&mut reader, u64::MAX).unwrap_err();

        if usize::try_from(u64::MAX).is_ok() {
            assert!(
                matches!(error, Error::Connection(ConnectionError::Io(ref error)) if error.kind() == ErrorKind::OutOfMemory)
            );
        } else {
            assert!(matches!(error, Error::Protocol(ProtocolError::Codec)));
        }
        assert_eq!(reader.calls, 0);
        assert_eq!(reader.bytes.position(), 0);
    }

    #[test]
    fn raw_response_allocation_failure_retires_pending_stream_before_pool_reuse() {
        for truncated in [false, true] {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let host = listener.local_addr().unwrap().to_string();
            let server = std::thread::spawn(move || {
                let (mut stream, _) = listener.accept().unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(3)))
                    .unwrap();
                let mut marker = [0];
                stream.read_exact(&mut marker).unwrap();
                assert_eq!(marker, [7]);
                if truncated {
                    stream.write_all(b"ab").unwrap();
                    stream.shutdown(Shutdown::Write).unwrap();
                }
                assert_eq!(
                    stream.read(&mut marker).unwrap(),
                    0,
                    "failed response stream was reused"
                );
                let (mut clean, _) = listener.accept().unwrap();
                clean
                    .set_read_timeout(Some(Duration::from_secs(3)))
                    .unwrap();
                clean.read_exact(&mut marker).unwrap();
                assert_eq!(marker, [42]);
            });
            let mut client = crate::client::KafkaClient::builder()
                .with_conn_rw_timeout(2)
                .build();
            let conn = client.get_conn_mut(&host).unwrap();
            conn.send_request(&[7], 7, 0).unwrap();
            let size = if truncated { 3 } else { u64::MAX };

            assert!(conn.read_exact_alloc(size).is_err());
            assert!(conn.is_terminated());
            assert_eq!(conn.pending_response, None);
            // The pool replaces and drops the retired owner. This also mirrors
            // constructor cleanup when a peer has half-closed its write side.
            let clean = client.get_conn_mut(&host).unwrap();
            assert!(!clean.is_terminated());
            clean.send(&[42]).unwrap();
            server.join().unwrap();
        }
    }
}

#[cfg(all(test, any(feature = "security", feature = "security-ring")))]
mod tests {
    use std::collections::VecDeque;
    use std::io::{self, ErrorKind};
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::error::{ConnectionError, Error};

    #[derive(Default)]
    struct WriteTrace {
        written: Vec<u8>,
        flushes: usize,
    }

    struct ScriptedTlsStream {
        write_results: VecDeque<io::Result<usize>>,
        flush_error: Option<ErrorKind>,
        trace: Arc<Mutex<WriteTrace>>,
    }

    impl Read for ScriptedTlsStream {
        fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
            Ok(0)
        }
    }

    impl Write for ScriptedTlsStream {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let len = self.write_results.pop_front().unwrap_or(Ok(buf.len()))?;
            self.trace
                .lock()
                .unwrap()
                .written
                .extend_from_slice(&buf[..len]);
            Ok(len)
        }

        fn flush(&mut self) -> io::Result<()> {
            self.trace.lock().unwrap().flushes += 1;
            match self.flush_error {
                Some(kind) => Err(kind.into()),
                None => Ok(()),
            }
        }
    }

    impl TlsStream for ScriptedTlsStream {
        fn is_secured(&self) -> bool {
            true
        }

        fn set_read_timeout(&mut self, _dur: Option<Duration>) -> io::Result<()> {
            Ok(())
        }

        fn set_write_timeout(&mut self, _dur: Option<Duration>) -> io::Result<()> {
            Ok(())
        }

        fn shutdown(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn scripted_connection(
        write_results: impl IntoIterator<Item = io::Result<usize>>,
        flush_error: Option<ErrorKind>,
    ) -> (KafkaConnection, Arc<Mutex<WriteTrace>>) {
        let trace = Arc::new(Mutex::new(WriteTrace::default()));
        let stream = ScriptedTlsStream {
            write_results: write_results.into_iter().collect(),
            flush_error,
            trace: Arc::clone(&trace),
        };
        let connection = KafkaConnection::from_stream(
            KafkaStream::Tls(Box::new(stream)),
            1,
            "broker:9092",
            None,
        )
        .unwrap();
        (connection, trace)
    }

    fn io_error_kind(error: Error) -> ErrorKind {
        match error {
            Error::Connection(ConnectionError::Io(error)) => error.kind(),
            error => panic!("expected connection I/O error, got {error:?}"),
        }
    }

    #[test]
    fn send_completes_partial_writes_before_flushing() {
        let (mut connection, trace) = scripted_connection([Ok(2), Ok(3)], None);
        let message = b"kafka-frame";

        assert_eq!(connection.send(message).unwrap(), message.len());
        let trace = trace.lock().unwrap();
        assert_eq!(trace.written, message);
        assert_eq!(trace.flushes, 1);
        assert!(!connection.is_terminated());
    }

    #[test]
    fn send_retries_interrupted_writes_without_terminating_connection() {
        let (mut connection, trace) = scripted_connection(
            [
                Err(ErrorKind::Interrupted.into()),
                Ok(2),
                Err(ErrorKind::Interrupted.into()),
            ],
            None,
        );
        let message = b"kafka-frame";

        assert_eq!(connection.send(message).unwrap(), message.len());
        let trace = trace.lock().unwrap();
        assert_eq!(trace.written, message);
        assert_eq!(trace.flushes, 1);
        assert!(!connection.is_terminated());
    }

    #[test]
    fn send_terminates_connection_when_write_returns_zero() {
        let (mut connection, trace) = scripted_connection([Ok(2), Ok(0)], None);

        let error = connection.send(b"kafka-frame").unwrap_err();

        assert_eq!(io_error_kind(error), ErrorKind::WriteZero);
        let trace = trace.lock().unwrap();
        assert_eq!(trace.written, b"ka");
        assert_eq!(trace.flushes, 0);
        assert!(connection.is_terminated());
    }

    #[test]
    fn send_terminates_connection_on_error_after_partial_write() {
        let (mut connection, trace) =
            scripted_connection([Ok(2), Err(ErrorKind::BrokenPipe.into())], None);

        let error = connection.send(b"kafka-frame").unwrap_err();

        assert_eq!(io_error_kind(error), ErrorKind::BrokenPipe);
        let trace = trace.lock().unwrap();
        assert_eq!(trace.written, b"ka");
        assert_eq!(trace.flushes, 0);
        assert!(connection.is_terminated());
    }

    #[test]
    fn send_terminates_connection_when_flush_fails() {
        let (mut connection, trace) = scripted_connection([], Some(ErrorKind::TimedOut));
        let message = b"kafka-frame";

        let error = connection.send(message).unwrap_err();

        assert_eq!(io_error_kind(error), ErrorKind::TimedOut);
        let trace = trace.lock().unwrap();
        assert_eq!(trace.written, message);
        assert_eq!(trace.flushes, 1);
        assert!(connection.is_terminated());
    }
}
