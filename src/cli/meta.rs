//! `nlq completions SHELL` and `nlq man`: text generated from the clap
//! definition in [`crate::cli`] itself, so the completion scripts and the
//! manual page cannot drift from the parser. Neither needs the kernel:
//! [`crate::run`] hands these commands here before any socket is opened.
//!
//! The manual page is one page for every command (`nlq` has no per-command
//! pages): clap_mangen writes the header, synopsis, description and the
//! option lists; this module arranges them, one `.SS` subsection per
//! command, and keeps the after-help texts (exit codes, selectors,
//! examples) as unfilled blocks so their columns survive.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use super::{Cli, Command, ShellArg};
use crate::Error;

/// Whether `command` is answered here, without the kernel.
pub fn is_offline(command: &Command) -> bool {
    matches!(command, Command::Completions(_) | Command::Man)
}

/// Write the completion script or the manual page `command` asks for;
/// any other command writes nothing.
pub fn run(command: &Command, out: &mut dyn Write) -> Result<(), Error> {
    match command {
        Command::Completions(args) => completions(args.shell, out)?,
        Command::Man => man(out)?,
        _ => {}
    }
    Ok(())
}

/// The completion script for `shell`, for the binary name `nlq`.
///
/// clap_complete panics when its writer fails (a closed pipe), so the
/// script is made in memory first and written here, errors returned.
pub fn completions(shell: ShellArg, out: &mut dyn Write) -> io::Result<()> {
    use clap_complete::Shell;
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "nlq", &mut script);
    out.write_all(&script)
}

/// The whole manual page, section 1.
pub fn man(out: &mut dyn Write) -> io::Result<()> {
    let cmd = Cli::command();
    let top = Man::new(cmd.clone()).title("NLQ");
    let mut body = Vec::new();
    top.render_title(&mut body)?;
    top.render_name_section(&mut body)?;
    top.render_synopsis_section(&mut body)?;
    top.render_description_section(&mut body)?;
    top.render_options_section(&mut body)?;
    Roff::new()
        .control("SH", ["COMMANDS"])
        .to_writer(&mut body)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_section(&mut body, &format!("nlq {}", sub.get_name()), sub)?;
    }
    after_help(&mut body, cmd.get_after_help(), "SH")?;
    top.render_version_section(&mut body)?;
    out.write_all(PREAMBLE)?;
    out.write_all(&without_preamble(&body))
}

/// One command's subsection: heading, aliases, synopsis, description,
/// options, after-help blocks; then its own subcommands (`routes get`).
fn command_section(out: &mut Vec<u8>, path: &str, sub: &clap::Command) -> io::Result<()> {
    let mut roff = Roff::new();
    roff.control("SS", [path]);
    let aliases: Vec<&str> = sub.get_visible_aliases().collect();
    if !aliases.is_empty() {
        let mut line = vec![roman("Aliases: ")];
        for (i, alias) in aliases.iter().enumerate() {
            if i > 0 {
                line.push(roman(", "));
            }
            line.push(bold(*alias));
        }
        roff.text(line);
        roff.control("PP", []);
    }
    roff.to_writer(out)?;
    let man = Man::new(sub.clone().bin_name(path).disable_help_subcommand(true));
    let mut body = Vec::new();
    man.render_synopsis_section(&mut body)?;
    man.render_description_section(&mut body)?;
    man.render_options_section(&mut body)?;
    out.extend(demote_headings(&body));
    after_help(out, sub.get_after_help(), "PP")?;
    for inner in sub.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_section(out, &format!("{path} {}", inner.get_name()), inner)?;
    }
    Ok(())
}

/// An after-help text as blocks: a line ending in `:` is a heading (`.SH`
/// at the top level, a bold paragraph in a command), the lines under it
/// are kept as written (no filling, indented).
fn after_help(
    out: &mut Vec<u8>,
    text: Option<&clap::builder::StyledStr>,
    level: &str,
) -> io::Result<()> {
    let Some(text) = text else { return Ok(()) };
    let mut roff = Roff::new();
    let mut in_block = false;
    for line in text.to_string().lines() {
        let heading = !line.starts_with(' ') && line.ends_with(':');
        if (heading || line.trim().is_empty()) && in_block {
            roff.control("fi", []).control("RE", []);
            in_block = false;
        }
        if line.trim().is_empty() {
            continue;
        }
        if heading {
            let title = line.trim_end_matches(':');
            match level {
                "SH" => roff.control("SH", [title.to_uppercase().as_str()]),
                _ => roff.control("PP", []).text([bold(title)]),
            };
            continue;
        }
        if !in_block {
            roff.control("RS", []).control("nf", []);
            in_block = true;
        }
        roff.text([roman(line.trim_start())]);
    }
    if in_block {
        roff.control("fi", []).control("RE", []);
    }
    roff.to_writer(out)
}

/// roff's apostrophe preamble, which every separately rendered piece
/// repeats; the page keeps the first.
const PREAMBLE: &[u8] = b".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

fn without_preamble(pieces: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let line_start = i == 0 || pieces[i - 1] == b'\n';
        if line_start && pieces[i..].starts_with(PREAMBLE) {
            i += PREAMBLE.len();
            continue;
        }
        out.push(pieces[i]);
        i += 1;
    }
    out
}

/// A command's own sections become paragraphs with a bold title inside
/// its `.SS`: `.SH SYNOPSIS` → `.PP`, `\fBSynopsis\fR`, `.br`.
fn demote_headings(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        match line.strip_prefix(".SH ") {
            Some(title) => {
                let title = title.trim_matches('"');
                let mut t = title.to_lowercase();
                if let Some(first) = t.get(..1) {
                    t = first.to_uppercase() + &t[1..];
                }
                out.push_str(".PP\n\\fB");
                out.push_str(&t);
                out.push_str("\\fR\n.br\n");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preamble_is_kept_once() {
        let mut page = Vec::new();
        man(&mut page).unwrap();
        let text = String::from_utf8(page).unwrap();
        assert!(text.starts_with(std::str::from_utf8(PREAMBLE).unwrap()));
        assert_eq!(text.matches(".ds Aq \\(aq").count(), 1, "{text}");
    }

    #[test]
    fn demoted_headings_are_paragraphs() {
        let got = demote_headings(b".SH SYNOPSIS\n\\fBnlq\\fR\n");
        assert_eq!(got, b".PP\n\\fBSynopsis\\fR\n.br\n\\fBnlq\\fR\n");
    }

    #[test]
    fn after_help_blocks_are_unfilled() {
        let mut out = Vec::new();
        let text = clap::builder::StyledStr::from("Examples:\n  nlq routes\n  nlq links");
        after_help(&mut out, Some(&text), "SH").unwrap();
        let got = String::from_utf8(without_preamble(&out)).unwrap();
        assert_eq!(
            got,
            ".SH EXAMPLES\n.RS\n.nf\nnlq routes\nnlq links\n.fi\n.RE\n"
        );
    }
}
