//! Snapshots as `nlq diff` reads them: nlq's own JSON documents (`nlq
//! snapshot --json`, docs/json.md `## snapshot`), compared kind by kind.
//!
//! The comparison works on the JSON, not on decoded objects, so a file
//! written by another nlq (or edited by hand) compares with the live state
//! as long as it keeps the schema. Objects are matched by the monitor's
//! identity keys ([`crate::model::object`], docs/json.md `## monitor`),
//! written here with their JSON names; counters and timers (the keys
//! [`ObjectKind::settle`](crate::model::object::ObjectKind::settle)
//! forgets, and their JSON kin) are left out of the comparison unless
//! asked for. Pure: no I/O, no kernel.

use std::collections::BTreeMap;

use serde_json::Value;

/// One kind of object in a snapshot: its array's key and how its objects
/// are matched and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// The kind's name (`"route"`), as the monitor's `object` key says it.
    pub name: &'static str,
    /// The snapshot key holding its objects (`"routes"`).
    pub section: &'static str,
    /// The keys that identify an object (its identity in the kernel).
    pub identity: &'static [&'static str],
    /// More identity keys for an object that is not `multipath` (a
    /// single-path route: `ip route append` makes routes that differ only
    /// in these).
    pub single_path: &'static [&'static str],
    /// Keys that change on their own (statistics, lifetimes, ages),
    /// compared only when counters are asked for.
    pub counters: &'static [&'static str],
}

/// Every kind, in the order a snapshot holds them (links first: the
/// others name their devices).
pub const KINDS: [Kind; 6] = [
    Kind {
        name: "link",
        section: "links",
        identity: &["index"],
        single_path: &[],
        counters: &[
            "stats64",
            "carrier_changes",
            "carrier_up_count",
            "carrier_down_count",
        ],
    },
    Kind {
        name: "addr",
        section: "addrs",
        identity: &["index", "family", "local", "peer", "prefix_len"],
        single_path: &[],
        counters: &["valid_lft", "preferred_lft"],
    },
    Kind {
        name: "route",
        section: "routes",
        identity: &[
            "table_id",
            "family",
            "dst",
            "dst_labels",
            "from",
            "tos",
            "metric",
        ],
        single_path: &["type", "dev", "gateway", "via", "nhid"],
        counters: &["expires"],
    },
    Kind {
        name: "neigh",
        section: "neigh",
        identity: &["ifindex", "family", "dst"],
        single_path: &[],
        counters: &["probes", "used", "confirmed", "updated", "refcnt"],
    },
    // A rule is identified by its whole content: it can be added or
    // removed, never changed.
    Kind {
        name: "rule",
        section: "rules",
        identity: &[],
        single_path: &[],
        counters: &[],
    },
    Kind {
        name: "nexthop",
        section: "nexthops",
        identity: &["id"],
        single_path: &[],
        counters: &["resilient.unbalanced_time"],
    },
];

/// The kind named `name` (`"route"`) or with array `name` (`"routes"`).
pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name || k.section == name)
}

/// What happened to one object between OLD and NEW.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// In NEW only.
    Added,
    /// In OLD only.
    Removed,
    /// In both, with different fields.
    Changed,
}

impl What {
    /// The JSON `change` value and the table's word.
    pub fn name(self) -> &'static str {
        match self {
            What::Added => "added",
            What::Removed => "removed",
            What::Changed => "changed",
        }
    }
}

/// One field that differs: its dotted path (`metrics.mtu`) and both
/// values, `null` where a side lacks it.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The key's path, `parent.child` as docs/json.md writes keys.
    pub path: String,
    /// OLD's value.
    pub old: Value,
    /// NEW's value.
    pub new: Value,
}

/// One difference.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The object's kind.
    pub kind: &'static Kind,
    /// Added, removed or changed.
    pub what: What,
    /// The identity keys and their values.
    pub key: BTreeMap<String, Value>,
    /// The object in OLD (`None` when added).
    pub old: Option<Value>,
    /// The object in NEW (`None` when removed).
    pub new: Option<Value>,
    /// The fields that differ (changed only), in path order.
    pub fields: Vec<Field>,
}

/// How to compare.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Compare counters and timers too.
    pub counters: bool,
    /// Only these kinds (by name); every kind when empty.
    pub kinds: Vec<&'static str>,
}

/// Why a document is not a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// Not a JSON object, nor an array of one.
    #[error(
        "not a snapshot: expected the object `nlq snapshot --json` writes (or an array of one)"
    )]
    NotObject,
    /// An array of several snapshots (`--all-netns`).
    #[error("{0} snapshots (one per namespace, --all-netns): pick one, e.g. jq '.[0]'")]
    Several(usize),
    /// A kind's array is missing or not an array.
    #[error("not a snapshot: `{0}` is missing or not an array")]
    NoArray(&'static str),
}

/// The snapshot object in `doc`: the object itself, or the only element
/// of an array (as `nlq snapshot --json` prints it).
pub fn document(doc: &Value) -> Result<&serde_json::Map<String, Value>, SnapshotError> {
    let obj = match doc {
        Value::Array(a) if a.len() == 1 => &a[0],
        Value::Array(a) if a.len() > 1 && a.iter().all(Value::is_object) => {
            return Err(SnapshotError::Several(a.len()));
        }
        other => other,
    };
    obj.as_object().ok_or(SnapshotError::NotObject)
}

/// Whether `doc` is a snapshot: an object (or an array of one) with an
/// array for every kind.
pub fn check(doc: &Value) -> Result<(), SnapshotError> {
    let doc = document(doc)?;
    match KINDS
        .iter()
        .find(|k| !doc.get(k.section).is_some_and(Value::is_array))
    {
        Some(k) => Err(SnapshotError::NoArray(k.section)),
        None => Ok(()),
    }
}

/// Compare two snapshot documents: every change, kind by kind in
/// [`KINDS`] order, each kind's in identity order.
pub fn diff(old: &Value, new: &Value, opts: &Options) -> Result<Vec<Change>, SnapshotError> {
    let (old, new) = (document(old)?, document(new)?);
    let mut out = Vec::new();
    for kind in KINDS
        .iter()
        .filter(|k| opts.kinds.is_empty() || opts.kinds.contains(&k.name))
    {
        let objects = |doc: &serde_json::Map<String, Value>| match doc.get(kind.section) {
            Some(Value::Array(a)) => Ok(a.clone()),
            _ => Err(SnapshotError::NoArray(kind.section)),
        };
        out.extend(diff_kind(
            kind,
            &objects(old)?,
            &objects(new)?,
            opts.counters,
        ));
    }
    Ok(out)
}

/// Compare one kind's objects. Changes carry the objects whole (their
/// counters too); only the comparison leaves counters out.
pub fn diff_kind(kind: &'static Kind, old: &[Value], new: &[Value], counters: bool) -> Vec<Change> {
    let index = |objects: &[Value]| {
        let mut map = BTreeMap::new();
        for o in objects {
            let compared = if counters {
                o.clone()
            } else {
                settled(kind, o)
            };
            // A duplicate identity (a hand-edited file) keeps the first.
            map.entry(identity_text(kind, o))
                .or_insert((compared, o.clone()));
        }
        map
    };
    let (mut old, new) = (index(old), index(new));
    let mut out = Vec::new();
    for (id, (compared, n)) in new {
        let Some((was, o)) = old.remove(&id) else {
            out.push(change(kind, What::Added, None, Some(n), Vec::new()));
            continue;
        };
        let fields = fields(&was, &compared);
        if !fields.is_empty() {
            out.push(change(kind, What::Changed, Some(o), Some(n), fields));
        }
    }
    for (_, (_, o)) in old {
        out.push(change(kind, What::Removed, Some(o), None, Vec::new()));
    }
    out.sort_by_cached_key(|c| order(kind, c.new.as_ref().or(c.old.as_ref())));
    out
}

/// Where a change of `obj` comes in its kind's list: by the identity
/// keys in the kind's order (a rule by priority), numbers by value.
fn order(kind: &Kind, obj: Option<&Value>) -> Vec<String> {
    let keys: &[&str] = match kind.identity {
        [] => &["priority"],
        keys => keys,
    };
    let single = kind.single_path.iter();
    let text = |v: Option<&Value>| match v {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(u) => format!("{u:020}"),
            None => n.to_string(),
        },
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let mut out: Vec<String> = keys
        .iter()
        .chain(single)
        .map(|k| text(obj.and_then(|o| o.get(*k))))
        .collect();
    // Ties (rules of one priority) in a stable order.
    out.push(text(obj));
    out
}

/// One change of `kind`, its identity read from the object it is about.
fn change(
    kind: &'static Kind,
    what: What,
    old: Option<Value>,
    new: Option<Value>,
    fields: Vec<Field>,
) -> Change {
    let either = new.as_ref().or(old.as_ref()).unwrap_or(&Value::Null);
    Change {
        kind,
        what,
        key: identity(kind, either),
        old,
        new,
        fields,
    }
}

/// `obj` without the kind's counters and timers.
pub fn settled(kind: &Kind, obj: &Value) -> Value {
    let mut obj = obj.clone();
    for path in kind.counters {
        remove(&mut obj, path);
    }
    obj
}

/// Remove the key at dotted `path` from `obj`, if it is there.
fn remove(obj: &mut Value, path: &str) {
    let (parent, last) = match path.rsplit_once('.') {
        Some((p, l)) => (Some(p), l),
        None => (None, path),
    };
    let mut cur = obj;
    for part in parent.into_iter().flat_map(|p| p.split('.')) {
        match cur.get_mut(part) {
            Some(next) => cur = next,
            None => return,
        }
    }
    if let Some(map) = cur.as_object_mut() {
        map.remove(last);
    }
}

/// The identity keys of `obj` and their values (absent keys as `null`);
/// a kind without identity keys (rules) is identified by every key.
pub fn identity(kind: &Kind, obj: &Value) -> BTreeMap<String, Value> {
    let Some(map) = obj.as_object() else {
        return BTreeMap::new();
    };
    if kind.identity.is_empty() {
        return map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    }
    // A route's `nexthops` lists its one nexthop too: `multipath` tells.
    let single = map.get("multipath") != Some(&Value::Bool(true));
    let extra = if single { kind.single_path } else { &[] };
    kind.identity
        .iter()
        .chain(extra)
        .map(|&k| (k.to_string(), map.get(k).cloned().unwrap_or(Value::Null)))
        .collect()
}

/// The identity as one comparable string (JSON of the sorted map).
fn identity_text(kind: &Kind, obj: &Value) -> String {
    serde_json::to_string(&identity(kind, obj)).unwrap_or_default()
}

/// The fields that differ between `old` and `new`, objects walked key by
/// key, anything else (arrays included) compared whole.
pub fn fields(old: &Value, new: &Value) -> Vec<Field> {
    let mut out = Vec::new();
    walk(old, new, "", &mut out);
    out
}

/// [`fields`] below `prefix` (the path so far; empty at the top).
fn walk(old: &Value, new: &Value, prefix: &str, out: &mut Vec<Field>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let path = match prefix {
                    "" => k.clone(),
                    p => format!("{p}.{k}"),
                };
                let (o, n) = (a.get(k), b.get(k));
                let null = Value::Null;
                walk(o.unwrap_or(&null), n.unwrap_or(&null), &path, out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(Field {
            path: prefix.to_string(),
            old: a.clone(),
            new: b.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn snap(links: Value, routes: Value) -> Value {
        json!([{"header": {}, "links": links, "addrs": [], "routes": routes,
            "neigh": [], "rules": [], "nexthops": []}])
    }

    fn link(index: u32, mtu: u32, rx: u64) -> Value {
        json!({"index": index, "name": format!("v{index}"), "mtu": mtu,
            "stats64": {"rx_packets": rx}, "carrier_changes": rx})
    }

    #[test]
    fn a_snapshot_has_no_difference_with_itself() {
        let s = snap(json!([link(1, 1500, 3)]), json!([]));
        let all = Options {
            counters: true,
            ..Options::default()
        };
        assert!(diff(&s, &s, &Options::default()).unwrap().is_empty());
        assert!(diff(&s, &s, &all).unwrap().is_empty());
    }

    #[test]
    fn changes_come_in_identity_order_numbers_by_value() {
        let old = snap(json!([]), json!([]));
        let new = snap(json!([link(10, 1500, 0), link(2, 1500, 0)]), json!([]));
        let d = diff(&old, &new, &Options::default()).unwrap();
        let order: Vec<&Value> = d.iter().map(|c| &c.key["index"]).collect();
        assert_eq!(order, [&json!(2), &json!(10)]);
    }

    #[test]
    fn counters_count_only_when_asked() {
        let old = snap(json!([link(1, 1500, 3)]), json!([]));
        let new = snap(json!([link(1, 1500, 9)]), json!([]));
        assert!(diff(&old, &new, &Options::default()).unwrap().is_empty());
        let all = Options {
            counters: true,
            ..Options::default()
        };
        let d = diff(&old, &new, &all).unwrap();
        assert_eq!(d.len(), 1);
        let paths: Vec<&str> = d[0].fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["carrier_changes", "stats64.rx_packets"]);
    }

    #[test]
    fn added_removed_and_changed_each_show_once() {
        let old = snap(json!([link(1, 1500, 0), link(2, 1500, 0)]), json!([]));
        let new = snap(json!([link(1, 1400, 0), link(3, 1500, 0)]), json!([]));
        let d = diff(&old, &new, &Options::default()).unwrap();
        let seen: Vec<(What, Value)> = d.iter().map(|c| (c.what, c.key["index"].clone())).collect();
        assert_eq!(
            seen,
            [
                (What::Changed, json!(1)),
                (What::Removed, json!(2)),
                (What::Added, json!(3))
            ]
        );
        assert_eq!(
            d[0].fields,
            [Field {
                path: "mtu".into(),
                old: json!(1500),
                new: json!(1400)
            }]
        );
        assert_eq!(d[1].new, None);
        assert_eq!(d[2].old, None);
    }

    #[test]
    fn a_single_path_route_with_a_new_gateway_is_another_route() {
        let r = |gw: &str, proto: &str| {
            json!({"table_id": 254, "family": "inet", "dst": "10.0.0.0/24", "from": null,
                "tos": 0, "metric": null, "type": "unicast", "dev": "v1", "gateway": gw,
                "via": null, "nhid": null, "protocol": proto, "multipath": false})
        };
        let old = snap(json!([]), json!([r("10.1.0.1", "boot")]));
        let new = snap(json!([]), json!([r("10.1.0.2", "boot")]));
        let d = diff(&old, &new, &Options::default()).unwrap();
        let whats: Vec<What> = d.iter().map(|c| c.what).collect();
        assert_eq!(whats, [What::Removed, What::Added]);
        // The protocol is no part of the identity: a change.
        let new = snap(json!([]), json!([r("10.1.0.1", "static")]));
        let d = diff(&old, &new, &Options::default()).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].what, d[0].fields[0].path.as_str()),
            (What::Changed, "protocol")
        );
    }

    #[test]
    fn a_multipath_route_keeps_its_identity_when_a_nexthop_changes() {
        let r = |gw: &str| {
            json!({"table_id": 254, "family": "inet", "dst": "10.0.0.0/24", "from": null,
                "tos": 0, "metric": null, "type": "unicast", "dev": null, "gateway": null,
                "multipath": true, "nexthops": [{"gateway": gw}, {"gateway": "10.1.0.9"}]})
        };
        let old = snap(json!([]), json!([r("10.1.0.1")]));
        let new = snap(json!([]), json!([r("10.1.0.2")]));
        let d = diff(&old, &new, &Options::default()).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].fields[0].path, "nexthops", "arrays compare whole");
    }

    #[test]
    fn rules_are_added_or_removed_never_changed() {
        let rule = |table: u32| json!({"priority": 100, "table_id": table});
        let mut old = snap(json!([]), json!([]));
        let mut new = old.clone();
        old[0]["rules"] = json!([rule(100)]);
        new[0]["rules"] = json!([rule(200)]);
        let d = diff(&old, &new, &Options::default()).unwrap();
        let whats: Vec<What> = d.iter().map(|c| c.what).collect();
        assert_eq!(whats, [What::Removed, What::Added]);
    }

    #[test]
    fn kinds_filter_and_bad_documents() {
        let old = snap(json!([link(1, 1500, 0)]), json!([]));
        let new = snap(json!([]), json!([]));
        let routes = Options {
            kinds: vec!["route"],
            ..Options::default()
        };
        assert!(diff(&old, &new, &routes).unwrap().is_empty());
        assert_eq!(
            diff(&json!(3), &new, &routes),
            Err(SnapshotError::NotObject)
        );
        let mut broken = new.clone();
        broken[0]["routes"] = json!({});
        assert_eq!(
            diff(&old, &broken, &routes),
            Err(SnapshotError::NoArray("routes"))
        );
    }

    #[test]
    fn nested_counters_are_removed_by_path() {
        let nh = json!({"id": 1, "resilient": {"buckets": 8, "unbalanced_time": 5}});
        let kind = kind("nexthop").unwrap();
        assert_eq!(
            settled(kind, &nh),
            json!({"id": 1, "resilient": {"buckets": 8}})
        );
        let plain = json!({"id": 2, "resilient": null});
        assert_eq!(settled(kind, &plain), plain);
    }
}
