//! `nlq diff OLD [NEW]`: compare two states, each a snapshot file or the
//! live state (NEW by default; `-n NS` and `--replay` say which), kind by
//! kind by the objects' identities (model::snapshot). A live state is
//! first taken as a snapshot in memory, so both sides are the same JSON.
//! Differences are an outcome ([`Error::Differences`], exit 1), not a
//! failure.

use std::io::{Read, Write};
use std::path::Path;

use serde_json::Value;

use super::Env;
use crate::Error;
use crate::model::snapshot::{self, Options};
use crate::render::{Dialect, Format};

/// One side of the comparison, read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// The file as named (`-`: stdin).
    pub path: String,
    /// Its snapshot document.
    pub doc: Value,
}

/// `nlq diff`'s validated settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// OLD.
    pub old: Side,
    /// NEW; `None` for the live state.
    pub new: Option<Side>,
    /// Kinds and counters.
    pub options: Options,
    /// Text or JSON.
    pub format: Format,
}

/// Refuse `--json=ip`: ip has no diff to be a superset of.
pub fn validate_format(format: Format) -> Result<(), Error> {
    match format {
        Format::Json(Dialect::Ip) => Err(Error::Usage(
            "diff writes nlq's own JSON only (ip has no diff); drop --json=ip".into(),
        )),
        _ => Ok(()),
    }
}

/// Read the snapshot at `path` (`-`: stdin), checked to be one.
pub fn read(path: &Path) -> Result<Side, Error> {
    let name = path.display().to_string();
    let fail = |what: String| Error::Snapshot {
        path: name.clone(),
        what,
    };
    let mut bytes = Vec::new();
    let got = match name.as_str() {
        "-" => std::io::stdin().lock().read_to_end(&mut bytes).map(drop),
        _ => std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(drop)),
    };
    got.map_err(|e| fail(crate::error::os_text(&e)))?;
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| fail(e.to_string()))?;
    snapshot::check(&doc).map_err(|e| fail(e.to_string()))?;
    Ok(Side { path: name, doc })
}

/// Compare and write the changes; [`Error::Differences`] when there are any.
pub fn run(env: &mut Env<'_>, s: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let live;
    let new = match &s.new {
        Some(side) => &side.doc,
        None => {
            let bytes = super::snapshot::take(env)?;
            // nlq's own output: it parses, or nlq has a bug to report.
            live = serde_json::from_slice::<Value>(&bytes).map_err(|e| Error::Snapshot {
                path: "the live state".into(),
                what: e.to_string(),
            })?;
            &live
        }
    };
    let changes = snapshot::diff(&s.old.doc, new, &s.options).map_err(|e| Error::Snapshot {
        path: s.old.path.clone(),
        what: e.to_string(),
    })?;
    match s.format {
        Format::Json(_) => crate::render::diff::json(out, &changes)?,
        Format::Table(_) => crate::render::diff::table(out, &changes)?,
    }
    match changes.is_empty() {
        true => Ok(()),
        false => Err(Error::Differences),
    }
}
