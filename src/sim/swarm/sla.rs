//! The swarm's SLA policies (SLA-1..7): one or two, on the messaging channel or a topic, with
//! clocks around the clock or in working hours, and sometimes a stricter severity that agents
//! set (SLA-2).

use std::fmt::Write as _;

use super::draw::Draw;

/// Appends the scenario's SLA policies (or none) to `t`, naming the features drawn in `f`.
pub(super) fn policies(
    d: &mut Draw,
    t: &mut String,
    f: &mut Vec<&'static str>,
    messaging: &str,
    topics: &[&str],
) {
    if d.chance(0.5) {
        f.push("sla");
        for p in 0..d.int(1, 2) {
            let condition = if d.chance(0.5) {
                format!("{{ attribute = \"channel\", operator = \"is\", value = \"{messaging}\" }}")
            } else {
                format!(
                    "{{ attribute = \"person.custom.topic\", operator = \"is\", value = \"{}\" }}",
                    d.pick(topics)
                )
            };
            let hours = if d.chance(0.4) {
                "working_hours"
            } else {
                "always"
            };
            // SLA-2: sometimes agents set a second, stricter severity.
            let urgent = if d.chance(0.3) {
                f.push("agent_severity");
                format!(
                    ", {{ name = \"urgent\", first_response_min = {}, agent_share = {} }}",
                    d.int(1, 5),
                    d.real(0.05, 0.5)
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                t,
                "[[sla_policies]]\nname = \"p{p}\"\nexclude_automated = {}\nconditions = [[{condition}]]\n\
                 severities = [{{ name = \"default\", first_response_min = {}, next_reply_min = {}, resolution_min = {}, hours = \"{hours}\" }}{urgent}]\n",
                d.chance(0.5),
                d.int(1, 30),
                d.int(1, 30),
                d.int(30, 600)
            );
        }
    }
}
