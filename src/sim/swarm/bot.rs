//! The swarm's bot: the AI agent in front (BOT-1..11, ACT-1, WIN-4..6) and the external
//! contact centre behind it (CC-1..6), drawn into the scenario text.

use std::fmt::Write as _;

use super::draw::Draw;

/// Writes `[bot]` (and maybe `[external_centre]`) for a bot on channel `messaging`, in a
/// centre of `groups` agent groups named `g0`, `g1`, ….
pub(super) fn bot_and_external_centre(
    d: &mut Draw,
    t: &mut String,
    f: &mut Vec<&'static str>,
    (messaging, groups): (&str, u32),
) {
    f.push("bot");
    // Drawn first: handoffs left unrouted need the centre's own agents, not an external one.
    let external = d.chance(0.3);
    let _ = write!(
        t,
        "[bot]\nname = \"ai\"\nchannels = [\"{messaging}\"]\nreply = {}\nturns = {}\n\
         webhook_delay = {}\nduplicate_share = {}\nclose_when_resolved = {}\n\
         topic_attribute = \"person.custom.topic\"\n\
         outcomes = [{{ topic = \"sales\", resolve_share = {}, handoff_share = {} }}, {{ resolve_share = {}, handoff_share = {} }}]\n",
        d.dist(3.0),
        d.count(3.0),
        d.dist(0.5),
        d.real(0.0, 0.1),
        d.chance(0.5),
        d.real(0.0, 0.5),
        d.real(0.0, 0.5),
        d.real(0.0, 0.5),
        d.real(0.0, 0.5)
    );
    if d.chance(0.2) {
        let _ = writeln!(t, "give_back_share = {}", d.real(0.0, 0.6));
    }
    if d.chance(0.2) {
        let _ = writeln!(t, "assigned = false");
    }
    if d.chance(0.1) {
        let _ = writeln!(t, "webhook = false");
    }
    if d.chance(0.1) {
        let _ = writeln!(t, "autopilot = false");
    }
    if d.chance(0.1) {
        let _ = writeln!(t, "webhook_replaced_after_h = {}", d.real(1.0, 24.0));
    }
    if d.chance(0.3) {
        let _ = writeln!(t, "debounce_s = {}", d.int(1, 5));
    }
    if d.chance(0.3) {
        let _ = writeln!(t, "memory_turns_saved = {}", d.int(0, 2));
    }
    if d.chance(0.3) {
        let _ = writeln!(
            t,
            "actions = {{ share_of_turns = {}, latency = {}, failure_share = {}, handoff_after_failures = {} }}",
            d.real(0.0, 0.5),
            d.dist(2.0),
            d.real(0.0, 0.3),
            d.int(1, 3)
        );
    }
    if d.chance(0.2) {
        let _ = write!(
            t,
            "media = {{ share_of_messages = {}, rehost_failure_share = {}, link_life_min = {}",
            d.real(0.0, 0.5),
            d.real(0.0, 0.5),
            d.int(1, 60)
        );
        // WIN-6: what the attachments are, and stickers and system messages beside them.
        if d.chance(0.5) {
            f.push("bot_media_kinds");
            let kinds = ["voice_note", "image", "video", "document", "location"];
            let mut weights = Vec::new();
            for k in d.some_of(&kinds) {
                weights.push(format!("{k} = {}", d.int(1, 4)));
            }
            if !weights.is_empty() {
                let _ = write!(t, ", kinds = {{ {} }}", weights.join(", "));
            }
            let _ = write!(
                t,
                ", sticker_share = {}, system_share = {}",
                d.real(0.0, 0.3),
                d.real(0.0, 0.1)
            );
        }
        t.push_str(" }\n");
    }
    // WIN-4, WIN-5, BOT-7: what replies hold, and which API they take.
    if d.chance(0.3) {
        f.push("bot_formats");
        if d.chance(0.6) {
            t.push_str("reply_path = \"whatsapp_api\"\n");
        }
        let rows = d.int(1, 4);
        let mut shapes = Vec::new();
        for _ in 0..rows {
            let options = *d.pick(&[0, 0, 2, 3, 5, 10, 12]);
            let option_chars = if options > 0 { d.int(5, 30) } else { 0 };
            shapes.push(format!(
                "{{ share = {}, options = {options}, option_chars = {option_chars}, link = {}, link_label_chars = {}, text_chars = {}, attachments = {} }}",
                d.real(0.0, 1.0 / f64::from(rows)),
                d.chance(0.3),
                d.int(0, 25),
                d.int(1, 1_200),
                d.int(0, 3)
            ));
        }
        let _ = writeln!(t, "reply_shapes = [{}]", shapes.join(", "));
    }
    // Handoffs that no routing picks up wait in the unassigned list, worked by hand.
    if !external && d.chance(0.15) {
        f.push("unrouted_handoffs");
        t.push_str("handoffs = \"unrouted\"\n");
    }
    // BOT-8: humans close some of the bot's conversations in Infobip.
    if d.chance(0.15) {
        f.push("bot_closed_by_humans");
        let _ = writeln!(
            t,
            "closed_by_humans = {{ share = {}, after = {} }}",
            d.real(0.0, 0.5),
            d.dist(120.0)
        );
    }
    // BOT-11: now and then a bot whose key cannot connect.
    if d.chance(0.04) {
        f.push("bot_unconnected");
        t.push_str("api_key_scopes = [\"conversations:read\"]\n");
    }
    // 004: a share of handoffs assigned straight to an agent of a group.
    if !external && d.chance(0.15) {
        f.push("direct_assign");
        let _ = writeln!(
            t,
            "direct_assign = {{ share = {}, group = \"g{}\" }}",
            d.real(0.0, 1.0),
            d.int(0, groups.saturating_sub(1))
        );
    }
    t.push('\n');
    if external {
        f.push("external_centre");
        let _ = write!(
            t,
            "[external_centre]\nagents = {}\ncapacity = {}\nreply = {}\npoll_s = {}\n\
             history_page = {}\nforget_close_share = {}\nsilence_min = {}\n",
            d.int(1, 6),
            d.int(1, 4),
            d.dist(60.0),
            d.int(1, 30),
            d.int(1, 100),
            d.real(0.0, 0.3),
            d.int(1, 60)
        );
        // CC-3: queues named by the topic the conversation's metadata carries.
        if d.chance(0.5) {
            f.push("external_queues");
            let _ = writeln!(
                t,
                "queues = [{{ name = \"sales\", agents = {} }}]\nqueue_attribute = \"person.custom.topic\"",
                d.int(1, 3)
            );
        }
        t.push('\n');
    }
}
