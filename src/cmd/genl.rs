//! `nlq genl [NAME]`: the generic netlink families, from the controller
//! (NETLINK_GENERIC, GENL_ID_CTRL): a CTRL_CMD_GETFAMILY dump for all of
//! them, or one CTRL_CMD_GETFAMILY request with CTRL_ATTR_FAMILY_NAME for
//! one, as `genl ctrl list` and `genl ctrl get name NAME` ask.
//!
//! The kernel filters nothing in a family dump (ctrl_dumpfamily takes no
//! attributes), so there is no NLM_F_DUMP_FILTERED to read; a single
//! family is asked for by name, and its answer is checked against the
//! name anyway.

use std::io::Write;

use super::Env;
use crate::Error;
use crate::dump::DumpError;
use crate::model::genl::Family;
use crate::render::{Dialect, Format};
use crate::wire::genlmsg::{
    CTRL_ATTR_FAMILY_NAME, CTRL_CMD_GETFAMILY, GENL_ID_CTRL, GENL_NAMSIZ, GenlMsgRepr,
};
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, NlMsg, RequestBuilder};

/// The controller interface version nlq speaks (what libnl sends).
const CTRL_VERSION: u8 = 1;

/// What `nlq genl` shows: the validated command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// One family, in detail (CTRL_ATTR_FAMILY_NAME); `None` for all.
    pub name: Option<String>,
}

impl Settings {
    /// Check the family name before any socket opens: the kernel takes at
    /// most GENL_NAMSIZ - 1 bytes (a longer one can name no family).
    pub fn new(name: Option<String>) -> Result<Self, Error> {
        validate(name.as_deref())?;
        Ok(Settings { name })
    }
}

/// Check a family name (see [`Settings::new`]).
fn validate(name: Option<&str>) -> Result<(), Error> {
    match name {
        Some(name) if name.is_empty() || name.len() >= GENL_NAMSIZ || name.contains('\0') => {
            Err(Error::Usage(format!(
                "not a generic netlink family name: {name:?} (1 to {} bytes)",
                GENL_NAMSIZ - 1
            )))
        }
        _ => Ok(()),
    }
}

/// `--json=ip` needs an `ip -j` to be a superset of; `genl` (iproute2
/// 6.1) has no JSON output at all.
pub fn validate_format(format: Format) -> Result<(), Error> {
    match format {
        Format::Json(Dialect::Ip) => Err(Error::Usage(
            "--json=ip is not available for genl: `genl` has no JSON output to match; use --json"
                .to_string(),
        )),
        _ => Ok(()),
    }
}

/// Run the command.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    match &args.name {
        None => {
            let families = dump_families(env)?;
            crate::render::genl::write(out, env.format, &families, false)?;
        }
        Some(name) => {
            let family = get_family(env, name)?;
            crate::render::genl::write(out, env.format, &[family], true)?;
        }
    }
    Ok(())
}

/// A CTRL_CMD_GETFAMILY request with `flags`, naming `name` if given.
fn request(flags: u16, name: Option<&str>) -> Result<Vec<u8>, DumpError> {
    let mut buf = [0u8; 64];
    let mut nul_name = [0u8; GENL_NAMSIZ];
    let hdr = GenlMsgRepr {
        cmd: CTRL_CMD_GETFAMILY,
        version: CTRL_VERSION,
    };
    let mut req = RequestBuilder::new(&mut buf, GENL_ID_CTRL, flags, 0).fixed(&hdr.emit());
    if let Some(name) = name {
        // validate() keeps it under GENL_NAMSIZ bytes; the NUL is the kernel's.
        let len = name.len().min(GENL_NAMSIZ - 1);
        nul_name[..len].copy_from_slice(&name.as_bytes()[..len]);
        req = req.attr(CTRL_ATTR_FAMILY_NAME, &nul_name[..=len]);
    }
    Ok(req.finish()?.to_vec())
}

/// Every family, in the kernel's order (by id).
fn dump_families(env: &mut Env<'_>) -> Result<Vec<Family>, Error> {
    let req = request(NLM_F_REQUEST | NLM_F_DUMP, None)?;
    let mut families = Vec::new();
    env.dump(&req, |msg| {
        families.extend(Family::from_msg(msg));
        Ok(())
    })?;
    Ok(families)
}

/// The family called `name`; ENOENT (and an answer about another family)
/// is "no such generic netlink family".
fn get_family(env: &mut Env<'_>, name: &str) -> Result<Family, Error> {
    let req = request(NLM_F_REQUEST, Some(name))?;
    let no_such = || Error::NoSuchGenlFamily(name.to_string());
    let answer = match env.dumper.request(&mut *env.transport, &req) {
        Ok(answer) => answer,
        Err(DumpError::Kernel { errno, .. }) if errno == libc::ENOENT => return Err(no_such()),
        // Another kernel error is about this family; a transport or
        // replay error names its own source.
        Err(error @ DumpError::Kernel { .. }) => {
            return Err(Error::Request {
                what: name.to_string(),
                error,
            });
        }
        Err(error) => return Err(error.into()),
    };
    let msg = NlMsg::new_checked(&answer[..]).map_err(DumpError::from)?;
    Family::from_msg(&msg)
        .filter(|f| f.name.as_deref() == Some(name))
        .ok_or_else(no_such)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::genlmsg::GenlMsg;

    #[test]
    fn requests_are_well_formed() {
        let dump = request(NLM_F_REQUEST | NLM_F_DUMP, None).unwrap();
        let m = NlMsg::new_checked(&dump[..]).unwrap();
        assert_eq!((m.kind(), m.flags(), m.len()), (GENL_ID_CTRL, 0x301, 20));
        let g = GenlMsg::new_checked(m.payload()).unwrap();
        assert_eq!((g.cmd(), g.body()), (CTRL_CMD_GETFAMILY, &[][..]));

        let get = request(NLM_F_REQUEST, Some("nlctrl")).unwrap();
        #[rustfmt::skip]
        let want_body = [
            11, 0, 2, 0, b'n', b'l', b'c', b't', b'r', b'l', 0, 0, // FAMILY_NAME "nlctrl\0"
        ];
        let m = NlMsg::new_checked(&get[..]).unwrap();
        assert_eq!(m.flags(), NLM_F_REQUEST);
        let g = GenlMsg::new_checked(m.payload()).unwrap();
        assert_eq!(g.body(), want_body);
    }

    #[test]
    fn names_and_dialects_are_checked() {
        let args = |n: &str| Settings::new(Some(n.to_string()));
        assert!(args("nl80211").is_ok());
        assert!(args("exactly15bytes_").is_ok());
        for bad in ["", "sixteen_bytes_xx", "a\0b"] {
            assert!(matches!(args(bad), Err(Error::Usage(_))), "{bad:?}");
        }
        assert!(validate_format(Format::Json(Dialect::Nlq)).is_ok());
        assert!(validate_format(Format::Table(crate::render::stream::TableView::PLAIN)).is_ok());
        let e = validate_format(Format::Json(Dialect::Ip)).unwrap_err();
        assert_eq!(e.exit_code(), crate::error::EXIT_USAGE);
    }
}
