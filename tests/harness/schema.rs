//! nlq's JSON Schemas (docs/schema/<command>.json): a validator for the
//! subset of JSON Schema draft 2020-12 they use, and the generator that
//! derives them from the key tables of docs/json.md.
//!
//! The subset: `type` (a name or a list of names), `properties`,
//! `required`, `additionalProperties` (`false` or a schema), `items` (one
//! schema), `const`, `enum`, `oneOf` (the monitor's events: one branch per kind of
//! object), and the annotations `$schema`, `$id`, `title`, `description`.
//! Any other keyword is an error, so a schema can never ask for a check
//! this validator silently skips.
//!
//! docs/json.md is the source: `NLQ_BLESS=1 cargo test --test cli schema::`
//! rewrites the schema files from it, and the tests fail while a file and
//! the documentation disagree.

use std::path::PathBuf;

use serde_json::{Map, Value, json};

/// Keywords that only annotate.
const ANNOTATIONS: [&str; 4] = ["$schema", "$id", "title", "description"];

/// Check `value` against `schema`; every violation, each with its path
/// (`$[3].nexthops[0].via`).
pub fn validate(schema: &Value, value: &Value) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    check(schema, value, "$", &mut errors);
    match errors.is_empty() {
        true => Ok(()),
        false => Err(errors),
    }
}

fn check(schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        match schema {
            Value::Bool(true) => {}
            Value::Bool(false) => errors.push(format!("{path}: not allowed here")),
            _ => errors.push(format!("{path}: a schema must be an object or a boolean")),
        }
        return;
    };
    for (keyword, arg) in schema {
        match keyword.as_str() {
            "type" => check_type(arg, value, path, errors),
            "properties" => check_properties(arg, value, path, errors),
            "required" => check_required(arg, value, path, errors),
            "additionalProperties" => check_additional(schema, arg, value, path, errors),
            "items" => check_items(arg, value, path, errors),
            "const" if arg != value => errors.push(format!("{path}: expected {arg}, got {value}")),
            "const" => {}
            "enum" if !arg.as_array().is_some_and(|a| a.contains(value)) => {
                errors.push(format!("{path}: expected one of {arg}, got {value}"))
            }
            "enum" => {}
            "oneOf" => check_one_of(arg, value, path, errors),
            k if ANNOTATIONS.contains(&k) => {}
            k => errors.push(format!("{path}: unsupported keyword {k:?}")),
        }
    }
}

/// Whether `value` is of the JSON Schema type `name`.
fn is_type(name: &str, value: &Value) -> Option<bool> {
    Some(match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => return None,
    })
}

fn check_type(arg: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let names: Vec<&str> = match arg {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let mut matched = false;
    for name in &names {
        match is_type(name, value) {
            Some(m) => matched |= m,
            None => errors.push(format!("{path}: unknown type {name:?}")),
        }
    }
    if names.is_empty() {
        errors.push(format!("{path}: bad \"type\": {arg}"));
    } else if !matched {
        errors.push(format!(
            "{path}: expected {}, got {value}",
            names.join(" or ")
        ));
    }
}

fn check_properties(arg: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let (Some(props), Some(obj)) = (arg.as_object(), value.as_object()) else {
        return; // applies to objects only
    };
    for (k, sub) in props {
        if let Some(v) = obj.get(k) {
            check(sub, v, &format!("{path}.{k}"), errors);
        }
    }
}

fn check_required(arg: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(obj) = value.as_object() else { return };
    for k in arg
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !obj.contains_key(k) {
            errors.push(format!("{path}: missing key {k:?}"));
        }
    }
}

fn check_additional(
    schema: &Map<String, Value>,
    arg: &Value,
    value: &Value,
    path: &str,
    errors: &mut Vec<String>,
) {
    let Some(obj) = value.as_object() else { return };
    let known = schema.get("properties").and_then(Value::as_object);
    for (k, v) in obj {
        if !known.is_some_and(|p| p.contains_key(k)) {
            check(arg, v, &format!("{path}.{k}"), errors);
        }
    }
}

/// Exactly one of the schemas in `arg` accepts `value`.
fn check_one_of(arg: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let branches = arg.as_array().map(Vec::as_slice).unwrap_or_default();
    let mut failures = Vec::new();
    for b in branches {
        let mut e = Vec::new();
        check(b, value, path, &mut e);
        failures.push(e);
    }
    match failures.iter().filter(|e| e.is_empty()).count() {
        1 => {}
        0 => {
            // The branch that came closest says most about what is wrong.
            let best = failures
                .into_iter()
                .min_by_key(Vec::len)
                .unwrap_or_default();
            errors.push(format!("{path}: matches no branch of oneOf"));
            errors.extend(best);
        }
        n => errors.push(format!("{path}: matches {n} branches of oneOf, not one")),
    }
}

fn check_items(arg: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    for (i, v) in value.as_array().into_iter().flatten().enumerate() {
        check(arg, v, &format!("{path}[{i}]"), errors);
    }
}

/// The repository's root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// docs/schema/<command>.json, parsed.
pub fn schema_file(command: &str) -> Value {
    let path = root().join(schema_path(command));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// Where the schema of `command` (a docs/json.md section name) lives:
/// `docs/schema/links-rate.json` for `links --rate`,
/// `docs/schema/nexthops-buckets.json` for `nexthops buckets`.
pub fn schema_path(command: &str) -> String {
    format!(
        "docs/schema/{}.json",
        command.replace(" --", "-").replace(' ', "-")
    )
}

/// One row of a docs/json.md key table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `nexthops[].via.family`.
    pub key: String,
    /// `string or null`, `array of strings`, ...
    pub kind: String,
    /// The meaning column.
    pub meaning: String,
}

/// The section `## <command>` of docs/json.md: its first paragraph and
/// its key table.
pub fn doc_section(command: &str) -> (String, Vec<Row>) {
    let doc = std::fs::read_to_string(root().join("docs/json.md")).expect("docs/json.md");
    let heading = format!("{command}\n");
    let body = doc
        .split("\n## ")
        .find(|s| s.starts_with(&heading))
        .unwrap_or_else(|| panic!("docs/json.md has no section ## {command}"));
    let intro = body[heading.len()..]
        .trim_start()
        .split("\n\n")
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let rows = body
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(" | ").map(str::trim).collect();
            let key = cells.first()?.strip_prefix("| `")?.strip_suffix('`')?;
            let meaning = cells.get(2)?.strip_suffix(" |").unwrap_or(cells[2]);
            Some(Row {
                key: key.to_string(),
                kind: cells.get(1)?.to_string(),
                meaning: meaning.to_string(),
            })
        })
        .collect();
    (intro, rows)
}

/// The schema of one key from its documented type: `number or null`,
/// `array of strings`, `array of numbers`, `object`, `array of objects`
/// (members are filled in by later rows).
fn property(kind: &str, meaning: &str) -> Value {
    let (base, nullable) = match kind.strip_suffix(" or null") {
        Some(b) => (b, true),
        None => (kind, false),
    };
    let ty = |t: &str| match nullable {
        true => json!([t, "null"]),
        false => json!(t),
    };
    let object = || json!({"properties": {}, "required": [], "additionalProperties": false});
    let mut p = json!({"description": meaning});
    let m = p.as_object_mut().unwrap();
    match base {
        "string" | "number" | "boolean" => {
            m.insert("type".into(), ty(base));
        }
        "object" => {
            m.insert("type".into(), ty("object"));
            m.extend(object().as_object().unwrap().clone());
        }
        "array of strings" => {
            m.insert("type".into(), ty("array"));
            m.insert("items".into(), json!({"type": "string"}));
        }
        "array of numbers" => {
            m.insert("type".into(), ty("array"));
            m.insert("items".into(), json!({"type": "number"}));
        }
        // An object whose keys vary (a diff's `key`, `old`, `new`).
        "map" => {
            m.insert("type".into(), ty("object"));
        }
        // Any JSON value (a changed field's value).
        "any" => {}
        "array of objects" => {
            let mut items = json!({"type": "object"});
            items
                .as_object_mut()
                .unwrap()
                .extend(object().as_object().unwrap().clone());
            m.insert("type".into(), ty("array"));
            m.insert("items".into(), items);
        }
        other => panic!("docs/json.md: type {other:?} has no schema"),
    }
    p
}

/// The object schema that holds the members of `parent` (`nexthops[]`,
/// `metrics`, or "" for the top level) inside `top`.
fn holder<'a>(top: &'a mut Value, parent: &str) -> &'a mut Value {
    let mut cur = top;
    for part in parent.split('.').filter(|p| !p.is_empty()) {
        let (name, array) = match part.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (part, false),
        };
        cur = &mut cur["properties"][name];
        if array {
            cur = &mut cur["items"];
        }
    }
    cur
}

/// The keys of a link whose members depend on its kind (docs/json.md,
/// "links: kind data").
pub const KIND_DATA: [&str; 2] = ["kind_data", "slave_data"];

/// The schema of `kind_data` or `slave_data`: an object or null whose
/// members are every key the kind data table lists for any kind (none
/// required), each with every type the table gives it.
fn kind_data(description: &Value) -> Value {
    let mut top = json!({"type": ["object", "null"], "description": description,
        "properties": {}, "additionalProperties": false});
    for (_, key, ty) in crate::harness::kind_rows() {
        let (parent, name) = key.rsplit_once('.').unwrap_or(("", &key));
        let h = holder(&mut top, parent);
        let p = &mut h["properties"][name];
        let mut types: Vec<Value> = match &p["type"] {
            Value::Array(a) => a.clone(),
            _ => vec![],
        };
        let names = match ty.as_str() {
            "array of strings" | "array of objects" => vec!["array"],
            "string or null" => vec!["string", "null"],
            "number or null" => vec!["number", "null"],
            t => vec![t],
        };
        for n in names {
            if !types.contains(&json!(n)) {
                types.push(json!(n));
            }
        }
        p["type"] = Value::Array(types);
        if ty == "array of strings" {
            p["items"] = json!({"type": "string"});
        }
        if ty == "array of objects" {
            p["items"] = json!({"type": "object", "properties": {}, "additionalProperties": false});
        }
        if ty == "object" {
            p["properties"] = json!({});
            p["additionalProperties"] = json!(false);
        }
    }
    top
}

/// The schema of `nlq <command> --json`, derived from docs/json.md.
pub fn schema_from_doc(command: &str) -> Value {
    let (intro, rows) = doc_section(command);
    let mut item = json!({"type": "object"});
    let o = item.as_object_mut().unwrap();
    o.insert("properties".into(), json!({}));
    o.insert("required".into(), json!([]));
    o.insert("additionalProperties".into(), json!(false));
    for row in &rows {
        let (parent, name) = match row.key.rsplit_once('.') {
            Some((p, n)) => (p, n),
            None => ("", row.key.as_str()),
        };
        let h = holder(&mut item, parent);
        let props = h["properties"]
            .as_object_mut()
            .unwrap_or_else(|| panic!("docs/json.md: {} comes before its parent's row", row.key));
        let mut p = property(&row.kind, &row.meaning);
        if parent.is_empty() && KIND_DATA.contains(&name) {
            p = kind_data(&p["description"]);
        }
        props.insert(name.to_string(), p);
        h["required"].as_array_mut().unwrap().push(json!(name));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("nlq {command} --json"),
        "description": format!(
            "{intro} The schema is total: every key is always present, null where \
             absent. With --all-netns each object also carries \"netns\" (a string) \
             first, which this schema does not list. Generated from docs/json.md."
        ),
        "type": "array",
        "items": item,
    })
}

/// The schema of `nlq monitor --json`'s lines (gathered into an array):
/// one branch per object kind, the envelope of docs/json.md's `## monitor`
/// then that object's keys from its own section, and one each for the
/// `overrun` and `resync` events.
pub fn monitor_schema() -> Value {
    let (intro, rows) = doc_section("monitor");
    let envelope: Vec<&Row> = rows
        .iter()
        .filter(|r| !r.kind.contains("optional"))
        .collect();
    let branch = |event: Value, object: Value, extra: Option<&Value>, counts: bool| {
        let mut props = Map::new();
        let mut required = Vec::new();
        for r in &envelope {
            let mut p = property(&r.kind, &r.meaning);
            match r.key.as_str() {
                "event" if event.is_array() => p["enum"] = event.clone(),
                "event" => p["const"] = event.clone(),
                "object" => p["const"] = object.clone(),
                _ => {}
            }
            props.insert(r.key.clone(), p);
            required.push(json!(r.key));
        }
        for r in rows
            .iter()
            .filter(|r| counts && r.kind.contains("optional"))
        {
            props.insert(
                r.key.clone(),
                json!({"type": "number", "description": r.meaning}),
            );
            required.push(json!(r.key));
        }
        let mut b = json!({"type": "object", "additionalProperties": false});
        if let Some(item) = extra {
            for (k, v) in item["properties"].as_object().into_iter().flatten() {
                props.insert(k.clone(), v.clone());
            }
            required.extend(item["required"].as_array().into_iter().flatten().cloned());
        }
        b["properties"] = Value::Object(props);
        b["required"] = Value::Array(required);
        b
    };
    let mut branches = Vec::new();
    for (object, section) in [
        ("link", "links"),
        ("addr", "addrs"),
        ("route", "routes"),
        ("neigh", "neigh"),
        ("rule", "rules"),
        ("nexthop", "nexthops"),
        ("netconf", "netconf"),
        ("fdb", "fdb"),
        ("bucket", "nexthops buckets"),
        ("mdb", "mdb"),
    ] {
        let item = schema_from_doc(section)["items"].clone();
        branches.push(branch(
            json!(["new", "del"]),
            json!(object),
            Some(&item),
            false,
        ));
    }
    branches.push(branch(json!("overrun"), Value::Null, None, false));
    branches.push(branch(json!("resync"), Value::Null, None, true));
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "nlq monitor --json",
        "description": format!(
            "{intro} The lines of the NDJSON stream, gathered into an array. \
             Generated from docs/json.md."
        ),
        "type": "array",
        "items": {"oneOf": branches},
    })
}

/// The schema of `nlq snapshot --json`: docs/json.md's `## snapshot`
/// (the header and one array per kind), each kind's objects those of its
/// own section.
pub fn snapshot_schema() -> Value {
    let mut schema = schema_from_doc("snapshot");
    for section in ["links", "addrs", "routes", "neigh", "rules", "nexthops"] {
        schema["items"]["properties"][section]["items"] = schema_from_doc(section)["items"].clone();
    }
    schema
}

/// A schema's keys flattened the way docs/json.md writes them, each with
/// its type in the documentation's words.
pub fn schema_rows(schema: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    flatten(&schema["items"], "", &mut out);
    out
}

fn flatten(object: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    let Some(props) = object["properties"].as_object() else {
        return;
    };
    for (k, p) in props {
        let key = format!("{prefix}{k}");
        out.push((key.clone(), kind_of(p)));
        // Kind data's members have a table of their own.
        if p["properties"].is_object() && !KIND_DATA.contains(&key.as_str()) {
            flatten(p, &format!("{key}."), out);
        }
        if p["items"]["properties"].is_object() {
            flatten(&p["items"], &format!("{key}[]."), out);
        }
    }
}

/// `{"type": ["array", "null"], "items": {"type": "string"}}` →
/// `array of strings or null`.
fn kind_of(p: &Value) -> String {
    let types: Vec<&str> = match &p["type"] {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let base = types
        .iter()
        .find(|t| **t != "null")
        .copied()
        .unwrap_or("null");
    if types.is_empty() {
        return "any".to_string();
    }
    let mut kind = match base {
        "object" if !p["properties"].is_object() => "map".to_string(),
        "array" => format!("array of {}s", p["items"]["type"].as_str().unwrap_or("?")),
        other => other.to_string(),
    };
    if types.contains(&"null") {
        kind.push_str(" or null");
    }
    kind
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        json!({
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "mtu": {"type": ["number", "null"]},
                    "flags": {"type": "array", "items": {"type": "string"}},
                    "via": {
                        "type": ["object", "null"],
                        "properties": {"family": {"type": "string"}},
                        "required": ["family"],
                        "additionalProperties": false
                    }
                },
                "required": ["name", "mtu", "flags", "via"],
                "additionalProperties": false
            }
        })
    }

    fn errors(value: Value) -> Vec<String> {
        validate(&sample(), &value).err().unwrap_or_default()
    }

    #[test]
    fn const_enum_and_one_of() {
        let schema = json!({"oneOf": [
            {"type": "object", "properties": {"k": {"const": "a"}}, "required": ["k"]},
            {"type": "object", "properties": {"k": {"enum": ["b", "c"]}}, "required": ["k"]},
        ]});
        assert!(validate(&schema, &json!({"k": "a"})).is_ok());
        assert!(validate(&schema, &json!({"k": "c"})).is_ok());
        let none = validate(&schema, &json!({"k": "d"})).unwrap_err();
        assert!(none[0].contains("matches no branch"), "{none:?}");
        let both = json!({"oneOf": [{"type": "object"}, {"type": "object"}]});
        let twice = validate(&both, &json!({})).unwrap_err();
        assert!(twice[0].contains("matches 2 branches"), "{twice:?}");
    }

    #[test]
    fn valid_values_pass() {
        let ok = json!([
            {"name": "lo", "mtu": 65536, "flags": ["up"], "via": null},
            {"name": "v0", "mtu": null, "flags": [], "via": {"family": "inet6"}}
        ]);
        assert_eq!(errors(ok), Vec::<String>::new());
        assert_eq!(errors(json!([])), Vec::<String>::new());
    }

    #[test]
    fn a_wrong_type_fails() {
        let got = errors(json!([{"name": 1, "mtu": "1500", "flags": [2], "via": null}]));
        assert_eq!(
            got,
            [
                "$[0].name: expected string, got 1",
                "$[0].mtu: expected number or null, got \"1500\"",
                "$[0].flags[0]: expected string, got 2",
            ]
        );
        assert_eq!(errors(json!({})), ["$: expected array, got {}"]);
        let nested = errors(json!([{"name": "a", "mtu": 1, "flags": [], "via": {"family": 4}}]));
        assert_eq!(nested, ["$[0].via.family: expected string, got 4"]);
    }

    #[test]
    fn a_missing_key_fails() {
        let got = errors(json!([{"name": "lo", "flags": [], "via": {}}]));
        assert_eq!(
            got,
            [
                "$[0].via: missing key \"family\"",
                "$[0]: missing key \"mtu\""
            ]
        );
    }

    #[test]
    fn an_extra_key_fails() {
        let got = errors(json!([
            {"name": "lo", "mtu": 1, "flags": [], "via": {"family": "inet", "x": 1}, "netns": "a"}
        ]));
        assert_eq!(
            got,
            [
                "$[0].via.x: not allowed here",
                "$[0].netns: not allowed here"
            ]
        );
    }

    #[test]
    fn unsupported_keywords_are_errors_not_ignored() {
        let schema = json!({"type": "string", "pattern": "^a"});
        let got = validate(&schema, &json!("b")).unwrap_err();
        assert_eq!(got, ["$: unsupported keyword \"pattern\""]);
        let got = validate(&json!({"type": "float"}), &json!(1)).unwrap_err();
        assert_eq!(got[0], "$: unknown type \"float\"");
    }

    #[test]
    fn integers_and_numbers() {
        assert!(validate(&json!({"type": "integer"}), &json!(1)).is_ok());
        assert!(validate(&json!({"type": "integer"}), &json!(1.5)).is_err());
        assert!(validate(&json!({"type": "number"}), &json!(1.5)).is_ok());
    }

    #[test]
    fn documented_types_become_schemas_and_back() {
        for kind in [
            "string",
            "number or null",
            "boolean",
            "array of strings",
            "array of strings or null",
            "array of numbers or null",
            "object or null",
            "array of objects",
        ] {
            assert_eq!(kind_of(&property(kind, "m")), kind);
        }
    }
}
