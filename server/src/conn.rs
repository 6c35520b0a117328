//! Each request's head, read and checked before hyper parses it, so that the refusals hyper would
//! make bare (a request target over its limit, too many or too large headers, a malformed head)
//! or not at all (headers too slow: it only closes the connection) carry the API's error envelope.
//!
//! [`Guarded`] sits between the socket and hyper, for every request of a keep-alive connection:
//! it holds a head until it is complete and sound, then hands hyper the head and its body, framed
//! as hyper frames it (`Transfer-Encoding: chunked` or `Content-Length`), so that it knows where
//! the next head starts. A refused head is replaced by a stand-in request: hyper answers it in
//! order, after the connection's earlier answers, with the refusal the per-connection [`Shared`]
//! holds for that request ([`service`]), then closes the connection.

use crate::app::{refused, too_slow};
use axum::body::HttpBody;
use axum::http::StatusCode;
use axum::response::Response;
use axum::{BoxError, Router};
use bytes::{Buf, Bytes, BytesMut};
use hyper_util::service::TowerToHyperService;
use pivotal_core::{Error, ErrorCode};
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// The longest request target (the `http` crate holds at most this many bytes).
pub const MAX_TARGET: usize = u16::MAX as usize - 1;
/// The largest request head: request line and headers.
pub const MAX_HEAD: usize = 128 * 1024;
/// The most headers a request may carry (hyper's limit).
pub const MAX_HEADERS: usize = 100;
/// A request line longer than this, unfinished, cannot hold a target within [`MAX_TARGET`].
const MAX_LINE: usize = MAX_TARGET + 1024;
/// What hyper reads in place of a refused head.
const STAND_IN: &[u8] = b"GET / HTTP/1.1\r\nconnection: close\r\n\r\n";

/// Why a head was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// 414: the request target is over [`MAX_TARGET`].
    TargetTooLong,
    /// 431: the head is over [`MAX_HEAD`] or has more than [`MAX_HEADERS`] headers.
    HeadTooLarge,
    /// 400: not an HTTP/1 request head, or one whose body cannot be framed.
    Malformed,
    /// 408: the head did not arrive within the header timeout.
    TooSlow(Duration),
}

impl Refusal {
    /// The API's error envelope for this refusal.
    pub fn response(self) -> Response {
        match self {
            Self::TargetTooLong => refused(
                StatusCode::URI_TOO_LONG,
                &Error::field(
                    ErrorCode::TooLong,
                    "uri",
                    format!("the request target is longer than {MAX_TARGET} bytes"),
                ),
            ),
            Self::HeadTooLarge => refused(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                &Error::field(
                    ErrorCode::TooLarge,
                    "headers",
                    format!(
                        "the request's headers are larger than {MAX_HEAD} bytes or more than {MAX_HEADERS}"
                    ),
                ),
            ),
            Self::Malformed => refused(
                StatusCode::BAD_REQUEST,
                &Error::new(
                    ErrorCode::InvalidType,
                    "the request could not be read: a malformed request line or header",
                ),
            ),
            Self::TooSlow(limit) => too_slow("the request's headers", limit),
        }
    }
}

/// What a connection's [`Guarded`] stream and its [`service`] share.
#[derive(Debug, Default)]
pub struct Shared {
    /// The refusal, and the number of the request (from 0) hyper will read in its place.
    refusal: OnceLock<(u64, Refusal)>,
    /// Requests hyper has handed the service so far.
    requests: AtomicU64,
    in_flight: AtomicUsize,
}

/// A request counted in flight until dropped: the head timeout does not run meanwhile.
struct Busy(Arc<Shared>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The service of one connection: `router`, but for the stand-in of a refused head, which is
/// answered with the refusal.
pub fn service<B>(
    router: Router,
    shared: Arc<Shared>,
) -> impl hyper::service::Service<
    hyper::Request<B>,
    Response = Response,
    Error = Infallible,
    Future = impl Future<Output = Result<Response, Infallible>> + Send,
>
where
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let routed = TowerToHyperService::new(router);
    hyper::service::service_fn(move |req| {
        let n = shared.requests.fetch_add(1, Ordering::Relaxed);
        shared.in_flight.fetch_add(1, Ordering::Relaxed);
        let busy = Busy(shared.clone());
        let answer = match shared.refusal.get() {
            Some(&(at, refusal)) if at == n => Err(refusal),
            _ => Ok(hyper::service::Service::call(&routed, req)),
        };
        async move {
            let _busy = busy;
            match answer {
                Ok(answer) => answer.await,
                Err(refusal) => {
                    let response = refusal.response();
                    tracing::info!(status = response.status().as_u16(), "request refused");
                    Ok(response)
                }
            }
        }
    })
}

/// A connection's stream as hyper reads it: each request head checked first (see the module).
pub struct Guarded<S> {
    io: S,
    /// Bytes read from the socket that hyper has not been handed yet.
    buf: BytesMut,
    phase: Phase,
    shared: Arc<Shared>,
    timeout: Duration,
    /// Fires at the head's deadline or earlier (then it is re-armed).
    timer: Pin<Box<Sleep>>,
    /// Since when the connection waits for a head (the last answer's bytes count as activity).
    idle_since: Instant,
    /// Heads handed to hyper so far.
    heads: u64,
}

enum Phase {
    /// Reading a head: `scanned` bytes of `buf` hold no empty line ending it; the current line
    /// starts at `line`; `started` once a non-empty line was seen.
    Head {
        scanned: usize,
        line: usize,
        started: bool,
    },
    /// Handing hyper a head (`head` bytes of it still in `buf`), then its body.
    Message { head: usize, body: Body },
    /// Handing hyper the stand-in request of a refusal (`sent` bytes of it so far). Nothing
    /// follows: hyper closes the connection after its answer (an end of the stream before would
    /// make it drop the answer).
    Refused { sent: usize },
    /// The end of the stream, for hyper.
    Done,
}

impl<S> Guarded<S> {
    /// Guards `io`; a head must arrive within `timeout` of the connection's last activity.
    pub fn new(io: S, timeout: Duration, shared: Arc<Shared>) -> Self {
        let now = Instant::now();
        Self {
            io,
            buf: BytesMut::new(),
            phase: Phase::Head {
                scanned: 0,
                line: 0,
                started: false,
            },
            shared,
            timeout,
            timer: Box::pin(tokio::time::sleep_until(now + timeout)),
            idle_since: now,
            heads: 0,
        }
    }

    fn next_head(&mut self) {
        self.idle_since = Instant::now();
        self.phase = Phase::Head {
            scanned: 0,
            line: 0,
            started: false,
        };
    }

    fn refuse(&mut self, refusal: Refusal) {
        let _ = self.shared.refusal.set((self.heads, refusal));
        self.buf.clear();
        self.phase = Phase::Refused { sent: 0 };
    }

    /// Scans the new bytes of a head: once it is complete, its length and body, or its refusal.
    fn scan(&mut self) -> Option<Result<(usize, Body), Refusal>> {
        let Phase::Head {
            scanned,
            line,
            started,
        } = &mut self.phase
        else {
            return None;
        };
        while let Some(at) = self.buf[*scanned..].iter().position(|&b| b == b'\n') {
            let end = *scanned + at;
            *scanned = end + 1;
            let text = &self.buf[*line..end];
            let blank = text.is_empty() || text == b"\r";
            *line = end + 1;
            if !blank && !*started {
                *started = true;
                if request_target(text).is_some_and(|t| t.len() > MAX_TARGET) {
                    return Some(Err(Refusal::TargetTooLong));
                }
            } else if blank && *started {
                if end >= MAX_HEAD {
                    return Some(Err(Refusal::HeadTooLarge));
                }
                return Some(check(&self.buf[..end + 1]));
            }
        }
        *scanned = self.buf.len();
        if !*started && self.buf.len() - *line > MAX_LINE {
            Some(Err(Refusal::TargetTooLong))
        } else if self.buf.len() > MAX_HEAD {
            Some(Err(Refusal::HeadTooLarge))
        } else {
            None
        }
    }

    /// Whether the head's deadline passed: `timeout` since the connection went idle, a request
    /// in flight or an answer being written not counting as idle.
    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        while self.timer.as_mut().poll(cx).is_ready() {
            let now = Instant::now();
            let due = if self.shared.in_flight.load(Ordering::Relaxed) > 0 {
                now + self.timeout
            } else {
                self.idle_since + self.timeout
            };
            if due <= now {
                return true;
            }
            self.timer.as_mut().reset(due);
        }
        false
    }
}

/// The request target of a request line (`METHOD SP target SP version`), if it has one.
fn request_target(line: &[u8]) -> Option<&[u8]> {
    let mut parts = line.split(|&b| b == b' ').filter(|p| !p.is_empty());
    parts.next()?;
    parts.next()
}

/// A complete head, checked as hyper will parse it: its length and how its body is framed.
fn check(head: &[u8]) -> Result<(usize, Body), Refusal> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let len = match req.parse(head) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Err(Refusal::Malformed),
        Err(httparse::Error::TooManyHeaders) => return Err(Refusal::HeadTooLarge),
        Err(_) => return Err(Refusal::Malformed),
    };
    if req.path.is_some_and(|p| p.len() > MAX_TARGET) {
        return Err(Refusal::TargetTooLong);
    }
    if req.method == Some("CONNECT") {
        return Ok((len, Body::Unframed));
    }
    // RFC 9112, 6.3, as hyper applies it: the last `Transfer-Encoding` decides (chunked last, or
    // refused), and `Content-Length` then does not count; else every `Content-Length` agrees.
    let http11 = req.version == Some(1);
    let (mut te, mut chunked, mut length) = (false, false, None);
    for h in req.headers.iter() {
        if h.name.eq_ignore_ascii_case("transfer-encoding") {
            if !http11 {
                return Err(Refusal::Malformed);
            }
            te = true;
            chunked = std::str::from_utf8(h.value).is_ok_and(|v| {
                v.rsplit(',')
                    .next()
                    .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
            });
        } else if h.name.eq_ignore_ascii_case("content-length") && !te {
            let n = digits(h.value).ok_or(Refusal::Malformed)?;
            if length.is_some_and(|prev| prev != n) {
                return Err(Refusal::Malformed);
            }
            length = Some(n);
        }
    }
    match (te, chunked) {
        (true, false) => Err(Refusal::Malformed),
        (true, true) => Ok((len, Body::Chunked(Chunk::Start, 0))),
        (false, _) => Ok((len, Body::Length(length.unwrap_or(0)))),
    }
}

/// A `Content-Length` value: decimal digits only.
fn digits(value: &[u8]) -> Option<u64> {
    if value.is_empty() {
        return None;
    }
    value.iter().try_fold(0u64, |n, &b| {
        b.is_ascii_digit()
            .then(|| n.checked_mul(10)?.checked_add(u64::from(b - b'0')))
            .flatten()
    })
}

/// Where a request's body ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    /// This many bytes are left.
    Length(u64),
    /// Chunked: the decoder's state and the current chunk's size (or bytes left of its data).
    Chunked(Chunk, u64),
    /// Not framed here (CONNECT, or a chunked body hyper will refuse): every byte goes to hyper,
    /// and no further head is checked.
    Unframed,
}

/// The states of a chunked body, as hyper's decoder has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chunk {
    Start,
    Size,
    SizeLws,
    Extension,
    SizeLf,
    Data,
    DataCr,
    DataLf,
    EndCr,
    Trailer,
    TrailerLf,
    EndLf,
    End,
}

impl Body {
    fn done(&self) -> bool {
        matches!(self, Self::Length(0) | Self::Chunked(Chunk::End, _))
    }

    /// How many of `bytes` (the stream's next bytes) belong to the body.
    fn advance(&mut self, bytes: &[u8]) -> usize {
        match self {
            Self::Length(left) => {
                let n = bytes
                    .len()
                    .min(usize::try_from(*left).unwrap_or(usize::MAX));
                *left -= n as u64;
                n
            }
            Self::Unframed => bytes.len(),
            Self::Chunked(state, size) => {
                let mut i = 0;
                while i < bytes.len() && *state != Chunk::End {
                    if *state == Chunk::Data {
                        let n = (bytes.len() - i).min(usize::try_from(*size).unwrap_or(usize::MAX));
                        i += n;
                        *size -= n as u64;
                        if *size == 0 {
                            *state = Chunk::DataCr;
                        }
                        continue;
                    }
                    match chunk_step(*state, size, bytes[i]) {
                        Some(next) => *state = next,
                        None => {
                            // Hyper refuses the body and closes the connection.
                            *self = Self::Unframed;
                            return bytes.len();
                        }
                    }
                    i += 1;
                }
                i
            }
        }
    }
}

/// The next state of a chunked body's decoder after `b`; `None` where hyper's fails.
fn chunk_step(state: Chunk, size: &mut u64, b: u8) -> Option<Chunk> {
    use Chunk::*;
    let hex = |size: &mut u64| -> Option<Chunk> {
        let d = u64::from((b as char).to_digit(16)?);
        *size = size.checked_mul(16)?.checked_add(d)?;
        Some(Size)
    };
    match (state, b) {
        (Start, _) => hex(size),
        (Size, b'\t' | b' ') | (SizeLws, b'\t' | b' ') => Some(SizeLws),
        (Size | SizeLws, b';') => Some(Extension),
        (Size | SizeLws | Extension, b'\r') => Some(SizeLf),
        (Size, _) => hex(size),
        (Extension, b'\n') => None,
        (Extension, _) => Some(Extension),
        (SizeLf, b'\n') => Some(if *size == 0 { EndCr } else { Data }),
        (DataCr, b'\r') => Some(DataLf),
        (DataLf, b'\n') => Some(Start),
        (EndCr, b'\r') => Some(EndLf),
        (EndCr | Trailer, b'\n') => None,
        (Trailer, b'\r') => Some(TrailerLf),
        (EndCr | Trailer, _) => Some(Trailer),
        (TrailerLf, b'\n') => Some(EndCr),
        (EndLf, b'\n') => Some(End),
        _ => None,
    }
}

impl<S: AsyncRead + Unpin> Guarded<S> {
    /// Reads a head into `buf` until it is complete, refused, timed out or the stream ends;
    /// then the phase is the next one.
    fn poll_head(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        loop {
            match self.scan() {
                Some(Ok((head, body))) => {
                    self.heads += 1;
                    self.phase = Phase::Message { head, body };
                    return Poll::Ready(Ok(()));
                }
                Some(Err(r)) => {
                    self.refuse(r);
                    return Poll::Ready(Ok(()));
                }
                None => {}
            }
            self.buf.reserve(4096);
            let read = read_into(&mut self.io, cx, &mut self.buf);
            match read {
                Poll::Ready(Ok(0)) => {
                    // The client left; a partial head is dropped.
                    self.phase = Phase::Done;
                    return Poll::Ready(Ok(()));
                }
                Poll::Ready(Ok(_)) => {}
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => {
                    if !self.expired(cx) {
                        return Poll::Pending;
                    }
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        // Idle: the connection just closes.
                        self.phase = Phase::Done;
                    } else {
                        self.refuse(Refusal::TooSlow(self.timeout));
                    }
                    return Poll::Ready(Ok(()));
                }
            }
        }
    }
}

/// Reads what `io` has into the spare capacity of `buf`; the count (0 at the end of the stream).
fn read_into<S: AsyncRead + Unpin>(
    io: &mut S,
    cx: &mut Context<'_>,
    buf: &mut BytesMut,
) -> Poll<io::Result<usize>> {
    let spare = buf.spare_capacity_mut();
    let mut rb = ReadBuf::uninit(spare);
    ready!(Pin::new(io).poll_read(cx, &mut rb))?;
    let n = rb.filled().len();
    // SAFETY: `poll_read` initialised the first `n` bytes of the spare capacity.
    unsafe { buf.set_len(buf.len() + n) };
    Poll::Ready(Ok(n))
}

impl<S: AsyncRead + Unpin> AsyncRead for Guarded<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        out: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            match &mut this.phase {
                Phase::Head { .. } => ready!(this.poll_head(cx))?,
                Phase::Message { head, .. } if *head > 0 => {
                    let n = (*head).min(out.remaining());
                    *head -= n;
                    out.put_slice(&this.buf[..n]);
                    this.buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Phase::Message { body, .. } if body.done() => this.next_head(),
                Phase::Message { body, .. } if !this.buf.is_empty() => {
                    let n = this.buf.len().min(out.remaining());
                    let n = body.advance(&this.buf[..n]);
                    out.put_slice(&this.buf[..n]);
                    this.buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Phase::Message { body, .. } => {
                    // The common case: the body is read straight into hyper's buffer, and what
                    // follows it (a pipelined head) is taken back.
                    let before = out.filled().len();
                    ready!(Pin::new(&mut this.io).poll_read(cx, out))?;
                    let read = &out.filled()[before..];
                    let n = body.advance(read);
                    if n < read.len() {
                        this.buf.extend_from_slice(&read[n..]);
                        out.set_filled(before + n);
                    }
                    return Poll::Ready(Ok(()));
                }
                Phase::Refused { sent } if *sent == STAND_IN.len() => return Poll::Pending,
                Phase::Refused { sent } => {
                    let n = (STAND_IN.len() - *sent).min(out.remaining());
                    out.put_slice(&STAND_IN[*sent..*sent + n]);
                    *sent += n;
                    return Poll::Ready(Ok(()));
                }
                Phase::Done => return Poll::Ready(Ok(())),
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> Guarded<S> {
    /// Writing an answer is activity: the head timeout counts from the last write.
    fn wrote(&mut self) {
        if matches!(self.phase, Phase::Head { .. }) {
            self.idle_since = Instant::now();
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Guarded<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.wrote();
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.wrote();
        Pin::new(&mut this.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::service::Service as _;

    #[tokio::test]
    async fn only_the_stand_in_gets_the_refusal() {
        // Requests 0 and 1 were handed to hyper before the head refused in place of request 2.
        let router = Router::new().route("/", axum::routing::get(|| async { "routed" }));
        let shared = Arc::new(Shared::default());
        shared.refusal.set((2, Refusal::TargetTooLong)).unwrap();
        let service = service(router, shared.clone());
        let mut statuses = vec![];
        for _ in 0..3 {
            let req = hyper::Request::get("/")
                .body(axum::body::Body::empty())
                .unwrap();
            statuses.push(service.call(req).await.unwrap().status().as_u16());
        }
        assert_eq!(statuses, [200, 200, 414]);
        assert_eq!(shared.in_flight.load(Ordering::Relaxed), 0);
    }

    fn body(head: &str) -> Result<Body, Refusal> {
        check(head.as_bytes()).map(|(len, body)| {
            assert_eq!(len, head.len());
            body
        })
    }

    #[test]
    fn bodies_are_framed_as_hyper_frames_them() {
        let get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        assert_eq!(body(get), Ok(Body::Length(0)));
        let cl = "POST / HTTP/1.1\r\nContent-Length: 12\r\ncontent-length: 12\r\n\r\n";
        assert_eq!(body(cl), Ok(Body::Length(12)));
        let chunked = Ok(Body::Chunked(Chunk::Start, 0));
        let te = "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n";
        assert_eq!(body(te), chunked);
        let te_then_cl =
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: x\r\n\r\n";
        assert_eq!(body(te_then_cl), chunked);
        for refused in [
            "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nNo Colon\r\n\r\n",
        ] {
            assert_eq!(body(refused), Err(Refusal::Malformed), "{refused}");
        }
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_TARGET));
        assert_eq!(check(long.as_bytes()), Err(Refusal::TargetTooLong));
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: 1\r\n")).collect();
        let many = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert_eq!(check(many.as_bytes()), Err(Refusal::HeadTooLarge));
    }

    #[test]
    fn a_chunked_body_ends_where_hyper_ends_it_however_it_is_split() {
        let chunked = b"4;a=b\r\nWiki\r\n5 \r\npedia\r\nA\r\n in chunks\r\n0\r\nX-T: 1\r\n\r\n";
        let next = b"GET / HTTP/1.1\r\n\r\n";
        let stream = [&chunked[..], &next[..]].concat();
        for step in 1..stream.len() {
            let mut b = Body::Chunked(Chunk::Start, 0);
            let mut taken = 0;
            for piece in stream.chunks(step) {
                if b.done() {
                    break;
                }
                taken += b.advance(piece);
                if taken % step != 0 {
                    break; // the body ended inside this piece
                }
            }
            assert!(b.done(), "split every {step} bytes");
            assert_eq!(taken, chunked.len(), "split every {step} bytes");
        }
        let mut b = Body::Chunked(Chunk::Start, 0);
        assert_eq!(b.advance(b"4\nWiki"), 6);
        assert_eq!(
            b,
            Body::Unframed,
            "a malformed chunk leaves framing to hyper"
        );
        let mut b = Body::Length(3);
        assert_eq!(b.advance(b"abcdef"), 3);
        assert!(b.done());
    }
}
