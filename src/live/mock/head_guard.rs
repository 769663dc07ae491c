//! The request-head guard: the one piece of the mock that sits below actix-http, so that a
//! request head too large to serve is answered with Infobip's error body (431
//! `REQUEST_HEADER_FIELDS_TOO_LARGE`, `docs/platform-api.md` §1) rather than actix-http's own
//! empty 431, which it writes before any handler runs and offers no hook to change.
//!
//! The guard wraps each accepted connection. It follows HTTP/1.1 framing on the way in — a head,
//! then a body of `Content-Length` bytes or in chunks — and hands actix-http each head only once
//! it is whole and within the limits, so actix-http never meets a head it would refuse. A head
//! over [`MAX_HEAD_BYTES`] or with more than [`MAX_HEADERS`] header fields ends the connection
//! as a server that refuses a head does: the guard reports the end of the input to actix-http,
//! which finishes the requests before it (pipelined or not) and shuts the connection; the guard
//! writes the 431 after their answers, with `Connection: close`, then reads and drops what the
//! client still sends (at most [`LINGER_BYTES`], for at most [`LINGER`]) so that closing does
//! not reset the connection before the client has read the answer.
//!
//! Input the guard cannot frame (a malformed head or chunk) goes to actix-http unchanged from
//! there on; actix-http answers 400 and closes, as it did without the guard. Both limits sit
//! below actix-http's own (128 KiB, 96 fields: the guard counts with the same parser), and the
//! guard re-scans only new bytes for the end of a head, so a head sent a byte at a time costs
//! linear work.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::wire::ErrorBody;

/// The largest request head the mock takes, request line and fields with their line ends
/// (Infobip publishes no limit; this is half of actix-http's, so its own refusal never runs).
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The most header fields a request may carry (actix-http's own limit, counted by the same
/// parser).
pub const MAX_HEADERS: usize = 96;
/// What the guard reads and drops after a refusal before it closes.
pub const LINGER_BYTES: usize = 1024 * 1024;
/// How long the guard waits for the client to stop sending after a refusal.
pub const LINGER: Duration = Duration::from_secs(1);
/// The longest chunk-size or trailer line the guard frames; past it, input passes unframed.
const MAX_LINE_BYTES: usize = 8 * 1024;
/// How much the guard asks of the socket at once.
const READ_CHUNK: usize = 16 * 1024;

/// Where the guard is in the stream of requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// Waiting for a whole head; `scanned` bytes of the pending input hold no end of head.
    Head { scanned: usize },
    /// Inside a body of known length.
    Body { remaining: u64 },
    /// Before a chunk-size line.
    ChunkSize,
    /// Inside a chunk's data.
    ChunkData { remaining: u64 },
    /// The line end after a chunk's data.
    ChunkEnd,
    /// Trailer fields after the last chunk, up to an empty line.
    Trailers,
    /// Input the guard cannot frame (malformed, or an upgrade): it all goes through.
    Unframed,
    /// A head was refused: the input has ended for actix-http.
    Refused,
}

/// What was decided about a complete or growing head.
enum HeadVerdict {
    /// Need more bytes.
    Partial,
    /// A whole head of `len` bytes followed by a body framed as given.
    Whole { len: usize, next: Framing },
    /// Too large: refuse.
    Refuse,
    /// Not a head actix-http will accept: pass through.
    Malformed,
}

/// A connection with its request heads checked before actix-http reads them.
pub struct HeadGuard<T> {
    io: T,
    framing: Framing,
    /// Read from the socket, not yet framed.
    pending: Vec<u8>,
    /// Framed, not yet handed to actix-http (`handed` bytes of it already have been).
    ready: Vec<u8>,
    handed: usize,
    /// The socket reported the end of the input.
    eof: bool,
    /// The refusal: the answer and how much of it is written.
    answer: Option<(Vec<u8>, usize)>,
    written_shutdown: bool,
    lingered: usize,
    linger_until: Option<Pin<Box<tokio::time::Sleep>>>,
    refusals: Arc<AtomicU64>,
}

impl<T> HeadGuard<T> {
    /// Guards `io`; each refused head adds one to `refusals`.
    pub fn new(io: T, refusals: Arc<AtomicU64>) -> Self {
        Self {
            io,
            framing: Framing::Head { scanned: 0 },
            pending: Vec::new(),
            ready: Vec::new(),
            handed: 0,
            eof: false,
            answer: None,
            written_shutdown: false,
            lingered: 0,
            linger_until: None,
            refusals,
        }
    }

    /// Moves framed bytes from `pending` to `ready` until more input is needed.
    fn frame(&mut self) {
        let passable = advance(&mut self.framing, &self.pending);
        self.pass(passable);
        self.after_advance();
    }

    /// Moves the first `len` pending bytes to `ready`.
    fn pass(&mut self, len: usize) {
        if self.handed == self.ready.len() {
            self.ready.clear();
            self.handed = 0;
        }
        self.ready.extend(self.pending.drain(..len));
    }

    /// Takes note of a refusal [`advance`] has just made: what follows the refused head is
    /// dropped, and the 431 is ready for the close.
    fn after_advance(&mut self) {
        if self.framing == Framing::Refused && self.answer.is_none() {
            self.pending = Vec::new();
            self.refusals.fetch_add(1, Ordering::Relaxed);
            self.answer = Some((refusal_answer(), 0));
        }
    }
}

/// Follows the framing over `input` (which starts where `framing` says): how many bytes from
/// its start are framed and may go to actix-http. It stops where more input is needed, where a
/// head is refused ([`Framing::Refused`], the refused head not counted), or at the end.
fn advance(framing: &mut Framing, input: &[u8]) -> usize {
    let mut at = 0;
    loop {
        let rest = &input[at..];
        let (used, next) = match *framing {
            Framing::Head { scanned } => match judge_head(rest, scanned) {
                (HeadVerdict::Partial, scanned) => (0, Framing::Head { scanned }),
                (HeadVerdict::Whole { len, next }, _) => (len, next),
                (HeadVerdict::Malformed, _) => (0, Framing::Unframed),
                (HeadVerdict::Refuse, _) => (0, Framing::Refused),
            },
            Framing::Body { remaining } => {
                let (take, left) = take_up_to(rest, remaining);
                let next = if left == 0 {
                    Framing::Head { scanned: 0 }
                } else {
                    Framing::Body { remaining: left }
                };
                (take, next)
            }
            Framing::ChunkSize => match httparse::parse_chunk_size(rest) {
                Ok(httparse::Status::Complete((len, 0))) => (len, Framing::Trailers),
                Ok(httparse::Status::Complete((len, size))) => {
                    (len, Framing::ChunkData { remaining: size })
                }
                Ok(httparse::Status::Partial) if rest.len() <= MAX_LINE_BYTES => {
                    (0, Framing::ChunkSize)
                }
                _ => (0, Framing::Unframed),
            },
            Framing::ChunkData { remaining } => {
                let (take, left) = take_up_to(rest, remaining);
                let next = if left == 0 {
                    Framing::ChunkEnd
                } else {
                    Framing::ChunkData { remaining: left }
                };
                (take, next)
            }
            Framing::ChunkEnd => match rest {
                [] | [b'\r'] => (0, Framing::ChunkEnd),
                [b'\r', b'\n', ..] => (2, Framing::ChunkSize),
                _ => (0, Framing::Unframed),
            },
            Framing::Trailers => match rest.iter().position(|&b| b == b'\n') {
                Some(0) => (1, Framing::Head { scanned: 0 }),
                Some(1) if rest[0] == b'\r' => (2, Framing::Head { scanned: 0 }),
                Some(end) => (end + 1, Framing::Trailers),
                None if rest.len() <= MAX_LINE_BYTES => (0, Framing::Trailers),
                None => (0, Framing::Unframed),
            },
            Framing::Unframed => (rest.len(), Framing::Unframed),
            Framing::Refused => (0, Framing::Refused),
        };
        // A step that took nothing waits for input — unless it just found the input cannot
        // be framed, and then the rest goes through.
        let entering_unframed = next == Framing::Unframed && *framing != Framing::Unframed;
        *framing = next;
        at += used;
        if used == 0 && !entering_unframed {
            return at;
        }
    }
}

/// Of `remaining` body bytes, how many `rest` holds, and how many are left after them.
fn take_up_to(rest: &[u8], remaining: u64) -> (usize, u64) {
    let take = usize::try_from(remaining)
        .unwrap_or(usize::MAX)
        .min(rest.len());
    (take, remaining - take as u64)
}

/// Judges the pending input of a head: whether it holds a whole head (and how the body after
/// it is framed), needs more, or must be refused. `scanned` bytes are known to hold no end of
/// head; the second value is the new such count.
fn judge_head(pending: &[u8], scanned: usize) -> (HeadVerdict, usize) {
    // A head ends at an empty line; "\n\n" is accepted as the parser does. Back up three bytes
    // so an end split across reads is found.
    let from = scanned.saturating_sub(3);
    let ends = pending[from..]
        .windows(2)
        .any(|w| w == b"\n\n" || w == b"\n\r");
    if !ends {
        let verdict = if pending.len() > MAX_HEAD_BYTES {
            HeadVerdict::Refuse
        } else {
            HeadVerdict::Partial
        };
        return (verdict, pending.len());
    }
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut fields);
    let verdict = match request.parse(pending) {
        Ok(httparse::Status::Complete(len)) if len > MAX_HEAD_BYTES => HeadVerdict::Refuse,
        Ok(httparse::Status::Complete(len)) => match body_framing(&request) {
            Some(next) => HeadVerdict::Whole { len, next },
            None => HeadVerdict::Malformed,
        },
        // "\n\r" inside a field, not an end of head yet.
        Ok(httparse::Status::Partial) if pending.len() > MAX_HEAD_BYTES => HeadVerdict::Refuse,
        Ok(httparse::Status::Partial) => HeadVerdict::Partial,
        Err(httparse::Error::TooManyHeaders) => HeadVerdict::Refuse,
        Err(_) => HeadVerdict::Malformed,
    };
    (verdict, pending.len())
}

/// How the body after a parsed head is framed (RFC 9112 §6): chunked when the last transfer
/// coding is `chunked`, else `Content-Length` bytes, else none. `None` for what the guard
/// leaves to actix-http: an upgrade, `CONNECT`, a length that is not one number, another
/// transfer coding.
fn body_framing(request: &httparse::Request<'_, '_>) -> Option<Framing> {
    if request.method == Some("CONNECT") {
        return None;
    }
    let mut length: Option<u64> = None;
    let mut chunked = false;
    for field in request.headers.iter() {
        let name = field.name;
        if name.eq_ignore_ascii_case("upgrade") {
            return None;
        }
        if name.eq_ignore_ascii_case("transfer-encoding") {
            let value = std::str::from_utf8(field.value).ok()?;
            let last = value.rsplit(',').next().unwrap_or("").trim();
            if !last.eq_ignore_ascii_case("chunked") {
                return None;
            }
            chunked = true;
        } else if name.eq_ignore_ascii_case("content-length") {
            let value = std::str::from_utf8(field.value).ok()?.trim();
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: u64 = value.parse().ok()?;
            if length.is_some_and(|seen| seen != n) {
                return None;
            }
            length = Some(n);
        }
    }
    Some(match (chunked, length) {
        (true, Some(_)) => return None,
        (true, None) => Framing::ChunkSize,
        (false, Some(0) | None) => Framing::Head { scanned: 0 },
        (false, Some(n)) => Framing::Body { remaining: n },
    })
}

/// The 431 the guard writes: Infobip's error body, and the connection closes.
fn refusal_answer() -> Vec<u8> {
    let text = format!(
        "Request header fields too large: the mock takes at most {MAX_HEADERS} header fields \
         and {} KiB of request head.",
        MAX_HEAD_BYTES / 1024
    );
    let body = serde_json::to_vec(&ErrorBody::new(
        "REQUEST_HEADER_FIELDS_TOO_LARGE",
        &text,
        None,
    ))
    .unwrap_or_default();
    let mut answer = format!(
        "HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(&body);
    answer
}

impl<T: AsyncRead + Unpin> AsyncRead for HeadGuard<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        loop {
            if this.handed < this.ready.len() {
                let n = buf.remaining().min(this.ready.len() - this.handed);
                buf.put_slice(&this.ready[this.handed..this.handed + n]);
                this.handed += n;
                return Poll::Ready(Ok(()));
            }
            if this.framing == Framing::Refused || this.eof {
                // The end of the input, for actix-http.
                return Poll::Ready(Ok(()));
            }
            if this.pending.is_empty() {
                // The common case: read straight into actix-http's buffer and hold back only
                // what is not framed yet (the start of a head).
                let before = buf.filled().len();
                ready!(Pin::new(&mut this.io).poll_read(cx, buf))?;
                let new = &buf.filled()[before..];
                if new.is_empty() {
                    this.eof = true;
                    return Poll::Ready(Ok(()));
                }
                let passable = advance(&mut this.framing, new);
                if this.framing != Framing::Refused {
                    this.pending.extend_from_slice(&new[passable..]);
                }
                buf.set_filled(before + passable);
                this.after_advance();
                if passable > 0 {
                    return Poll::Ready(Ok(()));
                }
                continue;
            }
            let mut chunk = [0u8; READ_CHUNK];
            let mut read = ReadBuf::new(&mut chunk);
            ready!(Pin::new(&mut this.io).poll_read(cx, &mut read))?;
            if read.filled().is_empty() {
                // The client stopped sending: whatever is unframed goes to actix-http as is.
                this.eof = true;
                let all = this.pending.len();
                this.pass(all);
            } else {
                this.pending.extend_from_slice(read.filled());
                this.frame();
            }
        }
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> AsyncWrite for HeadGuard<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let Some((answer, written)) = this.answer.as_mut() else {
            return Pin::new(&mut this.io).poll_shutdown(cx);
        };
        // actix-http has written and flushed the answers before the refused head: the 431
        // follows them.
        while *written < answer.len() {
            let n = ready!(Pin::new(&mut this.io).poll_write(cx, &answer[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        if !this.written_shutdown {
            ready!(Pin::new(&mut this.io).poll_flush(cx))?;
            ready!(Pin::new(&mut this.io).poll_shutdown(cx))?;
            this.written_shutdown = true;
            this.linger_until = Some(Box::pin(tokio::time::sleep(LINGER)));
        }
        // Read and drop what the client still sends, so that closing with unread input does
        // not reset the connection under the answer.
        loop {
            if this.lingered >= LINGER_BYTES {
                return Poll::Ready(Ok(()));
            }
            if let Some(timer) = this.linger_until.as_mut()
                && timer.as_mut().poll(cx).is_ready()
            {
                return Poll::Ready(Ok(()));
            }
            let mut chunk = [0u8; READ_CHUNK];
            let mut read = ReadBuf::new(&mut chunk);
            match ready!(Pin::new(&mut this.io).poll_read(cx, &mut read)) {
                Ok(()) if !read.filled().is_empty() => this.lingered += read.filled().len(),
                _ => return Poll::Ready(Ok(())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(input: &[u8]) -> &'static str {
        match judge_head(input, 0).0 {
            HeadVerdict::Partial => "partial",
            HeadVerdict::Whole { .. } => "whole",
            HeadVerdict::Refuse => "refuse",
            HeadVerdict::Malformed => "malformed",
        }
    }

    fn head_with_fields(n: usize) -> Vec<u8> {
        let mut head = b"GET /ccaas/1/conversations HTTP/1.1\r\nHost: x\r\n".to_vec();
        for i in 1..n {
            head.extend_from_slice(format!("X-F{i}: v\r\n").as_bytes());
        }
        head.extend_from_slice(b"\r\n");
        head
    }

    #[test]
    fn a_head_of_96_fields_passes_and_97_is_refused() {
        assert_eq!(verdict(&head_with_fields(96)), "whole");
        assert_eq!(verdict(&head_with_fields(97)), "refuse");
    }

    #[test]
    fn a_head_past_64_kib_is_refused_before_its_end_arrives() {
        let mut head = b"GET / HTTP/1.1\r\nX-Big: ".to_vec();
        head.resize(MAX_HEAD_BYTES + 1, b'a');
        assert_eq!(verdict(&head), "refuse");
        head.truncate(MAX_HEAD_BYTES - 10);
        assert_eq!(verdict(&head), "partial");
    }

    #[test]
    fn bodies_are_framed_by_length_and_by_chunks_so_the_next_head_is_found() {
        let mut guard = HeadGuard::new((), Arc::default());
        let stream = b"POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello\
            POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n\
            GET /c HTTP/1.1\r\n";
        // A byte at a time, the hardest split.
        for &b in stream.iter() {
            guard.pending.push(b);
            guard.frame();
        }
        assert_eq!(guard.framing, Framing::Head { scanned: 17 });
        assert_eq!(guard.pending, b"GET /c HTTP/1.1\r\n");
        let many_fields = head_with_fields(97);
        let fields_from = many_fields.windows(2).position(|w| w == b"\r\n").unwrap() + 2;
        guard.pending.extend_from_slice(&many_fields[fields_from..]);
        guard.frame();
        assert_eq!(guard.framing, Framing::Refused);
        assert_eq!(guard.refusals.load(Ordering::Relaxed), 1);
    }

    /// A connection that yields its input in the given pieces.
    struct Pieces(std::collections::VecDeque<Vec<u8>>);

    impl AsyncRead for Pieces {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            if let Some(mut piece) = self.0.pop_front() {
                let n = piece.len().min(buf.remaining());
                buf.put_slice(&piece[..n]);
                if n < piece.len() {
                    self.0.push_front(piece.split_off(n));
                }
            }
            Poll::Ready(Ok(()))
        }
    }

    #[test]
    fn split_anywhere_actix_http_gets_every_request_up_to_the_refused_head() {
        let served = b"POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello\
            POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            .to_vec();
        let mut stream = served.clone();
        stream.extend_from_slice(&head_with_fields(97));
        stream.extend_from_slice(b"GET /never HTTP/1.1\r\n\r\n");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        for split in 1..stream.len() {
            let pieces = [stream[..split].to_vec(), stream[split..].to_vec()];
            let mut guard = HeadGuard::new(Pieces(pieces.into()), Arc::default());
            let mut got = Vec::new();
            runtime
                .block_on(tokio::io::AsyncReadExt::read_to_end(&mut guard, &mut got))
                .unwrap();
            assert_eq!(got, served, "split at {split}");
            assert_eq!(guard.framing, Framing::Refused, "split at {split}");
            assert_eq!(guard.refusals.load(Ordering::Relaxed), 1);
        }
    }

    #[test]
    fn what_the_guard_cannot_frame_goes_through_unchanged() {
        assert_eq!(
            verdict(b"GET / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n"),
            "malformed"
        );
        assert_eq!(verdict(b"NOT HTTP\r\n\r\n"), "malformed");
        assert_eq!(
            verdict(b"GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n"),
            "malformed"
        );
    }

    #[test]
    fn the_answer_is_infobips_error_body_with_connection_close() {
        let answer = String::from_utf8(refusal_answer()).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 431 "));
        assert!(head.contains("connection: close"));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let parsed: ErrorBody = serde_json::from_str(body).unwrap();
        assert_eq!(
            parsed.request_error.service_exception.message_id,
            "REQUEST_HEADER_FIELDS_TOO_LARGE"
        );
    }
}
