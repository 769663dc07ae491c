//! The Subscriptions API's routes ([`super::subscriptions`]): security, profiles and
//! subscriptions, scope `subscriptions:manage`. Creations answer 201, as the document has it.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::auth::Need;
use super::http::{Shared, allowed, json_in, resource, respond};
use super::queries::Query;
use super::state::MockError;
use super::subscriptions::{ProfileIn, SecurityIn, SubscriptionIn, Subscriptions, paging};

type Data = web::Data<Shared>;

fn read(
    req: &HttpRequest,
    shared: &Shared,
    f: impl FnOnce(&Subscriptions, &Query) -> Result<Value, MockError>,
) -> HttpResponse {
    let result = allowed(req, shared, Need::Subscriptions).and_then(|()| {
        f(
            shared.platform().subscriptions(),
            &Query::parse(req.query_string()),
        )
    });
    respond(shared, result)
}

fn delete(
    req: &HttpRequest,
    shared: &Shared,
    f: impl FnOnce(&mut Subscriptions) -> Result<Value, MockError>,
) -> HttpResponse {
    let result = allowed(req, shared, Need::Subscriptions)
        .and_then(|()| f(shared.platform().subscriptions_mut()));
    respond(shared, result)
}

/// A write with a JSON body; `created` answers 201.
async fn write<B: DeserializeOwned>(
    req: HttpRequest,
    payload: web::Payload,
    shared: Data,
    created: bool,
    f: impl FnOnce(&mut Subscriptions, B) -> Result<Value, MockError>,
) -> HttpResponse {
    let result = match json_in::<B>(&req, &shared, payload, Need::Subscriptions).await {
        Ok(body) => f(shared.platform().subscriptions_mut(), body),
        Err(e) => Err(e),
    };
    match result {
        Ok(v) if created => HttpResponse::Created().json(v),
        other => respond(&shared, other),
    }
}

fn part(req: &HttpRequest, name: &str) -> String {
    req.match_info().get(name).unwrap_or_default().to_string()
}

/// The Subscriptions API's routes.
pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/subscriptions/1/security")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |subs, q| {
                    let (page, size) = paging(q)?;
                    subs.securities(page, size)
                })
            }))
            .route(
                web::post().to(|req: HttpRequest, b: web::Payload, s: Data| {
                    write(req, b, s, true, |subs, body: SecurityIn| {
                        subs.create_security(&body)
                    })
                }),
            ),
    )
    .service(
        resource("/subscriptions/1/security/{authId}")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |subs, _| subs.security(&part(&req, "authId")))
            }))
            .route(web::put().to(|req: HttpRequest, b: web::Payload, s: Data| {
                let id = part(&req, "authId");
                write(req, b, s, false, move |subs, body: SecurityIn| {
                    subs.update_security(&id, &body)
                })
            }))
            .route(web::delete().to(|req: HttpRequest, s: Data| async move {
                delete(&req, &s, |subs| subs.delete_security(&part(&req, "authId")))
            })),
    )
    .service(
        resource("/subscriptions/1/profiles")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |subs, q| {
                    let (page, size) = paging(q)?;
                    subs.profiles(page, size)
                })
            }))
            .route(
                web::post().to(|req: HttpRequest, b: web::Payload, s: Data| {
                    write(req, b, s, true, |subs, body: ProfileIn| {
                        subs.create_profile(&body)
                    })
                }),
            ),
    )
    .service(
        resource("/subscriptions/1/profiles/{profileId}")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |subs, _| subs.profile(&part(&req, "profileId")))
            }))
            .route(web::put().to(|req: HttpRequest, b: web::Payload, s: Data| {
                let id = part(&req, "profileId");
                write(req, b, s, false, move |subs, body: ProfileIn| {
                    subs.update_profile(&id, &body)
                })
            }))
            .route(web::delete().to(|req: HttpRequest, s: Data| async move {
                delete(&req, &s, |subs| {
                    subs.delete_profile(&part(&req, "profileId"))
                })
            })),
    )
    .service(
        resource("/subscriptions/1/subscription/{channel}")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |subs, q| subs.list(&part(&req, "channel"), q))
            }))
            .route(
                web::post().to(|req: HttpRequest, b: web::Payload, s: Data| {
                    let channel = part(&req, "channel");
                    write(req, b, s, true, move |subs, body: SubscriptionIn| {
                        subs.create_subscription(&channel, &body)
                    })
                }),
            ),
    )
    .service(
        resource("/subscriptions/1/subscription/{channel}/{subscriptionId}")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |subs, _| {
                    subs.subscription(&part(&req, "channel"), &part(&req, "subscriptionId"))
                })
            }))
            .route(web::put().to(|req: HttpRequest, b: web::Payload, s: Data| {
                let (channel, id) = (part(&req, "channel"), part(&req, "subscriptionId"));
                write(req, b, s, false, move |subs, body: SubscriptionIn| {
                    subs.update_subscription(&channel, &id, &body)
                })
            }))
            .route(web::delete().to(|req: HttpRequest, s: Data| async move {
                delete(&req, &s, |subs| {
                    subs.delete_subscription(&part(&req, "channel"), &part(&req, "subscriptionId"))
                })
            })),
    );
}
