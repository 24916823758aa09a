//! `nlq links` (placeholder while it is being written; never committed).
use std::io::Write;
use crate::cli::LinksArgs;
use super::Env;
/// Run the command.
pub fn run(_env: &mut Env<'_>, _args: &LinksArgs, _out: &mut dyn Write) -> Result<(), crate::Error> {
    todo!()
}
