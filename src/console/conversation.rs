//! The enquiry's conversation as staff see it (issue 21, item 5): staff replies and
//! what the person wrote back from their reply inbox, in the order written, each side
//! labelled. Everything shown was opened in the page's one audited read
//! (`Keyring::open_case`); this only draws it.

use maud::{Markup, html};

use super::pages::datetime;
use crate::conversation::{Heard, Said, Thread};
use crate::domain::Language;
use crate::i18n::t;
use crate::replies::ReplyContent;
use crate::store::ReplyRecord;

/// The thread, oldest first.
pub fn thread(lang: Language, sent: &[(ReplyRecord, ReplyContent)], heard: &[Heard]) -> Markup {
    let conversation = Thread::new(sent.iter().map(|(_, c)| c), heard.iter().map(|(_, c)| c));
    html! {
        ol class="notes" id="conversation" {
            @for said in &conversation.0 {
                @match said {
                    Said::Staff(c) => {
                        @let record = sent.iter().find(|(_, r)| std::ptr::eq(r, *c)).map(|(r, _)| r);
                        li class="from-staff" {
                            p class="meta" {
                                strong { (t(lang, "talk-console-from-staff")) }
                                " — " (datetime(c.sent_at)) " UTC"
                                @if let Some(r) = record {
                                    " — "
                                    @if r.emailed { (t(lang, "console-reply-emailed")) } @else { (t(lang, "console-reply-inbox-only")) }
                                    @if r.campaign_id.is_some() { " — " (t(lang, "console-reply-bulk")) }
                                }
                            }
                            p { strong { (c.subject) } }
                            p class="preserve" dir="auto" { (c.text) }
                        }
                    }
                    Said::Person(m) => {
                        li class="from-person" {
                            p class="meta" {
                                strong { (t(lang, "talk-console-from-person")) }
                                " — " (datetime(m.sent_at)) " UTC"
                            }
                            p class="preserve" dir="auto" { (m.text) }
                        }
                    }
                }
            }
        }
    }
}
