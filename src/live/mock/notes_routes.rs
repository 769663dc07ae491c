//! Reading a conversation's notes: `GET …/{id}/notes` (a page, `orderBy` on `id`,
//! `createdAt` or `updatedAt`) and `GET …/{id}/notes/{noteId}`, as Infobip's Conversations API serves them.
//! A sync client that writes notes reads them back through these.

use actix_web::{HttpRequest, HttpResponse, web};

use super::auth::Need;
use super::http::{Shared, allowed, respond};
use super::queries::Query;
use super::state::NotesQuery;

pub(super) async fn get_notes(
    req: HttpRequest,
    id: web::Path<String>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Read).and_then(|()| {
        let q = NotesQuery::read(&Query::parse(req.query_string()))?;
        shared.platform().notes(&id, &q)
    });
    respond(&shared, result)
}

pub(super) async fn get_note(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let (id, note) = path.into_inner();
    let result =
        allowed(&req, &shared, Need::Read).and_then(|()| shared.platform().note(&id, &note));
    respond(&shared, result)
}
