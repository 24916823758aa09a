//! `nlq routes get`'s flags checked before any socket opens: the
//! destination and source families, `--iif` without `--from` for IPv4,
//! `--tos` by name or hex, `--ipproto` by number, name or alias. The
//! devices stay names: the command resolves them from the link dump.

use super::RouteGetArgs;
use crate::Error;
use crate::cmd::route_get::{Lookup, Settings};
use crate::names::{Names, PROTOCOLS, dsfield, ip_protocol};

/// The validated settings of `nlq routes get`.
pub fn settings(a: &RouteGetArgs, names: &Names) -> Result<Settings, Error> {
    Ok(Settings {
        lookup: lookup(a, names)?,
        iif: a.iif.clone(),
        oif: a.oif.clone(),
        explain: a.explain,
    })
}

/// Check the flags that need no kernel; a bad TOS, protocol or a source
/// of another family is a usage error.
pub fn lookup(args: &RouteGetArgs, names: &Names) -> Result<Lookup, Error> {
    let dst = args.address;
    if let Some(src) = args.from.filter(|s| s.is_ipv4() != dst.is_ipv4()) {
        return Err(Error::Usage(format!(
            "--from {src}: not of the family of {dst}"
        )));
    }
    if dst.is_ipv4() && args.iif.is_some() && args.from.is_none() {
        return Err(Error::Usage(
            "--iif needs --from for IPv4: the kernel drops a packet from 0.0.0.0 as a martian"
                .into(),
        ));
    }
    let tos = match &args.tos {
        Some(t) => dsfield(t, names).ok_or_else(|| {
            Error::Usage(format!(
                "--tos {t}: not a name in rt_dsfield nor a hex number up to ff"
            ))
        })?,
        None => 0,
    };
    let ipproto = match &args.ipproto {
        Some(p) => Some(ip_protocol(p).ok_or_else(|| {
            Error::Usage(format!(
                "--ipproto {p}: not a number up to 255 nor a name in {PROTOCOLS}"
            ))
        })?),
        None => None,
    };
    Ok(Lookup {
        dst,
        src: args.from,
        mark: args.mark,
        uid: args.uid,
        ipproto,
        sport: args.sport,
        dport: args.dport,
        tos,
        fibmatch: args.fibmatch,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `nlq routes get ADDRESS` and no option.
    fn args(address: &str) -> RouteGetArgs {
        RouteGetArgs {
            address: address.parse().unwrap(),
            from: None,
            iif: None,
            oif: None,
            mark: None,
            uid: None,
            ipproto: None,
            sport: None,
            dport: None,
            tos: None,
            fibmatch: false,
            explain: false,
        }
    }

    /// Names with `0xb8 EF` in rt_dsfield, as Debian ships it.
    fn names_with_ef() -> Names {
        let dir = std::env::temp_dir().join(format!("nlq-dsfield-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("rt_dsfield"), "0xb8\tEF\n").unwrap();
        let names = Names::load(&dir);
        // Files are read at the first lookup: read them before they go.
        let _ = names.dsfields.name(0);
        let _ = std::fs::remove_dir_all(&dir);
        names
    }

    #[test]
    fn every_flag_reaches_the_lookup() {
        let mut a = args("203.0.113.9");
        a.from = Some("10.2.0.9".parse().unwrap());
        a.ipproto = Some("tcp".into());
        a.tos = Some("0x10".into());
        a.iif = Some("vc".into());
        a.fibmatch = true;
        let l = lookup(&a, &Names::builtin()).unwrap();
        assert_eq!(
            (l.src, l.ipproto, l.tos, l.fibmatch),
            (a.from, Some(6), 0x10, true)
        );
    }

    #[test]
    fn usage_errors_before_any_socket() {
        let mut a = args("10.0.0.1");
        a.from = Some("2001:db8::1".parse().unwrap());
        let e = lookup(&a, &Names::builtin()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--from 2001:db8::1: not of the family of 10.0.0.1"
        );
        let mut a = args("10.0.0.1");
        a.iif = Some("va".into());
        assert!(
            lookup(&a, &Names::builtin())
                .unwrap_err()
                .to_string()
                .starts_with("--iif needs --from")
        );
        a.from = Some("0.0.0.0".parse().unwrap());
        assert!(
            lookup(&a, &Names::builtin()).is_ok(),
            "an explicit 0.0.0.0 is the user's call"
        );
        let mut v6 = args("2001:db8::1");
        v6.iif = Some("va".into());
        assert!(
            lookup(&v6, &Names::builtin()).is_ok(),
            "IPv6 looks up from :: fine"
        );
        let names = names_with_ef();
        for (tos, ok) in [
            ("EF", Some(0xb8)),
            ("10", Some(0x10)),
            ("0xff", Some(0xff)),
            ("100", None),
            ("zz", None),
        ] {
            let mut a = args("10.0.0.1");
            a.tos = Some(tos.into());
            match (lookup(&a, &names), ok) {
                (Ok(l), Some(v)) => assert_eq!(l.tos, v, "{tos}"),
                (Err(e), None) => assert_eq!(e.exit_code(), crate::error::EXIT_USAGE),
                (got, _) => panic!("--tos {tos}: {got:?}"),
            }
        }
    }
}
