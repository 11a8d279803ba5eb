//! The connection to Redis: TCP through the asynchronous `wasi:sockets` interface (WASI 0.3, so waiting for Redis
//! never blocks the other requests an instance is serving), RESP2 through [`crate::gateway::shared::resp`], a small
//! pool of open connections per instance, and a deadline on every call.
//!
//! A connection serves one call at a time: a call takes an idle connection (or opens one), writes the command, reads
//! exactly one reply, and puts the connection back (at most `pool` are kept idle). A call that fails or runs out of
//! time drops its connection, so a late reply can never be read as the answer to the next command.

use crate::gateway::shared::resp::{self, Reply, RespError};
use bytes::BytesMut;
use futures::future::{select, Either};
use spin_sdk::wasip3::sockets::types::{
    IpAddress, IpAddressFamily, IpSocketAddress, Ipv4SocketAddress, Ipv6SocketAddress, TcpSocket,
};
use spin_sdk::wasip3::{sockets::types::ErrorCode, wit_stream};
use spin_sdk::wit_bindgen::{FutureReader, StreamReader, StreamResult, StreamWriter};
use std::cell::RefCell;
use std::fmt;
use std::time::Duration;

/// Where Redis is: `redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]`.
#[derive(Clone, PartialEq, Eq)]
pub struct RedisAddress {
    pub host: String,
    pub port: u16,
    pub db: u32,
    /// `AUTH` on every new connection: the user (Redis 6 ACLs; `None`: the default user) and the password.
    pub auth: Option<(Option<String>, String)>,
}

impl fmt::Debug for RedisAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the password (configuration errors and logs print this).
        f.debug_struct("RedisAddress")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("db", &self.db)
            .field("auth", &self.auth.as_ref().map(|(user, _)| user))
            .finish()
    }
}

impl RedisAddress {
    /// Parses `redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]` (port 6379 and database 0 by default; an IPv6 host in
    /// brackets). Errors never repeat the URL (it may hold a password).
    pub fn parse(url: &str) -> Result<Self, String> {
        if url.starts_with("rediss://") {
            return Err(
                "TLS (rediss://) is not supported: reach Redis over a private network".into(),
            );
        }
        let rest = url
            .strip_prefix("redis://")
            .ok_or_else(|| "not a redis:// URL".to_owned())?;
        let (auth, rest) = match rest.rsplit_once('@') {
            Some((userinfo, rest)) => {
                let (user, password) = userinfo
                    .split_once(':')
                    .ok_or("credentials must be USER:PASSWORD or :PASSWORD")?;
                let user = (!user.is_empty()).then(|| user.to_owned());
                (Some((user, password.to_owned())), rest)
            }
            None => (None, rest),
        };
        let (authority, db) = match rest.split_once('/') {
            Some((authority, "")) => (authority, 0),
            Some((authority, db)) => (
                authority,
                db.parse()
                    .map_err(|_| format!("the database {db:?} is not a number"))?,
            ),
            None => (rest, 0),
        };
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or("unclosed [ in the host")?;
            (host, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err("the URL names no host".into());
        }
        let port = match port {
            None => 6379,
            Some(p) => p
                .parse()
                .map_err(|_| format!("the port {p:?} is not a port number"))?,
        };
        Ok(RedisAddress {
            host: host.to_owned(),
            port,
            db,
            auth,
        })
    }
}

/// Why a call to Redis did not give an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// No connection (refused, unreachable, name not resolved).
    Unavailable(String),
    /// No reply within the deadline.
    Timeout,
    /// The connection broke, or the reply was not RESP.
    Broken(String),
    /// Redis answered with an error.
    Server(String),
}

impl CallError {
    /// Redis lost the script cache (a restart, `SCRIPT FLUSH`): send the script's text again.
    pub fn is_noscript(&self) -> bool {
        matches!(self, CallError::Server(m) if resp::is_noscript(m))
    }

    /// The label in `/metrics`.
    pub fn label(&self) -> &'static str {
        match self {
            CallError::Unavailable(_) => "unavailable",
            CallError::Timeout => "timeout",
            CallError::Broken(_) => "broken",
            CallError::Server(_) => "error",
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Unavailable(m) => write!(f, "redis unavailable: {m}"),
            CallError::Timeout => write!(f, "redis did not answer in time"),
            CallError::Broken(m) => write!(f, "redis connection broken: {m}"),
            CallError::Server(m) => write!(f, "redis answered: {m}"),
        }
    }
}

fn socket_error(e: ErrorCode) -> String {
    format!("{e:?}")
}

/// One open connection.
struct Connection {
    _socket: TcpSocket,
    writer: StreamWriter<u8>,
    reader: StreamReader<u8>,
    /// What the runtime says when sending or receiving ends (kept so the socket's streams stay open).
    _sent: FutureReader<Result<(), ErrorCode>>,
    _received: FutureReader<Result<(), ErrorCode>>,
    buffer: BytesMut,
}

impl Connection {
    async fn open(address: IpSocketAddress) -> Result<Connection, CallError> {
        let family = match address {
            IpSocketAddress::Ipv4(_) => IpAddressFamily::Ipv4,
            IpSocketAddress::Ipv6(_) => IpAddressFamily::Ipv6,
        };
        let socket =
            TcpSocket::create(family).map_err(|e| CallError::Unavailable(socket_error(e)))?;
        socket
            .connect(address)
            .await
            .map_err(|e| CallError::Unavailable(socket_error(e)))?;
        let (writer, outgoing) = wit_stream::new::<u8>();
        let sent = socket.send(outgoing);
        let (reader, received) = socket.receive();
        Ok(Connection {
            _socket: socket,
            writer,
            reader,
            _sent: sent,
            _received: received,
            buffer: BytesMut::new(),
        })
    }

    /// Sends one command and reads its one reply.
    async fn call(&mut self, command: Vec<u8>) -> Result<Reply, CallError> {
        let unsent = self.writer.write_all(command).await;
        if !unsent.is_empty() {
            return Err(CallError::Broken("redis closed the connection".into()));
        }
        loop {
            match resp::decode_reply(&mut self.buffer) {
                Ok(Some(reply)) => return Ok(reply),
                Ok(None) => {}
                Err(RespError::Server(message)) => return Err(CallError::Server(message)),
                Err(e) => return Err(CallError::Broken(e.to_string())),
            }
            let (result, chunk) = self.reader.read(Vec::with_capacity(16 * 1024)).await;
            match result {
                StreamResult::Complete(_) => self.buffer.extend_from_slice(&chunk),
                StreamResult::Dropped | StreamResult::Cancelled => {
                    return Err(CallError::Broken("redis closed the connection".into()))
                }
            }
        }
    }
}

/// An instance's client: the address, the idle connections, the deadline.
pub struct RedisClient {
    address: RedisAddress,
    timeout: Duration,
    pool: usize,
    resolved: RefCell<Option<IpSocketAddress>>,
    idle: RefCell<Vec<Connection>>,
}

impl RedisClient {
    pub fn new(address: RedisAddress, timeout: Duration, pool: usize) -> Self {
        RedisClient {
            address,
            timeout,
            pool,
            resolved: RefCell::new(None),
            idle: RefCell::new(Vec::new()),
        }
    }

    /// Runs one command (`args[0]` is its name) within the deadline, connecting first if no connection is idle. A
    /// large command (a big response being stored) gets time to travel on top: 1 ms per 100 kB, so storing a 4 MB
    /// response is not taken for a Redis fault.
    pub async fn call<A: AsRef<[u8]>>(&self, args: &[A]) -> Result<Reply, CallError> {
        let mut command = BytesMut::new();
        resp::encode_command(args, &mut command);
        let command = command.to_vec();
        let deadline = self.timeout + Duration::from_micros(command.len() as u64 / 100);
        let attempt = async {
            let pooled = self.idle.borrow_mut().pop();
            let mut connection = match pooled {
                Some(connection) => connection,
                None => self.connect().await?,
            };
            let reply = connection.call(command).await;
            // A server error leaves the connection in step; anything else drops it.
            if matches!(reply, Ok(_) | Err(CallError::Server(_))) {
                let mut idle = self.idle.borrow_mut();
                if idle.len() < self.pool {
                    idle.push(connection);
                }
            }
            reply
        };
        match select(Box::pin(attempt), Box::pin(spin_sdk::time::sleep(deadline))).await {
            Either::Left((reply, _)) => reply,
            Either::Right(_) => Err(CallError::Timeout),
        }
    }

    /// Drops every idle connection (after a fault: the next call connects afresh).
    pub fn reset(&self) {
        self.idle.borrow_mut().clear();
    }

    async fn connect(&self) -> Result<Connection, CallError> {
        let resolved = *self.resolved.borrow();
        let address = match resolved {
            Some(address) => address,
            None => {
                let address = self.resolve().await?;
                *self.resolved.borrow_mut() = Some(address);
                address
            }
        };
        let mut connection = Connection::open(address).await?;
        if let Some((user, password)) = &self.address.auth {
            let mut auth = BytesMut::new();
            match user {
                Some(user) => resp::encode_command(&["AUTH", user, password], &mut auth),
                None => resp::encode_command(&["AUTH", password], &mut auth),
            }
            connection.call(auth.to_vec()).await.map_err(|e| match e {
                CallError::Server(m) => CallError::Unavailable(format!("AUTH refused: {m}")),
                other => other,
            })?;
        }
        if self.address.db != 0 {
            let mut select_db = BytesMut::new();
            resp::encode_command(&["SELECT", &self.address.db.to_string()], &mut select_db);
            connection.call(select_db.to_vec()).await?;
        }
        Ok(connection)
    }

    async fn resolve(&self) -> Result<IpSocketAddress, CallError> {
        let port = self.address.port;
        let host = self.address.host.as_str();
        let ip = if host.eq_ignore_ascii_case("localhost") {
            IpAddress::Ipv4((127, 0, 0, 1))
        } else if let Ok(v4) = host.parse::<std::net::Ipv4Addr>() {
            let [a, b, c, d] = v4.octets();
            IpAddress::Ipv4((a, b, c, d))
        } else if let Ok(v6) = host.parse::<std::net::Ipv6Addr>() {
            let s = v6.segments();
            IpAddress::Ipv6((s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]))
        } else {
            let found =
                spin_sdk::wasip3::sockets::ip_name_lookup::resolve_addresses(host.to_owned())
                    .await
                    .map_err(|e| CallError::Unavailable(format!("resolving {host}: {e:?}")))?;
            *found
                .first()
                .ok_or_else(|| CallError::Unavailable(format!("{host} has no address")))?
        };
        Ok(match ip {
            IpAddress::Ipv4(address) => IpSocketAddress::Ipv4(Ipv4SocketAddress { port, address }),
            IpAddress::Ipv6(address) => IpSocketAddress::Ipv6(Ipv6SocketAddress {
                port,
                flow_info: 0,
                address,
                scope_id: 0,
            }),
        })
    }
}
