//! Routing (RT-1..6): an ordered list of routes, each with conditions over conversation,
//! person and company attributes; the first enabled route whose conditions all hold gives the
//! destination queue and the priority; no match goes to the Default queue.
//!
//! Attributes are interned: the scenario gives each attribute name (`channel`, `tags`,
//! `person.city`, `person.custom.language`, `company.domains`, …) a dense [`AttrId`], and a
//! conversation carries a slice of values indexed by it. Evaluation does no string lookups.
//!
//! Operators (RT-3) and how they read each kind of value:
//!
//! | operator | text | list (tags, customer tags, domains) | boolean | date |
//! |---|---|---|---|---|
//! | is / is not | equal | holds the value | equal | same day |
//! | contains / does not contain | substring | holds the value | — | — |
//! | starts with | prefix | an element starts with it | — | — |
//! | in list / not in list | is one of them | holds one of them | — | — |
//! | before, after, before or on, after or on | — | — | — | compared by day |
//!
//! **(decisions)** Text compares case-insensitively (values are lower-cased once, when the
//! scenario is built, so evaluation compares bytes). Each negative operator is exactly the
//! negation of its positive twin, so it holds when the attribute is missing ("is not premium"
//! is true of a customer with no tier). An operator that does not apply to the value's kind
//! does not hold (a scenario check rejects such routes before they run).

use jiff::civil::Date;

use super::priority::Priority;

/// Dense index of an attribute name.
pub type AttrId = u16;

/// A conversation's value of one attribute. Text is stored lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttrValue {
    /// Free text (content, from, city, a custom attribute…).
    Text(String),
    /// Several texts (conversation tags, customer tags, company domains).
    List(Vec<String>),
    /// True or false (is visitor).
    Bool(bool),
    /// A calendar date (birth date, a custom date).
    Date(Date),
}

/// A conversation's attribute values, looked up by id.
pub trait Attributes {
    /// The value of attribute `id`, if the conversation has one.
    fn get(&self, id: AttrId) -> Option<&AttrValue>;
}

impl Attributes for [Option<AttrValue>] {
    fn get(&self, id: AttrId) -> Option<&AttrValue> {
        <[Option<AttrValue>]>::get(self, usize::from(id)).and_then(Option::as_ref)
    }
}

impl Attributes for Vec<Option<AttrValue>> {
    fn get(&self, id: AttrId) -> Option<&AttrValue> {
        self.as_slice()
            .get(usize::from(id))
            .and_then(Option::as_ref)
    }
}

/// A conversation's attributes with the tags added to it since it began (BOT-3: the bot tags
/// a conversation it hands over, and routing after the handoff sees the tag): `tags` reads as
/// the union of the conversation's own tags and the added ones.
#[derive(Debug, Clone)]
pub struct Tagged<A> {
    base: A,
    tags: Option<(AttrId, AttrValue)>,
}

impl<A: Attributes> Tagged<A> {
    /// `base` with `added` among its tags; `tags_attr` is the id of `tags` (`None` when no
    /// condition of the scenario reads tags, so nothing can see them).
    pub fn new(base: A, tags_attr: Option<AttrId>, added: &[String]) -> Self {
        let tags = tags_attr.filter(|_| !added.is_empty()).map(|id| {
            let mut list = match base.get(id) {
                Some(AttrValue::List(own)) => own.clone(),
                _ => Vec::new(),
            };
            for tag in added {
                // Text is compared lower-cased (see the module's decisions).
                let tag = tag.to_lowercase();
                if !list.contains(&tag) {
                    list.push(tag);
                }
            }
            (id, AttrValue::List(list))
        });
        Self { base, tags }
    }
}

impl<A: Attributes> Attributes for Tagged<A> {
    fn get(&self, id: AttrId) -> Option<&AttrValue> {
        match &self.tags {
            Some((tags, value)) if *tags == id => Some(value),
            _ => self.base.get(id),
        }
    }
}

/// The operators of RT-3.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    /// is
    Is,
    /// is not
    IsNot,
    /// contains
    Contains,
    /// does not contain
    DoesNotContain,
    /// starts with
    StartsWith,
    /// in list
    InList,
    /// not in list
    NotInList,
    /// before
    Before,
    /// after
    After,
    /// before or on
    BeforeOrOn,
    /// after or on
    AfterOrOn,
}

/// What a condition compares with. Text is stored lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// One text.
    Text(String),
    /// Several texts (for in list / not in list).
    List(Vec<String>),
    /// A boolean.
    Bool(bool),
    /// A date.
    Date(Date),
}

/// One condition of a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The attribute tested.
    pub attribute: AttrId,
    /// How.
    pub operator: Operator,
    /// Against what.
    pub operand: Operand,
}

/// A route (RT-1, RT-2, RT-5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Name, for reports.
    pub name: String,
    /// Disabled routes are skipped (RT-2).
    pub enabled: bool,
    /// All must hold (AND).
    pub conditions: Vec<Condition>,
    /// Destination queue index.
    pub queue: u32,
    /// Priority given to the conversation.
    pub priority: Priority,
}

/// Where a conversation goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Destination {
    /// Index of the matching route; `None` for the Default queue.
    pub route: Option<usize>,
    /// Destination queue index.
    pub queue: u32,
    /// Priority.
    pub priority: Priority,
}

impl Operator {
    /// The positive twin of a negative operator, and whether this one negates it.
    fn positive(self) -> (Operator, bool) {
        match self {
            Operator::IsNot => (Operator::Is, true),
            Operator::DoesNotContain => (Operator::Contains, true),
            Operator::NotInList => (Operator::InList, true),
            op => (op, false),
        }
    }
}

fn positive_holds(operator: Operator, value: &AttrValue, operand: &Operand) -> bool {
    use AttrValue as V;
    use Operand as O;
    use Operator::*;
    match (operator, value, operand) {
        (Is, V::Text(v), O::Text(o)) => v == o,
        (Is, V::List(v), O::Text(o)) | (Contains, V::List(v), O::Text(o)) => v.contains(o),
        (Is, V::Bool(v), O::Bool(o)) => v == o,
        (Is, V::Date(v), O::Date(o)) => v == o,
        (Contains, V::Text(v), O::Text(o)) => v.contains(o.as_str()),
        (StartsWith, V::Text(v), O::Text(o)) => v.starts_with(o.as_str()),
        (StartsWith, V::List(v), O::Text(o)) => v.iter().any(|e| e.starts_with(o.as_str())),
        (InList, V::Text(v), O::List(o)) => o.contains(v),
        (InList, V::Text(v), O::Text(o)) => v == o,
        (InList, V::List(v), O::List(o)) => v.iter().any(|e| o.contains(e)),
        (InList, V::List(v), O::Text(o)) => v.contains(o),
        (Before, V::Date(v), O::Date(o)) => v < o,
        (After, V::Date(v), O::Date(o)) => v > o,
        (BeforeOrOn, V::Date(v), O::Date(o)) => v <= o,
        (AfterOrOn, V::Date(v), O::Date(o)) => v >= o,
        _ => false,
    }
}

impl Condition {
    /// Whether the condition holds for a conversation with these attribute values.
    pub fn holds<A: Attributes + ?Sized>(&self, attributes: &A) -> bool {
        let (positive, negated) = self.operator.positive();
        let held = attributes
            .get(self.attribute)
            .is_some_and(|value| positive_holds(positive, value, &self.operand));
        held != negated
    }
}

impl Route {
    /// Whether the route takes a conversation with these attributes: enabled, and every
    /// condition holds (RT-1, RT-2).
    pub fn matches<A: Attributes + ?Sized>(&self, attributes: &A) -> bool {
        self.enabled && self.conditions.iter().all(|c| c.holds(attributes))
    }
}

/// RT-1: the first matching route in order gives queue and priority; else the Default queue
/// (RT-4) at NORMAL priority.
pub fn route<A: Attributes + ?Sized>(
    routes: &[Route],
    attributes: &A,
    default_queue: u32,
) -> Destination {
    routes.iter().position(|r| r.matches(attributes)).map_or(
        Destination {
            route: None,
            queue: default_queue,
            priority: Priority::Normal,
        },
        |i| Destination {
            route: Some(i),
            queue: routes[i].queue,
            priority: routes[i].priority,
        },
    )
}

const TEXT_OPS: &[Operator] = &[
    Operator::Is,
    Operator::IsNot,
    Operator::Contains,
    Operator::StartsWith,
];
const EQUALITY_OPS: &[Operator] = &[Operator::Is, Operator::IsNot];
const LIST_OPS: &[Operator] = &[Operator::InList, Operator::NotInList];
const CONTAINS_OPS: &[Operator] = &[Operator::Contains, Operator::DoesNotContain];
const DATE_OPS: &[Operator] = &[
    Operator::Is,
    Operator::IsNot,
    Operator::Before,
    Operator::After,
    Operator::BeforeOrOn,
    Operator::AfterOrOn,
];
const ALL_OPS: &[Operator] = &[
    Operator::Is,
    Operator::IsNot,
    Operator::Contains,
    Operator::DoesNotContain,
    Operator::StartsWith,
    Operator::InList,
    Operator::NotInList,
    Operator::Before,
    Operator::After,
    Operator::BeforeOrOn,
    Operator::AfterOrOn,
];

const SUBJECT_OPS: &[Operator] = &[
    Operator::Is,
    Operator::IsNot,
    Operator::Contains,
    Operator::DoesNotContain,
    Operator::StartsWith,
];

/// Prefixes of custom attributes: the conversation's, the person's and the company's.
const CUSTOM: [&str; 3] = ["custom.", "person.custom.", "company.custom."];

/// The operators the document's table (RT-3) offers for an attribute, by the names scenarios
/// use: conversation attributes bare (`channel`, `content`, `tags`, `from`, `to`,
/// `is_visitor`, `sender_queues`), standard person attributes as `person.<name>`, company ones
/// as `company.<name>`, the channel-specific ones as `apple.<name>` (Apple Messages for
/// Business: `deviceAgent`, `group`, `intent`, `locale`) and `email.<name>` (`cc`, `bcc`, `to`,
/// `from`, `routedTo`, `subject`), and custom attributes as `custom.<name>` (the
/// conversation's), `person.custom.<name>` and `company.custom.<name>` (**(decision)** every
/// operator, as the document lists none). `None` for a name the platform does not have.
pub fn operators_for(attribute: &str) -> Option<&'static [Operator]> {
    if CUSTOM
        .iter()
        .any(|p| attribute.starts_with(p) && attribute.len() > p.len())
    {
        return Some(ALL_OPS);
    }
    Some(match attribute {
        "channel" | "to" | "is_visitor" => EQUALITY_OPS,
        "content" | "from" => TEXT_OPS,
        "tags" | "sender_queues" => LIST_OPS,
        "person.birthDate" => DATE_OPS,
        "person.gender" => EQUALITY_OPS,
        "person.customerTags" | "company.domains" => CONTAINS_OPS,
        "person.address"
        | "person.city"
        | "person.country"
        | "person.externalPersonId"
        | "person.firstName"
        | "person.integrations"
        | "person.lastName"
        | "person.middleName"
        | "person.modifiedFrom"
        | "person.nickName"
        | "person.preferredService"
        | "person.type"
        | "company.accountManager"
        | "company.country"
        | "company.customerStage"
        | "company.externalId"
        | "company.industry"
        | "company.name"
        | "company.notes"
        | "company.segment"
        | "company.tags"
        | "company.vatNumber"
        | "apple.deviceAgent"
        | "apple.group"
        | "apple.intent"
        | "apple.locale"
        | "email.from" => TEXT_OPS,
        "email.cc" | "email.bcc" => CONTAINS_OPS,
        "email.to" => LIST_OPS,
        "email.routedTo" => EQUALITY_OPS,
        "email.subject" => SUBJECT_OPS,
        _ => return None,
    })
}

#[cfg(test)]
#[path = "routing_tests.rs"]
mod tests;
