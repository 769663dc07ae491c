//! Routing (RT-1..6), rule by rule.

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
