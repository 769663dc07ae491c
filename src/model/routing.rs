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
mod tests {
    use super::*;

    // Attribute ids of the tests.
    const TO: AttrId = 0;
    const LANGUAGE: AttrId = 1;
    const TIER: AttrId = 2;
    const TAGS: AttrId = 3;
    const BIRTH: AttrId = 4;
    const VISITOR: AttrId = 5;
    const CONTENT: AttrId = 6;

    fn text(s: &str) -> Option<AttrValue> {
        Some(AttrValue::Text(s.to_lowercase()))
    }

    fn cond(attribute: AttrId, operator: Operator, operand: Operand) -> Condition {
        Condition {
            attribute,
            operator,
            operand,
        }
    }

    fn t(s: &str) -> Operand {
        Operand::Text(s.to_lowercase())
    }

    fn route_to(name: &str, queue: u32, priority: Priority, conditions: Vec<Condition>) -> Route {
        Route {
            name: name.into(),
            enabled: true,
            conditions,
            queue,
            priority,
        }
    }

    /// The document's example: both routes also require destination number 123.
    fn premium_and_spanish(premium_first: bool) -> Vec<Route> {
        let premium = route_to(
            "premium",
            1,
            Priority::High,
            vec![
                cond(TO, Operator::Is, t("123")),
                cond(TIER, Operator::Is, t("premium")),
            ],
        );
        let spanish = route_to(
            "spanish",
            2,
            Priority::Normal,
            vec![
                cond(TO, Operator::Is, t("123")),
                cond(LANGUAGE, Operator::Is, t("Spanish")),
            ],
        );
        if premium_first {
            vec![premium, spanish]
        } else {
            vec![spanish, premium]
        }
    }

    fn customer(tier: &str, language: &str) -> Vec<Option<AttrValue>> {
        vec![
            text("123"),
            text(language),
            text(tier),
            None,
            None,
            None,
            None,
        ]
    }

    #[test]
    fn rt_6_order_decides_overlaps_premium_spanish_lands_in_premium() {
        let both = customer("premium", "spanish");
        let d = route(&premium_and_spanish(true), &both, 0);
        assert_eq!((d.queue, d.priority, d.route), (1, Priority::High, Some(0)));
        // Reversed order: the Spanish route catches them first.
        assert_eq!(route(&premium_and_spanish(false), &both, 0).queue, 2);
        // Only Spanish: Spanish queue either way.
        assert_eq!(
            route(
                &premium_and_spanish(true),
                &customer("standard", "spanish"),
                0
            )
            .queue,
            2
        );
    }

    #[test]
    fn rt_1_all_conditions_must_hold_and_no_match_goes_to_default() {
        let mut other_number = customer("premium", "spanish");
        other_number[usize::from(TO)] = text("999");
        let d = route(&premium_and_spanish(true), &other_number, 7);
        assert_eq!((d.route, d.queue, d.priority), (None, 7, Priority::Normal));
    }

    #[test]
    fn rt_2_disabled_routes_are_skipped() {
        let mut routes = premium_and_spanish(true);
        routes[0].enabled = false;
        assert_eq!(route(&routes, &customer("premium", "spanish"), 0).queue, 2);
    }

    #[test]
    fn rt_4_default_queue_catches_everything_without_routes() {
        assert_eq!(route(&[], &customer("premium", "spanish"), 3).queue, 3);
    }

    #[test]
    fn rt_5_route_sets_the_priority() {
        let routes = vec![route_to(
            "urgent",
            1,
            Priority::Urgent,
            vec![cond(TIER, Operator::Is, t("vip"))],
        )];
        assert_eq!(
            route(&routes, &customer("vip", "en"), 0).priority,
            Priority::Urgent
        );
        assert_eq!(
            route(&routes, &customer("std", "en"), 0).priority,
            Priority::Normal
        );
    }

    #[test]
    fn rt_3_text_operators_are_case_insensitive() {
        let mut a = vec![None; 7];
        a[usize::from(CONTENT)] = text("Hello, I want a REFUND please");
        let holds = |op, operand| cond(CONTENT, op, operand).holds(&a);
        assert!(holds(Operator::Contains, t("refund")));
        assert!(!holds(Operator::DoesNotContain, t("Refund")));
        assert!(holds(Operator::StartsWith, t("hello")));
        assert!(!holds(Operator::StartsWith, t("refund")));
        assert!(holds(Operator::Is, t("hello, i want a refund please")));
        assert!(holds(Operator::IsNot, t("hello")));
        assert!(holds(
            Operator::InList,
            Operand::List(vec![t_s("x"), t_s("HELLO, I WANT A REFUND PLEASE")])
        ));
        assert!(holds(Operator::NotInList, Operand::List(vec![t_s("x")])));
    }

    fn t_s(s: &str) -> String {
        s.to_lowercase()
    }

    #[test]
    fn rt_3_tags_in_list_and_customer_tags_contains() {
        let mut a = vec![None; 7];
        a[usize::from(TAGS)] = Some(AttrValue::List(vec![
            t_s("opencx_handed_off"),
            t_s("billing"),
        ]));
        assert!(cond(TAGS, Operator::InList, t("billing")).holds(&a));
        assert!(
            cond(
                TAGS,
                Operator::InList,
                Operand::List(vec![t_s("x"), t_s("billing")])
            )
            .holds(&a)
        );
        assert!(!cond(TAGS, Operator::NotInList, t("billing")).holds(&a));
        assert!(cond(TAGS, Operator::Contains, t("opencx_handed_off")).holds(&a));
        assert!(cond(TAGS, Operator::DoesNotContain, t("vip")).holds(&a));
        assert!(cond(TAGS, Operator::StartsWith, t("opencx")).holds(&a));
    }

    #[test]
    fn rt_3_dates_compare_by_day() {
        let mut a = vec![None; 7];
        a[usize::from(BIRTH)] = Some(AttrValue::Date("1990-06-15".parse().unwrap()));
        let d = |s: &str| Operand::Date(s.parse().unwrap());
        assert!(cond(BIRTH, Operator::Before, d("1990-06-16")).holds(&a));
        assert!(!cond(BIRTH, Operator::Before, d("1990-06-15")).holds(&a));
        assert!(cond(BIRTH, Operator::BeforeOrOn, d("1990-06-15")).holds(&a));
        assert!(cond(BIRTH, Operator::After, d("1990-06-14")).holds(&a));
        assert!(!cond(BIRTH, Operator::After, d("1990-06-15")).holds(&a));
        assert!(cond(BIRTH, Operator::AfterOrOn, d("1990-06-15")).holds(&a));
        assert!(cond(BIRTH, Operator::Is, d("1990-06-15")).holds(&a));
        assert!(cond(BIRTH, Operator::IsNot, d("2000-01-01")).holds(&a));
    }

    #[test]
    fn rt_3_operators_per_attribute_follow_the_documents_table() {
        assert_eq!(operators_for("channel"), Some(EQUALITY_OPS));
        assert!(
            operators_for("content")
                .unwrap()
                .contains(&Operator::StartsWith)
        );
        assert!(
            !operators_for("content")
                .unwrap()
                .contains(&Operator::InList)
        );
        assert_eq!(operators_for("tags"), Some(LIST_OPS));
        assert!(
            operators_for("person.birthDate")
                .unwrap()
                .contains(&Operator::BeforeOrOn)
        );
        assert!(
            !operators_for("person.city")
                .unwrap()
                .contains(&Operator::Before)
        );
        assert_eq!(operators_for("person.customerTags"), Some(CONTAINS_OPS));
        assert_eq!(operators_for("company.domains"), Some(CONTAINS_OPS));
        assert_eq!(operators_for("person.custom.language"), Some(ALL_OPS));
        assert_eq!(operators_for("person.custom."), None);
        assert_eq!(operators_for("person.shoeSize"), None);
    }

    #[test]
    fn rt_3_booleans_and_missing_attributes() {
        let mut a = vec![None; 7];
        a[usize::from(VISITOR)] = Some(AttrValue::Bool(true));
        assert!(cond(VISITOR, Operator::Is, Operand::Bool(true)).holds(&a));
        assert!(cond(VISITOR, Operator::IsNot, Operand::Bool(false)).holds(&a));
        // Missing attribute: positive operators fail, negative ones hold.
        assert!(!cond(TIER, Operator::Is, t("premium")).holds(&a));
        assert!(cond(TIER, Operator::IsNot, t("premium")).holds(&a));
        assert!(
            cond(
                TIER,
                Operator::NotInList,
                Operand::List(vec![t_s("premium")])
            )
            .holds(&a)
        );
        assert!(
            !cond(
                BIRTH,
                Operator::Before,
                Operand::Date("2000-01-01".parse().unwrap())
            )
            .holds(&a)
        );
        // An operator that does not fit the value's kind does not hold.
        assert!(
            !cond(
                VISITOR,
                Operator::Before,
                Operand::Date("2000-01-01".parse().unwrap())
            )
            .holds(&a)
        );
    }
}
