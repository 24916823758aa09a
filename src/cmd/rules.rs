//! `nlq rules [-4|-6|--family F]`: one RTM_GETRULE dump, decoded into
//! [`Rule`]s, filtered by family, rendered in kernel order.
//!
//! Without a family the request is AF_UNSPEC and the kernel walks every
//! family's rule set in the order the namespace registered them: IPv4,
//! the IPv4 multicast rules (`ip mrule`), the IPv6 multicast rules
//! (`ip -6 mrule`), then IPv6 (on this kernel: the order is the kernel's,
//! nlq does not sort).
//!
//! The selectors of `ip rule show` (`--from`, `--table`, ...) are applied
//! here, as ip applies them ([`super::rule_select`]); a family that
//! `--from` or `--to` implies becomes the request's.
//!
//! Filtering: the kernel answers a request for one family with that
//! family's rules only (it looks up the family's rule set), and under
//! strict checking it rejects any other non-zero header field or
//! attribute in a rule dump request ("Invalid values in header for fib
//! rule dump request"), so the family is the one filter it can take. It
//! does not set NLM_F_DUMP_FILTERED for rules; nlq checks the family of
//! every reply anyway, as it does for every command, so a kernel that
//! sent more is filtered here.

use std::io::Write;

use super::Env;
use super::rule_select::RuleFilter;
use crate::Error;
use crate::dump::DumpError;
use crate::model::route::{AF_MPLS, Family};
use crate::model::rule::{IpProtos, Rule};
use crate::render::rule::RuleCtx;
use crate::wire::fib_rule::{FibRuleHdrRepr, RTM_GETRULE};
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

/// "Address family not supported by protocol": the kernel's answer to a
/// rule dump for a family without rules (IPv6 disabled at boot).
const EAFNOSUPPORT: i32 = libc::EAFNOSUPPORT;

/// Which rules to show: the validated command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// AF_INET or AF_INET6; `None` for every family.
    pub family: Option<u8>,
    /// The `ip rule show` selectors.
    pub filter: RuleFilter,
}

impl Selection {
    /// Check the arguments: MPLS has no rules, so `--family mpls` is a
    /// usage error.
    pub fn new(family: Option<u8>) -> Result<Self, Error> {
        if family == Some(AF_MPLS) {
            return Err(Error::Usage(
                "no policy routing rules for --family mpls: use inet, inet6 or all".into(),
            ));
        }
        Ok(Selection {
            family,
            filter: RuleFilter::default(),
        })
    }

    /// [`Selection::new`] with the selectors of `filter`: the family its
    /// `--from` / `--to` imply, when none was asked for, is the dump's.
    pub fn with_filter(family: Option<u8>, filter: RuleFilter) -> Result<Self, Error> {
        let family = family.or(filter.implied_family()?);
        Ok(Selection {
            filter,
            ..Selection::new(family)?
        })
    }

    /// Whether `r` is wanted.
    pub fn keeps(&self, r: &Rule) -> bool {
        self.family.is_none_or(|f| r.family.0 == f) && self.filter.keeps(r)
    }

    /// The RTM_GETRULE dump request: a `fib_rule_hdr` with only the family
    /// set, the one field the kernel accepts there (strict or not).
    pub fn request(&self) -> Result<Vec<u8>, Error> {
        let hdr = FibRuleHdrRepr {
            family: self.family.unwrap_or(0),
            ..FibRuleHdrRepr::default()
        };
        let mut buf = [0u8; 64];
        let req = RequestBuilder::new(&mut buf, RTM_GETRULE, NLM_F_REQUEST | NLM_F_DUMP, 0)
            .fixed(&hdr.emit())
            .finish()
            .map_err(DumpError::from)?;
        Ok(req.to_vec())
    }
}

/// Run `nlq rules`.
pub fn run(env: &mut Env<'_>, sel: &Selection, out: &mut dyn Write) -> Result<(), Error> {
    let rules = dump_rules(env, sel)?;
    let protos = IpProtos::for_names(&env.names);
    let ctx = RuleCtx {
        names: &env.names,
        protos: &protos,
    };
    crate::render::rule::write(out, env.format, &ctx, &rules)?;
    Ok(())
}

/// Dump the rules `sel` keeps, in kernel order. A family the kernel has
/// no rules for is an error that names it.
fn dump_rules(env: &mut Env<'_>, sel: &Selection) -> Result<Vec<Rule>, Error> {
    let req = sel.request()?;
    let mut rules = Vec::new();
    let result = env.dump_kind::<Rule, _>(&req, |msg| {
        if let Some(rule) = Rule::from_msg(msg).filter(|r| sel.keeps(r)) {
            rules.push(rule);
        }
        Ok(())
    });
    match result {
        // Whether or not the kernel set NLM_F_DUMP_FILTERED (it does not
        // for rules), every reply already went through `sel.keeps`.
        Ok(_stats) => Ok(rules),
        Err(Error::Dump(DumpError::Kernel {
            errno: EAFNOSUPPORT,
            ..
        })) => Err(Error::FamilyUnsupported {
            family: sel
                .family
                .and_then(|f| Family(f).name())
                .unwrap_or("unspec"),
            what: "rules",
        }),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::script::{Scripted, Step, message};
    use crate::dump::{DumpOptions, Dumper};
    use crate::names::Names;
    use crate::render::{Dialect, Format};
    use crate::wire::attr::{AF_INET, AF_INET6};
    use crate::wire::fib_rule::FibRuleHdr;
    use crate::wire::fib_rule::RTM_NEWRULE;
    use crate::wire::nlmsg::NlMsg;
    use crate::wire::nlmsg::{NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR};

    fn args(family: Option<u8>) -> Selection {
        Selection::new(family).unwrap()
    }

    #[test]
    fn families_parse() {
        let fam = |f: Option<u8>| Selection::new(f).map(|s| s.family);
        assert_eq!(fam(None).unwrap(), None);
        assert_eq!(fam(Some(AF_INET)).unwrap(), Some(AF_INET));
        assert_eq!(fam(Some(AF_INET6)).unwrap(), Some(AF_INET6));
        let err = fam(Some(AF_MPLS)).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::EXIT_USAGE);
        assert!(err.to_string().contains("mpls"), "{err}");
    }

    #[test]
    fn request_carries_only_the_family() {
        let sel = Selection {
            family: Some(AF_INET6),
            ..Selection::default()
        };
        let req = sel.request().unwrap();
        let msg = NlMsg::new_checked(&req[..]).unwrap();
        assert_eq!(msg.kind(), RTM_GETRULE);
        assert_eq!(msg.flags(), NLM_F_REQUEST | NLM_F_DUMP);
        let hdr = FibRuleHdr::new_checked(msg.payload()).unwrap();
        assert_eq!(hdr.family(), AF_INET6);
        assert_eq!(msg.payload(), &[10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    }

    /// Run `nlq rules` against a scripted kernel that answers the dump
    /// (seq 1) with one datagram of `bytes`; the result, stdout, and the
    /// transport (what was sent).
    fn env_run(args: Selection, bytes: Vec<u8>) -> (Result<(), Error>, String, Scripted) {
        let mut fake = Scripted::new([Step::Datagram { sender: 0, bytes }]);
        let mut out = Vec::new();
        let result = {
            let mut env = Env {
                transport: &mut fake,
                dumper: Dumper::new(DumpOptions::default()),
                place: crate::netns::Place::Replay,
                names: Names::builtin(),
                format: Format::Json(Dialect::Nlq),
                brief: false,
            };
            run(&mut env, &args, &mut out)
        };
        (result, String::from_utf8(out).unwrap(), fake)
    }

    fn rule_msg(family: u8, priority: u8) -> Vec<u8> {
        #[rustfmt::skip]
        let payload = [
            family, 0, 0, 0,        // family, dst_len, src_len, tos
            254, 0, 0, 1,           // table main, res1, res2, FR_ACT_TO_TBL
            0, 0, 0, 0,             // flags
            8, 0, 6, 0, priority, 0, 0, 0, // FRA_PRIORITY
        ];
        message(RTM_NEWRULE, NLM_F_MULTI, 1, &payload)
    }

    fn done() -> Vec<u8> {
        message(NLMSG_DONE, NLM_F_MULTI, 1, &0i32.to_ne_bytes())
    }

    #[test]
    fn replies_of_other_families_are_filtered_here() {
        // A kernel that ignored the family: IPv4, ipmr and IPv6 rules.
        let bytes = [rule_msg(2, 1), rule_msg(128, 2), rule_msg(10, 3), done()].concat();
        let (result, out, fake) = env_run(args(Some(AF_INET6)), bytes);
        result.unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let kept: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["priority"])
            .collect();
        assert_eq!(kept, [3], "{out}");
        let sent = NlMsg::new_checked(&fake.sent[0][..]).unwrap();
        assert_eq!(sent.payload()[0], AF_INET6, "the request asked for IPv6");
        let every = [rule_msg(2, 1), rule_msg(128, 2), rule_msg(10, 3), done()].concat();
        let (_, out, _) = env_run(args(None), every);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&out)
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            3
        );
    }

    #[test]
    fn a_family_without_rules_is_named() {
        let mut payload = (-EAFNOSUPPORT).to_ne_bytes().to_vec();
        payload.extend_from_slice(&message(RTM_GETRULE, 0x301, 1, &[10; 12])[..16]);
        let bytes = message(NLMSG_ERROR, 0, 1, &payload);
        let (result, out, _) = env_run(args(Some(AF_INET6)), bytes);
        let err = result.unwrap_err();
        assert_eq!(
            err.to_string(),
            "this kernel does not support address family inet6 for rules"
        );
        assert_eq!(err.exit_code(), crate::error::EXIT_RUNTIME);
        assert!(out.is_empty(), "nothing printed: {out}");
    }

    #[test]
    fn from_names_the_family_of_the_request() {
        let names = crate::names::Names::builtin();
        let q = super::super::rule_select::Query {
            from: Some("2001:db8::/32".into()),
            ..Default::default()
        };
        let filter = RuleFilter::new(&q, None, &names).unwrap();
        let sel = Selection::with_filter(None, filter).unwrap();
        assert_eq!(sel.family, Some(AF_INET6));
        let msg_bytes = sel.request().unwrap();
        let msg = NlMsg::new_checked(&msg_bytes[..]).unwrap();
        assert_eq!(msg.payload()[0], AF_INET6, "the kernel filters the family");
    }

    #[test]
    fn keeps_by_family() {
        let v4 = Rule {
            family: Family(AF_INET),
            ..Rule::default()
        };
        let ipmr = Rule {
            family: Family(128),
            ..Rule::default()
        };
        let only4 = Selection {
            family: Some(AF_INET),
            ..Selection::default()
        };
        assert!(only4.keeps(&v4) && !only4.keeps(&ipmr));
        assert!(Selection::default().keeps(&ipmr));
    }
}
