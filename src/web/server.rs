//! The HTTP server, put together from actix-web's parts (as `HttpServer` does) so that
//! each listener gets its own app.
//!
//! The onion listener serves a different app from the main one: the staff console,
//! administration, `/metrics` and `/readyz` are not registered there at all, so no
//! spelling of a path (percent-encoded, dot segments, doubled slashes) can reach them.
//! Every connection it accepts carries [`OnionConnection`], which the limits and the
//! metrics endpoint read: what listener a request came through is a fact about its
//! connection, never about its path. With `HAVEN_ONION_PROXY_PROTOCOL=on` the listener
//! first reads the PROXY header Tor writes (`HiddenServiceExportCircuitID haproxy`), and
//! the source it names (carrying the circuit id) becomes the request's peer address.

use std::fmt;
use std::net::TcpListener;
use std::time::Duration;

use actix_http::body::MessageBody;
use actix_http::error::DispatchError;
use actix_http::{HttpService, Protocol, Request, Response};
use actix_server::{Server, ServerBuilder};
use actix_service::{
    IntoServiceFactory, ServiceFactory, ServiceFactoryExt as _, fn_service, map_config,
};
use actix_web::dev::AppConfig;
use tokio::net::TcpStream;

use super::client::OnionConnection;
use super::proxy_protocol::{ProxyHeader, read_v1_in_time};

/// Connection timeouts, the same on every listener.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub keep_alive: Duration,
    /// For the request head (actix has no body timeout: `web::body` adds one).
    pub client_request: Duration,
    pub client_disconnect: Duration,
}

/// The main listener and, if configured, the onion listener.
pub struct Listeners {
    pub main: TcpListener,
    pub onion: Option<TcpListener>,
    /// Whether each onion connection starts with a PROXY v1 header.
    pub onion_proxy_protocol: bool,
}

/// Builds the server: `main_app` on the main listener, `onion_app` on the onion one.
pub fn build<F, I, S, B, G, J, T, C>(
    listeners: Listeners,
    timeouts: Timeouts,
    main_app: F,
    onion_app: G,
) -> std::io::Result<Server>
where
    F: Fn() -> I + Send + Clone + 'static,
    I: IntoServiceFactory<S, Request>,
    S: ServiceFactory<Request, Config = AppConfig> + 'static,
    S::Error: Into<actix_web::Error> + 'static,
    S::InitError: fmt::Debug,
    S::Response: Into<Response<B>> + 'static,
    B: MessageBody + 'static,
    G: Fn() -> J + Send + Clone + 'static,
    J: IntoServiceFactory<T, Request>,
    T: ServiceFactory<Request, Config = AppConfig> + 'static,
    T::Error: Into<actix_web::Error> + 'static,
    T::InitError: fmt::Debug,
    T::Response: Into<Response<C>> + 'static,
    C: MessageBody + 'static,
{
    let builder = Server::build().shutdown_timeout(10);
    let builder = listen_main(builder, listeners.main, timeouts, main_app)?;
    let builder = match listeners.onion {
        Some(onion) => listen_onion(
            builder,
            onion,
            timeouts,
            listeners.onion_proxy_protocol,
            onion_app,
        )?,
        None => builder,
    };
    Ok(builder.run())
}

fn listen_main<F, I, S, B>(
    builder: ServerBuilder,
    listener: TcpListener,
    timeouts: Timeouts,
    app: F,
) -> std::io::Result<ServerBuilder>
where
    F: Fn() -> I + Send + Clone + 'static,
    I: IntoServiceFactory<S, Request>,
    S: ServiceFactory<Request, Config = AppConfig> + 'static,
    S::Error: Into<actix_web::Error> + 'static,
    S::InitError: fmt::Debug,
    S::Response: Into<Response<B>> + 'static,
    B: MessageBody + 'static,
{
    let addr = listener.local_addr()?;
    builder.listen(format!("haven-{addr}"), listener, move || {
        let app = app()
            .into_factory()
            .map_err(|err| Into::<actix_web::Error>::into(err).error_response());
        HttpService::build()
            .keep_alive(timeouts.keep_alive)
            .client_request_timeout(timeouts.client_request)
            .client_disconnect_timeout(timeouts.client_disconnect)
            // Compressed pages go out in two writes; without TCP_NODELAY the second
            // waits for the client's delayed ACK (~40 ms per request, ops/bench).
            .tcp_nodelay(true)
            .local_addr(addr)
            .finish(map_config(app, |_| AppConfig::default()))
            .tcp()
    })
}

fn listen_onion<G, J, T, C>(
    builder: ServerBuilder,
    listener: TcpListener,
    timeouts: Timeouts,
    proxy_protocol: bool,
    app: G,
) -> std::io::Result<ServerBuilder>
where
    G: Fn() -> J + Send + Clone + 'static,
    J: IntoServiceFactory<T, Request>,
    T: ServiceFactory<Request, Config = AppConfig> + 'static,
    T::Error: Into<actix_web::Error> + 'static,
    T::InitError: fmt::Debug,
    T::Response: Into<Response<C>> + 'static,
    C: MessageBody + 'static,
{
    let addr = listener.local_addr()?;
    builder.listen(format!("haven-onion-{addr}"), listener, move || {
        let app = app()
            .into_factory()
            .map_err(|err| Into::<actix_web::Error>::into(err).error_response());
        fn_service(move |mut io: TcpStream| async move {
            let _ = io.set_nodelay(true);
            let mut peer = io.peer_addr().ok();
            if proxy_protocol {
                match read_v1_in_time(&mut io).await {
                    Ok(ProxyHeader::Source(source)) => peer = Some(source),
                    Ok(ProxyHeader::Unknown) => {}
                    // Not from Tor, or Tor without the export: close it unanswered.
                    Err(e) => return Err(DispatchError::Io(std::io::Error::other(e))),
                }
            }
            Ok((io, Protocol::Http1, peer))
        })
        .and_then(
            HttpService::build()
                .keep_alive(timeouts.keep_alive)
                .client_request_timeout(timeouts.client_request)
                .client_disconnect_timeout(timeouts.client_disconnect)
                .local_addr(addr)
                .on_connect_ext(|_: &TcpStream, ext| {
                    ext.insert(OnionConnection);
                })
                .finish(map_config(app, |_| AppConfig::default())),
        )
    })
}
