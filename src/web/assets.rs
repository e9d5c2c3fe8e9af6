//! Static assets, compiled into the binary: nothing is ever loaded from elsewhere, and
//! a deployment cannot lose or alter them.

use actix_web::{HttpResponse, web};

pub const CSS_PATH: &str = "/static/haven.css";
pub const ICON_PATH: &str = "/static/favicon.svg";

const CSS: &str = include_str!("../../static/haven.css");
const ICON: &str = include_str!("../../static/favicon.svg");

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(CSS_PATH, web::get().to(css))
        .route(ICON_PATH, web::get().to(icon))
        .route("/favicon.ico", web::get().to(icon));
}

async fn css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(CSS)
}

async fn icon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(ICON)
}
