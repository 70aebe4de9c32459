//! A tiny HTTP/1.1 server on `127.0.0.1:0`, one request per connection, for these tests only.
//!
//! It serves routes set by the test (bodies with an `ETag` honouring `If-None-Match`, fixed
//! statuses, bodies cut short of their `Content-Length`, handler functions), records every
//! request with the status it got, and stops when dropped or after [`LIFETIME`] at the latest.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The server never runs longer than this, even if a test forgets to drop it.
const LIFETIME: Duration = Duration::from_secs(120);

/// A request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The status the server answered.
    pub status: u16,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

type Handler = Arc<dyn Fn(&Request) -> (u16, Vec<u8>) + Send + Sync>;

/// What a path answers.
#[derive(Clone)]
pub enum Route {
    /// `200` with the body and `ETag`, or `304` when `If-None-Match` matches the `ETag`.
    Serve { body: Vec<u8>, etag: String },
    /// This status with an empty body.
    Status(u16),
    /// A `Content-Length` of `body.len() + missing`, then the body, then the connection closes.
    Truncated { body: Vec<u8>, missing: usize },
    /// Computed from the request.
    Handler(Handler),
}

impl Route {
    pub fn serve(body: &[u8], etag: &str) -> Self {
        Self::Serve {
            body: body.to_vec(),
            etag: format!("\"{etag}\""),
        }
    }

    pub fn handler(f: impl Fn(&Request) -> (u16, Vec<u8>) + Send + Sync + 'static) -> Self {
        Self::Handler(Arc::new(f))
    }
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Route>,
    requests: Vec<Request>,
}

pub struct Server {
    pub base: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop) = (Arc::clone(&state), Arc::clone(&stop));
            std::thread::spawn(move || serve(&listener, &state, &stop))
        };
        Self {
            base,
            state,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn route(&self, path: &str, route: Route) {
        self.state
            .lock()
            .unwrap()
            .routes
            .insert(path.to_owned(), route);
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Requests for `path`.
    pub fn requests_to(&self, path: &str) -> Vec<Request> {
        let mut requests = self.requests();
        requests.retain(|r| r.path == path);
        requests
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(listener: &TcpListener, state: &Mutex<State>, stop: &AtomicBool) {
    let deadline = Instant::now() + LIFETIME;
    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
        match listener.accept() {
            Ok((stream, _)) => {
                let _ = handle(stream, state);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(_) => return,
        }
    }
}

fn handle(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
            break;
        }
        if let Some((name, value)) = line.trim_end().split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let mut request = Request {
        method,
        path,
        headers,
        body: Vec::new(),
        status: 0,
    };
    if let Some(len) = request.header("content-length") {
        let mut body = vec![0; len.parse().unwrap_or(0)];
        reader.read_exact(&mut body)?;
        request.body = body;
    }

    let route = state.lock().unwrap().routes.get(&request.path).cloned();
    let (status, etag, body, missing) = match route {
        None => (404, None, Vec::new(), 0),
        Some(Route::Status(status)) => (status, None, Vec::new(), 0),
        Some(Route::Serve { body, etag }) => {
            if request.header("if-none-match") == Some(etag.as_str()) {
                (304, Some(etag), Vec::new(), 0)
            } else {
                (200, Some(etag), body, 0)
            }
        }
        Some(Route::Truncated { body, missing }) => (200, None, body, missing),
        Some(Route::Handler(handler)) => {
            let (status, body) = handler(&request);
            (status, None, body, 0)
        }
    };
    request.status = status;
    state.lock().unwrap().requests.push(request);

    let mut head = format!("HTTP/1.1 {status} Test\r\nConnection: close\r\n");
    if let Some(etag) = etag {
        let _ = write!(head, "ETag: {etag}\r\n");
    }
    if status != 304 {
        let _ = write!(head, "Content-Length: {}\r\n", body.len() + missing);
    }
    head.push_str("\r\n");
    let mut stream = stream;
    stream.write_all(head.as_bytes())?;
    stream.write_all(&body)?;
    stream.flush()?;
    stream.shutdown(Shutdown::Both)
}
