//! `nlq completions`, `nlq man`, `--help` examples and usage errors: all
//! answered from the parser alone, so none of them opens a socket.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::harness::{clean_env, nlq, nlq_path};

/// Every command name, as completions and the manual page must know it.
const COMMANDS: [&str; 8] = [
    "routes",
    "links",
    "addrs",
    "nexthops",
    "rules",
    "neigh",
    "completions",
    "man",
];

fn stdout_of(args: &[&str]) -> String {
    let out = nlq(args);
    assert!(
        out.status.success(),
        "nlq {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "nlq {args:?} wrote to stderr");
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Run `tool args` with `input` on stdin; its status and stderr.
fn pipe_into(tool: &str, args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {tool}: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    (out.status.success(), text(out.stdout), text(out.stderr))
}

#[test]
fn bash_completion_is_valid_bash_and_knows_every_command() {
    let script = stdout_of(&["completions", "bash"]);
    let (ok, _, err) = pipe_into("bash", &["-n"], &script);
    assert!(ok, "bash -n rejects the completion script: {err}");
    for c in COMMANDS {
        assert!(script.contains(c), "bash completion lacks {c}");
    }
    assert!(
        script.contains("complete -F _nlq"),
        "not registered for nlq"
    );
    // Completing for real: a command, `routes get`, an option.
    for (line, want) in [
        ("nlq ro", "routes route"),
        ("nlq routes g", "get"),
        ("nlq neigh --st", "--state"),
        ("nlq completions f", "fish"),
    ] {
        assert_eq!(complete(&script, line), want, "completing {line:?}");
    }
}

/// What the bash completion script offers for the last word of `line`.
fn complete(script: &str, line: &str) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    let program = format!(
        "{script}\nCOMP_WORDS=({line}); COMP_CWORD={n}; COMP_LINE='{line}'; COMP_POINT={len}\n\
         _nlq nlq {cur} {prev}\necho \"${{COMPREPLY[*]}}\"\n",
        n = words.len() - 1,
        len = line.len(),
        cur = words[words.len() - 1],
        prev = words[words.len() - 2],
    );
    let (ok, out, err) = pipe_into("bash", &[], &program);
    assert!(ok, "bash: {err}");
    out.trim().to_string()
}

#[test]
fn zsh_and_fish_completions_know_every_command() {
    let zsh = stdout_of(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef nlq"), "{}", &zsh[..40]);
    let fish = stdout_of(&["completions", "fish"]);
    for c in COMMANDS {
        assert!(zsh.contains(c), "zsh completion lacks {c}");
        assert!(fish.contains(c), "fish completion lacks {c}");
    }
    for (shell, script) in [("zsh", &zsh), ("fish", &fish)] {
        if have(shell) {
            let (ok, _, err) = pipe_into(shell, &["-n"], script);
            assert!(ok, "{shell} -n rejects its completion script: {err}");
        } else {
            eprintln!("{shell} not installed: its syntax check is skipped");
        }
    }
    let out = nlq(&["completions", "tcsh"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

/// The control lines the page may use (man(7) macros and the few
/// requests clap_mangen and nlq emit).
const MACROS: [&str; 15] = [
    "TH", "SH", "SS", "TP", "PP", "IP", "RS", "RE", "nf", "fi", "br", "ie", "el", "ds", "B",
];

#[test]
fn man_page_is_well_formed_roff_covering_every_command() {
    let page = stdout_of(&["man"]);
    let lines: Vec<&str> = page.lines().collect();
    assert!(page.contains("\n.TH NLQ 1 "), "no .TH header");
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "COMMANDS",
        "EXIT CODES",
        "EXAMPLES",
    ] {
        let heading = format!(".SH {section}");
        let quoted = format!(".SH \"{section}\"");
        assert!(
            lines.iter().any(|l| *l == heading || *l == quoted),
            "no section {section}"
        );
    }
    for c in COMMANDS
        .iter()
        .map(|c| format!("nlq {c}"))
        .chain(["nlq routes get".into()])
    {
        let ss = format!(".SS \"{c}\"");
        assert!(lines.contains(&ss.as_str()), "no subsection {ss}");
    }
    let mut depth = (0i32, 0i32); // .RS/.RE, .nf/.fi
    for l in &lines {
        let Some(control) = l.strip_prefix('.') else {
            assert!(!l.starts_with('\''), "a text line read as a request: {l}");
            continue;
        };
        let name = control.split_whitespace().next().unwrap_or("");
        assert!(MACROS.contains(&name), "unexpected request .{name}");
        match name {
            "RS" => depth.0 += 1,
            "RE" => depth.0 -= 1,
            "nf" => depth.1 += 1,
            "fi" => depth.1 -= 1,
            _ => {}
        }
        assert!(
            depth.0 >= 0 && (0..=1).contains(&depth.1),
            "unbalanced at {l}"
        );
    }
    assert_eq!(depth, (0, 0), "unbalanced .RS/.RE or .nf/.fi");
    // Every example of every --help is in the page.
    assert!(page.contains("nlq routes get 2001:db8::1"));
}

#[test]
fn man_page_renders_without_warnings() {
    if !have("groff") {
        eprintln!("skipped: groff is not installed (.ci/run installs groff-base)");
        return;
    }
    let page = stdout_of(&["man"]);
    let (ok, text, err) = pipe_into("groff", &["-man", "-Tutf8", "-ww", "-z"], &page);
    assert!(ok && err.is_empty(), "groff: {err}");
    let (_, text_out, _) = pipe_into("groff", &["-man", "-Tascii", "-P-c", "-P-b", "-P-u"], &page);
    assert!(text.is_empty());
    for c in [
        "nlq routes get",
        "nlq neigh",
        "Exit codes",
        "bash-completion",
    ] {
        assert!(
            text_out.to_lowercase().contains(&c.to_lowercase()),
            "rendered page lacks {c:?}"
        );
    }
}

/// Neither command opens a socket: not even the socket(2) call happens
/// (strace sees every one), and a namespace that does not exist is never
/// looked for.
#[test]
fn completions_and_man_open_no_socket() {
    for args in [&["man"][..], &["completions", "bash"]] {
        let mut full = vec!["-n", "no-such-netns-here"];
        full.extend_from_slice(args);
        let out = nlq(&full);
        assert!(out.status.success(), "nlq {full:?}");
        if !have("strace") {
            eprintln!("strace not installed: the socket(2) check is skipped");
            continue;
        }
        let mut cmd = Command::new("strace");
        cmd.args([
            "-f",
            "-e",
            "trace=socket,setns",
            "-o",
            "/dev/stderr",
            nlq_path(),
        ])
        .args(args);
        let out = clean_env(&mut cmd).output().expect("run strace");
        let trace = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "strace nlq {args:?}: {trace}");
        assert!(
            !trace.contains("socket("),
            "nlq {args:?} opened a socket: {trace}"
        );
        assert!(
            !trace.contains("setns("),
            "nlq {args:?} entered a namespace: {trace}"
        );
    }
}

/// A misspelt command is a one-line usage error that names the right
/// spelling, and exits 2 with nothing on stdout.
#[test]
fn a_misspelt_command_suggests_the_right_one() {
    let out = nlq(&["rotues"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "not one line: {err}");
    assert!(
        err.starts_with("nlq: unrecognized subcommand 'rotues'"),
        "{err}"
    );
    assert!(err.contains("'routes'"), "no suggestion: {err}");
    let out = nlq(&["links", "--mastr", "br0"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "not one line: {err}");
    assert!(err.contains("'--master'"), "no suggestion: {err}");
}

#[test]
fn every_help_shows_examples() {
    for c in COMMANDS
        .iter()
        .map(|c| vec![*c])
        .chain([vec!["routes", "get"]])
    {
        for flag in ["-h", "--help"] {
            let mut args = c.clone();
            args.push(flag);
            let help = stdout_of(&args);
            assert!(help.contains("\nExamples:\n  nlq "), "nlq {args:?}: {help}");
            let data = !["completions", "man"].contains(&c[0]);
            assert!(
                !data || help.contains("| jq "),
                "nlq {args:?}: no jq example"
            );
        }
    }
}
