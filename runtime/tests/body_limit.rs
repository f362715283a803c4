//! A 64 MiB answer against the 16 MiB limit, with and without
//! `Content-Length`: a typed error with the status, and the heap of this
//! test binary (counted by its allocator) never grows by much more than the
//! limit. One test, so nothing else allocates meanwhile.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use client_runtime::{BODY_EXCERPT_BYTES, Error};
use common::{LIMIT, base, patch, raw_server, send, write};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = IN_USE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed on to `System` unchanged; only counters are
// updated around it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, which is System's.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(pointer, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const ANSWER: usize = 64 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

/// Room above the limit for hyper's read buffer, the chunk that crossed the
/// limit, and bookkeeping; far below the 64 MiB that buffering would take.
const SLACK: usize = 4 * 1024 * 1024;

/// Runs `future` and returns its output and how far the heap grew above
/// where it started.
async fn peak_growth<T>(future: impl Future<Output = T>) -> (T, usize) {
    let start = IN_USE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let output = future.await;
    (output, PEAK.load(Ordering::Relaxed).saturating_sub(start))
}

/// A server answering `status` with 64 MiB of `x`, announced by
/// `Content-Length` or sent chunked, from one reused 64 KiB buffer.
async fn huge_answer(status: u16, announced: bool) -> String {
    let address = raw_server(move |mut stream| async move {
        let framing = if announced {
            format!("Content-Length: {ANSWER}")
        } else {
            "Transfer-Encoding: chunked".to_string()
        };
        let head = format!(
            "HTTP/1.1 {status} Whatever\r\nContent-Type: application/json\r\nX-Request-Id: r-1\r\n{framing}\r\n\r\n"
        );
        write(&mut stream, head.as_bytes()).await;
        let chunk = vec![b'x'; CHUNK];
        let framed = [format!("{CHUNK:x}\r\n").as_bytes(), &chunk, b"\r\n"].concat();
        for _ in 0..ANSWER / CHUNK {
            let sent = if announced {
                tokio::io::AsyncWriteExt::write_all(&mut stream, &chunk).await
            } else {
                tokio::io::AsyncWriteExt::write_all(&mut stream, &framed).await
            };
            if sent.is_err() {
                return; // The client stopped reading, as it should.
            }
        }
        if !announced {
            write(&mut stream, b"0\r\n\r\n").await;
        }
    })
    .await;
    base(address)
}

#[tokio::test]
async fn huge_answers_fail_typed_with_the_status_and_bounded_memory() {
    let client = common::client();

    for announced in [true, false] {
        let url = huge_answer(200, announced).await;
        let (result, growth) = peak_growth(send(&client, patch(&client, &url))).await;
        let error = result.expect_err("64 MiB is over the limit");
        let Error::ResponseTooLarge {
            status,
            headers,
            limit,
            content_length,
        } = &error
        else {
            panic!("announced: {announced}: expected ResponseTooLarge, got {error:?}");
        };
        assert_eq!(status.as_u16(), 200);
        assert_eq!(headers["x-request-id"], "r-1");
        assert_eq!(*limit, LIMIT);
        assert_eq!(*content_length, announced.then_some(ANSWER as u64));
        assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
        assert!(
            growth < LIMIT as usize + SLACK,
            "announced: {announced}: the heap grew by {growth} bytes"
        );
        if announced {
            assert!(growth < SLACK, "nothing was read: grew by {growth} bytes");
        }
    }

    // An undeclared status: only an excerpt is read and kept.
    let url = huge_answer(502, false).await;
    let (result, growth) = peak_growth(send(&client, patch(&client, &url))).await;
    let error = result.expect_err("502 is not declared");
    let Error::UnexpectedResponse {
        status,
        body,
        truncated,
        ..
    } = &error
    else {
        panic!("expected UnexpectedResponse, got {error:?}");
    };
    assert_eq!(status.as_u16(), 502);
    assert_eq!(body.len(), BODY_EXCERPT_BYTES);
    assert!(*truncated);
    assert!(format!("{error:?}").len() < 2 * BODY_EXCERPT_BYTES);
    assert!(
        growth < SLACK,
        "an excerpt was read: grew by {growth} bytes"
    );

    // Within the limit, a large answer still parses.
    let address = raw_server(|mut stream| async move {
        let body = format!("\"{}\"", "y".repeat(1024 * 1024));
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        write(&mut stream, head.as_bytes()).await;
        write(&mut stream, body.as_bytes()).await;
    })
    .await;
    let value = send(&client, patch(&client, &base(address)))
        .await
        .expect("1 MiB is within the limit");
    assert_eq!(value.as_str().map(str::len), Some(1024 * 1024));
}
