//! The synchronous driver of one connection: a `tokio_postgres` client works by queueing requests
//! to its connection, a future that writes them to the socket and hands each answer back, in
//! order. The `postgres` crate runs that future on a current-thread runtime while it waits for
//! one answer at a time; this driver does the same ([`Driver::block_on`]), and also lets a caller
//! queue several requests before waiting (they travel in one round trip) or send a request whose
//! answer nobody waits for ([`Driver::send`]): the connection discards an answer whose future was
//! dropped, on its next use.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::runtime::{Builder, Runtime};
use tokio_postgres::tls::{MakeTlsConnect, TlsConnect};
use tokio_postgres::{Client, Config, Error, Socket};

use super::error::map_err;
use crate::error::Result as CrateResult;

/// The connection's future: runs until the client is dropped or the connection fails.
type ConnectionFuture = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

/// Runs one connection's I/O on the calling thread, while it waits for an answer.
pub(super) struct Driver {
    runtime: Runtime,
    /// `None` once it has ended (the server closed the connection, or it failed): every request
    /// queued since fails at once, and the client reports `is_closed`.
    connection: Option<ConnectionFuture>,
    /// How many times it waited for answers: the round trips, for the tests that count them.
    #[cfg(test)]
    pub(super) waits: u64,
}

impl Driver {
    /// Connects as `config` says (its `connect_timeout` included), through `tls`.
    pub(super) fn connect<T>(config: &Config, tls: T) -> CrateResult<(Client, Driver)>
    where
        T: MakeTlsConnect<Socket> + 'static + Send,
        T::TlsConnect: Send,
        T::Stream: Send,
        <T::TlsConnect as TlsConnect<Socket>>::Future: Send,
    {
        let runtime = Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                crate::Error::internal(format!("cannot start a connection's runtime: {e}"))
            })?;
        let (client, connection) = runtime.block_on(config.connect(tls)).map_err(map_err)?;
        let driver = Driver {
            runtime,
            connection: Some(Box::pin(connection)),
            #[cfg(test)]
            waits: 0,
        };
        Ok((client, driver))
    }

    /// Polls `future` and the connection together until `future` is done. When the connection
    /// ends, the requests still waiting for an answer fail as closed; such a failure is replaced
    /// by the connection's own error, which tells why.
    pub(super) fn block_on<T>(
        &mut self,
        future: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        #[cfg(test)]
        {
            self.waits += 1;
        }
        let connection = &mut self.connection;
        let mut future = std::pin::pin!(future);
        self.runtime.block_on(std::future::poll_fn(|cx| {
            let ended = drive(connection, cx);
            match (future.as_mut().poll(cx), ended) {
                (Poll::Ready(Err(e)), Some(Err(cause))) if e.is_closed() => Poll::Ready(Err(cause)),
                (Poll::Ready(result), _) => Poll::Ready(result),
                (Poll::Pending, Some(Err(cause))) => Poll::Ready(Err(cause)),
                (Poll::Pending, Some(Ok(()))) => {
                    // Its answer's channel is gone with the connection: the next poll fails it.
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
                (Poll::Pending, None) => Poll::Pending,
            }
        }))
    }

    /// Queues `request` (a client call, polled once to queue it) and writes it to the socket,
    /// without waiting for its answer, which the connection discards when it comes. The socket
    /// takes the request at once: every earlier request was answered, so nothing of this
    /// connection is left in its send buffer.
    pub(super) fn send<T>(&mut self, request: impl Future<Output = Result<T, Error>>) {
        let connection = &mut self.connection;
        let mut request = std::pin::pin!(request);
        self.runtime.block_on(std::future::poll_fn(|cx| {
            // Queued by its first poll (which cannot finish it: the answer has not come).
            let _ = request.as_mut().poll(cx);
            drive(connection, cx);
            Poll::Ready(())
        }));
    }
}

/// Polls the connection: writes what is queued, reads what has come. Returns how it ended, if it
/// did now (then it is dropped, closing the channels of the answers still awaited).
fn drive(
    connection: &mut Option<ConnectionFuture>,
    cx: &mut Context<'_>,
) -> Option<Result<(), Error>> {
    let ended = match connection.as_mut()?.as_mut().poll(cx) {
        Poll::Ready(result) => result,
        Poll::Pending => return None,
    };
    *connection = None;
    Some(ended)
}

impl Drop for Driver {
    /// Says goodbye to the server (Terminate) when the connection is idle, without waiting.
    fn drop(&mut self) {
        if let Some(mut connection) = self.connection.take() {
            self.runtime.block_on(std::future::poll_fn(|cx| {
                let _ = connection.as_mut().poll(cx);
                Poll::Ready(())
            }));
        }
    }
}
