//! Progress bars on stderr for imports and exports: shown only when stderr is a terminal and the
//! work has taken more than about a second, so piped and short runs print none.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::time::{Duration, Instant};

const DELAY: Duration = Duration::from_secs(1);

/// Bytes done out of an optional total, drawn once the delay has passed.
pub struct Progress {
    label: String,
    total: Option<u64>,
    done: u64,
    started: Instant,
    enabled: bool,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A progress of `total` bytes (unknown when `None`), labelled `label`.
    pub fn new(label: impl Into<String>, total: Option<u64>) -> Self {
        Self {
            label: label.into(),
            total,
            done: 0,
            started: Instant::now(),
            enabled: io::stderr().is_terminal(),
            bar: None,
        }
    }

    /// No bar at all (e.g. while the data itself goes to the terminal).
    pub fn hidden(mut self) -> Self {
        self.enabled = false;
        self
    }

    fn advance(&mut self, bytes: usize) {
        self.done += bytes as u64;
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.started.elapsed() >= DELAY {
            self.bar = Some(self.start_bar());
        }
        if let Some(bar) = &self.bar {
            bar.set_position(self.done);
        }
    }

    fn start_bar(&self) -> ProgressBar {
        let (bar, template) = match self.total {
            Some(total) => (
                ProgressBar::new(total),
                "{msg} [{wide_bar}] {bytes}/{total_bytes} ({eta} left)",
            ),
            None => (
                ProgressBar::new_spinner(),
                "{spinner} {msg}: {bytes} written ({bytes_per_sec})",
            ),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(self.label.clone());
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// A reader that reports the bytes consumed from it.
pub struct Reader<R> {
    inner: R,
    progress: Progress,
}

impl<R> Reader<R> {
    pub fn new(inner: R, progress: Progress) -> Self {
        Self { inner, progress }
    }
}

impl<R: Read> Read for Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Reader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
        self.progress.advance(amount);
    }
}

/// A writer that reports the bytes written to it, and whether its reader went away.
pub struct Writer<W> {
    inner: W,
    progress: Progress,
    closed: bool,
}

impl<W> Writer<W> {
    pub fn new(inner: W, progress: Progress) -> Self {
        Self {
            inner,
            progress,
            closed: false,
        }
    }

    /// Whether a write failed because the reading end closed (`pivotal export … | head`).
    pub fn closed(&self) -> bool {
        self.closed
    }

    fn noting<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result {
            self.closed |= e.kind() == io::ErrorKind::BrokenPipe;
        }
        result
    }
}

impl<W: Write> Write for Writer<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf);
        let n = self.noting(written)?;
        self.progress.advance(n);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        let flushed = self.inner.flush();
        self.noting(flushed)
    }
}
