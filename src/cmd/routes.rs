//! `nlq routes` (placeholder while it is being written; never committed).
use std::io::Write;
use crate::cli::RoutesArgs;
use super::Env;
/// Run the command.
pub fn run(_env: &mut Env<'_>, _args: &RoutesArgs, _out: &mut dyn Write) -> Result<(), crate::Error> {
    todo!()
}
