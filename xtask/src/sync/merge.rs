//! Merging the one-operation documents of MX's doc pages into one spec.
//! Paths, operations, components and tags are united; the same name with
//! different content is a conflict naming both origins, never overwritten;
//! `openapi`, `info`, `servers`, `security` and anything else must agree.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use super::fetch::Doc;

// Keys of a path item that are operations.
use mx_codegen::normalize::METHODS;

pub fn merge(docs: Vec<Doc>) -> Result<Value, String> {
    let mut out = Mapping::new();
    // (section, name) → origin of the first definition.
    let mut origins: BTreeMap<String, String> = BTreeMap::new();
    let mut conflicts = Vec::new();

    for doc in docs {
        let Value::Mapping(map) = doc.value else {
            return Err(format!("{}: the document is not a mapping", doc.origin));
        };
        for (key, value) in map {
            let k = key.as_str().unwrap_or_default().to_string();
            match k.as_str() {
                "paths" => merge_paths(&mut out, value, &doc.origin, &mut origins, &mut conflicts),
                "components" => {
                    let Value::Mapping(sections) = value else {
                        continue;
                    };
                    for (section, entries) in sections {
                        let section = section.as_str().unwrap_or_default().to_string();
                        let Value::Mapping(entries) = entries else {
                            continue;
                        };
                        for (name, def) in entries {
                            let name_s = name.as_str().unwrap_or_default().to_string();
                            let target = entry(entry(&mut out, "components"), &section);
                            unite(
                                target,
                                name,
                                def,
                                &format!("components/{section}/{name_s}"),
                                &doc.origin,
                                &mut origins,
                                &mut conflicts,
                            );
                        }
                    }
                }
                "tags" => {
                    let Value::Sequence(tags) = value else {
                        continue;
                    };
                    let existing = out
                        .entry(Value::from("tags"))
                        .or_insert_with(|| Value::Sequence(vec![]));
                    if let Value::Sequence(list) = existing {
                        for t in tags {
                            let name = t.get("name").cloned();
                            if !list.iter().any(|e| e.get("name") == name.as_ref()) {
                                list.push(t);
                            }
                        }
                    }
                }
                _ => match out.get(&key) {
                    None => {
                        origins.insert(k.clone(), doc.origin.clone());
                        out.insert(key, value);
                    }
                    Some(existing) if *existing == value => {}
                    Some(_) => conflicts.push(format!(
                        "`{k}` differs between {} and {}",
                        origins.get(&k).map(String::as_str).unwrap_or("?"),
                        doc.origin
                    )),
                },
            }
        }
    }
    if conflicts.is_empty() {
        Ok(Value::Mapping(out))
    } else {
        Err(format!(
            "the pages disagree, so nothing is written:\n  {}",
            conflicts.join("\n  ")
        ))
    }
}

fn entry<'a>(map: &'a mut Mapping, key: &str) -> &'a mut Mapping {
    let v = map
        .entry(Value::from(key))
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    if !v.is_mapping() {
        *v = Value::Mapping(Mapping::new());
    }
    v.as_mapping_mut().expect("just made a mapping")
}

/// Adds `name: def` to `target`, or checks it equals what is there.
fn unite(
    target: &mut Mapping,
    name: Value,
    def: Value,
    place: &str,
    origin: &str,
    origins: &mut BTreeMap<String, String>,
    conflicts: &mut Vec<String>,
) {
    match target.get(&name) {
        None => {
            origins.insert(place.to_string(), origin.to_string());
            target.insert(name, def);
        }
        Some(existing) if *existing == def => {}
        Some(_) => conflicts.push(format!(
            "{place} is defined differently by {} and by {origin}",
            origins.get(place).map(String::as_str).unwrap_or("?")
        )),
    }
}

fn merge_paths(
    out: &mut Mapping,
    value: Value,
    origin: &str,
    origins: &mut BTreeMap<String, String>,
    conflicts: &mut Vec<String>,
) {
    let Value::Mapping(paths) = value else { return };
    for (path, item) in paths {
        let path_s = path.as_str().unwrap_or_default().to_string();
        let Value::Mapping(item) = item else { continue };
        let target = entry(entry(out, "paths"), &path_s);
        for (key, def) in item {
            let key_s = key.as_str().unwrap_or_default().to_string();
            let place = if METHODS.contains(&key_s.as_str()) {
                format!("{} {path_s}", key_s.to_uppercase())
            } else {
                format!("paths/{path_s}/{key_s}")
            };
            unite(target, key, def, &place, origin, origins, conflicts);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(origin: &str, yaml: &str) -> Doc {
        Doc {
            origin: origin.into(),
            value: serde_yaml::from_str(yaml).unwrap(),
        }
    }

    #[test]
    fn two_methods_on_one_path_share_the_path_item() {
        let a = doc("a", "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n  /m:\n    post: {operationId: c, responses: {'200': {description: OK}}}\ncomponents:\n  schemas:\n    M: {type: object}\ntags: [{name: members}]\n");
        let b = doc("b", "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n  /m:\n    get: {operationId: l, responses: {'200': {description: OK}}}\ncomponents:\n  schemas:\n    M: {type: object}\n    N: {type: string}\ntags: [{name: members}, {name: users}]\n");
        let m = merge(vec![a, b]).unwrap();
        let item = &m["paths"]["/m"];
        assert!(item.get("get").is_some() && item.get("post").is_some());
        assert_eq!(m["components"]["schemas"].as_mapping().unwrap().len(), 2);
        assert_eq!(m["tags"].as_sequence().unwrap().len(), 2);
    }

    #[test]
    fn a_component_defined_twice_differently_names_both_origins() {
        let a = doc(
            "page-a.md",
            "openapi: 3.0.0\ncomponents:\n  schemas:\n    M: {type: object}\n",
        );
        let b = doc(
            "page-b.md",
            "openapi: 3.0.0\ncomponents:\n  schemas:\n    M: {type: string}\n",
        );
        let e = merge(vec![a, b]).unwrap_err();
        assert!(
            e.contains("components/schemas/M")
                && e.contains("page-a.md")
                && e.contains("page-b.md"),
            "{e}"
        );
    }

    #[test]
    fn disagreeing_info_is_reported() {
        let a = doc("a", "openapi: 3.0.0\ninfo: {title: T, version: '1'}\n");
        let b = doc("b", "openapi: 3.0.0\ninfo: {title: T, version: '2'}\n");
        let e = merge(vec![a, b]).unwrap_err();
        assert!(e.contains("`info` differs between a and b"), "{e}");
    }
}
