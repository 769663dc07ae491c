//! The HTTP routes of the account's set-up ([`super::directory`]): agents, queues, routing,
//! bots, working hours, templates, and the two conversation reads that need it (an agent's
//! conversations, simulate-routing). Each checks the credential and scope, reads its body
//! (unknown fields ignored and counted), runs one operation under the platform's lock and
//! answers with the entity or Infobip's error body.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::auth::Need;
use super::directory::{
    AgentIn, AgentsQuery, BotIn, HolidayIn, QueueIn, RouteIn, TemplateIn, WorkingHoursIn, v1_of,
};
use super::http::{Shared, allowed, json_in, now_ms, resource, respond};
use super::queries::{ConversationsQuery, Query};
use super::rate_limit::Limit;
use super::state::{MockError, MockPlatform};

/// A GET: the read scope, the query string, one read of the platform.
fn read<T: Serialize>(
    req: &HttpRequest,
    shared: &Shared,
    f: impl FnOnce(&MockPlatform, &Query) -> Result<T, MockError>,
) -> HttpResponse {
    let result = allowed(req, shared, Need::Read)
        .and_then(|()| f(&shared.platform(), &Query::parse(req.query_string())));
    respond(shared, result)
}

/// A write without a body.
fn write<T: Serialize>(
    req: &HttpRequest,
    shared: &Shared,
    f: impl FnOnce(&mut MockPlatform) -> Result<T, MockError>,
) -> HttpResponse {
    let result = allowed(req, shared, Need::Manage).and_then(|()| f(&mut shared.platform()));
    respond(shared, result)
}

/// A write with a JSON body.
async fn write_json<B: DeserializeOwned, T: Serialize>(
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
    f: impl FnOnce(&mut MockPlatform, B) -> Result<T, MockError>,
) -> HttpResponse {
    let result = match json_in::<B>(&req, &shared, payload, Need::Manage).await {
        Ok(body) => f(&mut shared.platform(), body),
        Err(e) => Err(e),
    };
    respond(&shared, result)
}

fn id(req: &HttpRequest, name: &str) -> String {
    req.match_info().get(name).unwrap_or_default().to_string()
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusIn {
    status: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueueIdIn {
    queue_id: Option<String>,
}

/// WhatsApp's set-up: templates and mark-as-read (scope `whatsapp:manage`).
fn whatsapp(cfg: &mut web::ServiceConfig) {
    type Data = web::Data<Shared>;
    let manage = |req: &HttpRequest, s: &Shared| allowed(req, s, Need::WhatsAppManage);
    cfg.service(
        resource("/whatsapp/2/senders/{sender}/templates")
            .route(web::get().to(move |req: HttpRequest, s: Data| async move {
                let result = manage(&req, &s).map(|()| {
                    s.platform()
                        .directory()
                        .sender_templates(&id(&req, "sender"))
                });
                respond(&s, result)
            }))
            .route(
                web::post().to(|req: HttpRequest, b: web::Payload, s: Data| async move {
                    let sender = id(&req, "sender");
                    let result =
                        match json_in::<TemplateIn>(&req, &s, b, Need::WhatsAppManage).await {
                            Ok(t) => s.platform().directory_mut().create_template(
                                &sender,
                                &t,
                                false,
                                now_ms(),
                            ),
                            Err(e) => Err(e),
                        };
                    match result {
                        Ok(v) => HttpResponse::Created().json(v),
                        Err(e) => respond::<()>(&s, Err(e)),
                    }
                }),
            ),
    )
    .service(
        resource("/whatsapp/2/senders/{sender}/templates/{id}")
            .route(web::get().to(move |req: HttpRequest, s: Data| async move {
                let result = manage(&req, &s).and_then(|()| {
                    s.platform()
                        .directory()
                        .template(&id(&req, "sender"), &id(&req, "id"))
                });
                respond(&s, result)
            }))
            .route(
                web::patch().to(|req: HttpRequest, b: web::Payload, s: Data| async move {
                    let (sender, template) = (id(&req, "sender"), id(&req, "id"));
                    let result =
                        match json_in::<TemplateIn>(&req, &s, b, Need::WhatsAppManage).await {
                            Ok(t) => s.platform().directory_mut().edit_template(
                                &sender,
                                &template,
                                &t,
                                now_ms(),
                            ),
                            Err(e) => Err(e),
                        };
                    respond(&s, result)
                }),
            )
            // The document names this segment {templateName} for DELETE: a name, not an id.
            .route(
                web::delete().to(move |req: HttpRequest, s: Data| async move {
                    let result = manage(&req, &s).and_then(|()| {
                        s.platform()
                            .directory_mut()
                            .delete_template(&id(&req, "sender"), &id(&req, "id"))
                    });
                    match result {
                        Ok(()) => HttpResponse::NoContent().finish(),
                        Err(e) => respond::<()>(&s, Err(e)),
                    }
                }),
            ),
    )
    .service(
        resource("/whatsapp/1/senders/{sender}/templates")
            .route(web::get().to(move |req: HttpRequest, s: Data| async move {
                let result = manage(&req, &s).map(|()| {
                    let mut v = s
                        .platform()
                        .directory()
                        .sender_templates(&id(&req, "sender"));
                    if let Some(list) = v["templates"].as_array_mut() {
                        for t in list.iter_mut() {
                            *t = v1_of(t.take());
                        }
                    }
                    v
                });
                respond(&s, result)
            }))
            .route(
                web::post().to(|req: HttpRequest, b: web::Payload, s: Data| async move {
                    let sender = id(&req, "sender");
                    let result =
                        match json_in::<TemplateIn>(&req, &s, b, Need::WhatsAppManage).await {
                            Ok(t) => s.platform().directory_mut().create_template(
                                &sender,
                                &t,
                                true,
                                now_ms(),
                            ),
                            Err(e) => Err(e),
                        };
                    match result {
                        Ok(v) => HttpResponse::Created().json(v1_of(v)),
                        Err(e) => respond::<()>(&s, Err(e)),
                    }
                }),
            ),
    )
    // The account list is one of WhatsApp's newer endpoints: its errors come in the newer
    // shape (`errorCode`, `description`, `action`, `violations`, `resources`).
    .service(resource("/whatsapp/1/templates").route(web::get().to(
        move |req: HttpRequest, s: Data| async move {
            let result = manage(&req, &s).and_then(|()| {
                s.platform()
                    .directory()
                    .account_templates(&Query::parse(req.query_string()))
            });
            match result {
                Ok(v) => HttpResponse::Ok().json(v),
                Err(e) => {
                    s.count_error(&e);
                    super::channels::messages_api_error(&e)
                }
            }
        },
    )))
    .service(
        resource("/whatsapp/1/senders/{sender}/message/{messageId}/read").route(web::post().to(
            move |req: HttpRequest, s: Data| async move {
                // Marking read changes nothing the mock keeps: 204, within 10 a second.
                let result = manage(&req, &s).and_then(|()| s.throttle(Limit::MarkAsRead));
                match result {
                    Ok(()) => HttpResponse::NoContent().finish(),
                    Err(e) => respond::<()>(&s, Err(e)),
                }
            },
        )),
    );
}

/// The set-up's routes.
pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    whatsapp(cfg);
    type Data = web::Data<Shared>;
    cfg.service(
        resource("/ccaas/1/agents")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |p, q| {
                    p.directory().agents(&AgentsQuery::read(q)?)
                })
            }))
            .route(
                web::post().to(|req: HttpRequest, b: web::Payload, s: Data| {
                    write_json(req, b, s, |p, a: AgentIn| {
                        p.directory_mut().create_agent(&a, now_ms())
                    })
                }),
            ),
    )
    .service(
        resource("/ccaas/1/agents/{agentId}")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |p, _| p.directory().agent(&id(&req, "agentId")))
            }))
            .route(web::put().to(|req: HttpRequest, b: web::Payload, s: Data| {
                let agent = id(&req, "agentId");
                write_json(req, b, s, move |p, a: AgentIn| {
                    p.directory_mut().update_agent(&agent, &a, now_ms())
                })
            })),
    )
    .service(
        resource("/ccaas/1/agents/{agentId}/status").route(web::put().to(
            |req: HttpRequest, b: web::Payload, s: Data| {
                let agent = id(&req, "agentId");
                write_json(req, b, s, move |p, st: StatusIn| {
                    p.directory_mut()
                        .set_agent_status(&agent, st.status.as_deref(), now_ms())
                })
            },
        )),
    )
    .service(
        resource("/ccaas/1/agents/{agentId}/heartbeat").route(web::put().to(
            |req: HttpRequest, s: Data| async move {
                write(&req, &s, |p| {
                    p.directory_mut().heartbeat(&id(&req, "agentId"), now_ms())
                })
            },
        )),
    )
    .service(
        resource("/ccaas/1/agents/{agentId}/queues").route(web::post().to(
            |req: HttpRequest, b: web::Payload, s: Data| {
                let agent = id(&req, "agentId");
                write_json(req, b, s, move |p, q: QueueIdIn| {
                    p.directory_mut()
                        .add_to_queue(&agent, q.queue_id.as_deref())
                })
            },
        )),
    )
    .service(
        resource("/ccaas/1/agents/{agentId}/queues/{queueId}").route(web::delete().to(
            |req: HttpRequest, s: Data| async move {
                write(&req, &s, |p| {
                    p.directory_mut()
                        .remove_from_queue(&id(&req, "agentId"), &id(&req, "queueId"))
                })
            },
        )),
    )
    .service(
        resource("/ccaas/1/agents/{agentId}/conversations").route(web::get().to(
            |req: HttpRequest, s: Data| async move {
                read(&req, &s, |p, q| {
                    let agent = id(&req, "agentId");
                    if !p.directory().has_agent(&agent) {
                        return Err(super::directory::not_found_error(&agent));
                    }
                    let mut list = ConversationsQuery::read(q)?;
                    list.agent_id = Some(agent);
                    p.conversation_list(&list)
                })
            },
        )),
    )
    .service(
        resource("/ccaas/1/queues")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |p, q| p.directory().queues(q))
            }))
            .route(
                web::post().to(|req: HttpRequest, b: web::Payload, s: Data| {
                    write_json(req, b, s, |p, q: QueueIn| {
                        p.directory_mut().create_queue(&q, now_ms())
                    })
                }),
            ),
    )
    .service(
        resource("/ccaas/1/queues/{queueId}")
            .route(web::put().to(|req: HttpRequest, b: web::Payload, s: Data| {
                let queue = id(&req, "queueId");
                write_json(req, b, s, move |p, q: QueueIn| {
                    p.directory_mut().update_queue(&queue, &q, now_ms())
                })
            }))
            .route(web::delete().to(|req: HttpRequest, s: Data| async move {
                write(&req, &s, |p| {
                    p.directory_mut().delete_queue(&id(&req, "queueId"))
                })
            })),
    )
    .service(
        resource("/ccaas/1/routing")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |p, q| p.directory().routing(q))
            }))
            .route(web::put().to(|req: HttpRequest, b: web::Payload, s: Data| {
                write_json(req, b, s, |p, rules: Vec<RouteIn>| {
                    p.directory_mut().set_routing(&rules, now_ms())
                })
            }))
            .route(web::delete().to(|req: HttpRequest, s: Data| async move {
                write(&req, &s, |p| Ok(p.directory_mut().delete_routing()))
            })),
    )
    .service(
        resource("/ccaas/1/bots")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |p, q| p.directory().bots(q))
            }))
            .route(
                web::post().to(|req: HttpRequest, b: web::Payload, s: Data| {
                    write_json(req, b, s, |p, bot: BotIn| {
                        p.directory_mut().create_bot(&bot)
                    })
                }),
            ),
    )
    .service(
        resource("/ccaas/1/bots/{botId}")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |p, _| p.directory().bot(&id(&req, "botId")))
            }))
            .route(web::put().to(|req: HttpRequest, b: web::Payload, s: Data| {
                let bot_id = id(&req, "botId");
                write_json(req, b, s, move |p, bot: BotIn| {
                    p.directory_mut().update_bot(&bot_id, &bot)
                })
            }))
            .route(web::delete().to(|req: HttpRequest, s: Data| async move {
                write(&req, &s, |p| {
                    p.directory_mut().delete_bot(&id(&req, "botId"))
                })
            })),
    )
    .service(
        resource("/ccaas/1/working-hours")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |p, q| p.directory().hours_list(q))
            }))
            .route(
                web::post().to(|req: HttpRequest, b: web::Payload, s: Data| {
                    write_json(req, b, s, |p, h: WorkingHoursIn| {
                        p.directory_mut().create_hours(&h)
                    })
                }),
            ),
    )
    .service(
        resource("/ccaas/1/working-hours/{id}")
            .route(web::get().to(|req: HttpRequest, s: Data| async move {
                read(&req, &s, |p, _| p.directory().hours(&id(&req, "id")))
            }))
            .route(web::put().to(|req: HttpRequest, b: web::Payload, s: Data| {
                let hours = id(&req, "id");
                write_json(req, b, s, move |p, h: WorkingHoursIn| {
                    p.directory_mut().update_hours(&hours, &h, false)
                })
            }))
            .route(
                web::patch().to(|req: HttpRequest, b: web::Payload, s: Data| {
                    let hours = id(&req, "id");
                    write_json(req, b, s, move |p, h: WorkingHoursIn| {
                        p.directory_mut().update_hours(&hours, &h, true)
                    })
                }),
            )
            .route(web::delete().to(|req: HttpRequest, s: Data| async move {
                write(&req, &s, |p| {
                    p.directory_mut().delete_hours(&id(&req, "id"))
                })
            })),
    )
    .service(
        resource("/ccaas/1/working-hours/{id}/status").route(web::get().to(
            |req: HttpRequest, s: Data| async move {
                read(&req, &s, |p, _| {
                    p.directory().hours_status(&id(&req, "id"), now_ms())
                })
            },
        )),
    )
    .service(
        resource("/ccaas/1/working-hours/{id}/holiday").route(web::post().to(
            |req: HttpRequest, b: web::Payload, s: Data| {
                let hours = id(&req, "id");
                write_json(req, b, s, move |p, h: HolidayIn| {
                    p.directory_mut().add_holiday(&hours, &h)
                })
            },
        )),
    )
    .service(
        resource("/ccaas/1/working-hours/{id}/holiday/{holidayId}").route(web::delete().to(
            |req: HttpRequest, s: Data| async move {
                write(&req, &s, |p| {
                    p.directory_mut()
                        .remove_holiday(&id(&req, "id"), &id(&req, "holidayId"))
                })
            },
        )),
    )
    .service(resource("/ccaas/1/templates").route(
        web::get().to(|req: HttpRequest, s: Data| async move {
            read(&req, &s, |p, q| p.directory().templates(q))
        }),
    ))
    .service(
        resource("/ccaas/1/templates/{templateId}").route(web::get().to(
            |req: HttpRequest, s: Data| async move {
                read::<()>(&req, &s, |_, _| {
                    Err(super::directory::not_found_error(&id(&req, "templateId")))
                })
            },
        )),
    );
}
