//! Broken specs are explained, never panicked over: each file under
//! `tests/broken-specs/` fails the pipeline with one message naming the
//! file, the place and the fix. A mutation fuzzer feeds the loader and the
//! normalizer damaged specs: no panics.

use std::path::{Path, PathBuf};

use mx_codegen::{load, normalize, Config, Location};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken-specs")
}

/// `# expect:` and `# at:` header lines, or for the empty file, its own.
fn expectations(path: &Path, text: &str) -> (String, String) {
    if text.is_empty() {
        return ("the spec is empty".into(), "the whole file".into());
    }
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap_or_else(|| panic!("{} has no `{key}` line", path.display()))
            .trim()
            .to_string()
    };
    (field("# expect:"), field("# at:"))
}

#[test]
fn every_broken_spec_fails_with_file_place_and_fix() {
    let mut files: Vec<_> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "the corpus has {} specs", files.len());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let (expect, at) = expectations(&path, &text);
        let err = match Config::mx_client().render(&path) {
            Ok(_) => panic!("{} generated, but is broken", path.display()),
            Err(e) => e,
        };
        let shown = err.to_string();
        assert_eq!(err.file, path);
        assert!(
            shown.contains(&expect),
            "{}: expected {expect:?} in {shown:?}",
            path.display()
        );
        assert!(
            err.location.to_string().contains(&at),
            "{}: expected the place {at:?}, got {:?}",
            path.display(),
            err.location
        );
        assert!(shown.starts_with(&path.display().to_string()), "{shown}");
        assert!(!err.fix.is_empty() && shown.contains("; fix: "), "{shown}");
        assert!(!err.one_line().contains('\n'));
        if let Location::LineColumn { line, column } = err.location {
            assert!(line > 0 && column > 0);
        }
    }
}

#[test]
fn a_huge_file_is_refused_before_it_is_parsed() {
    let dir = std::env::temp_dir().join(format!("mx-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.yaml");
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Huge, version: \"1\"}\npaths: {}\nx-padding: |\n",
    );
    while text.len() <= load::MAX_SPEC_BYTES {
        text.push_str("  0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
    }
    std::fs::write(&path, &text).unwrap();
    let err = Config::mx_client().render(&path).unwrap_err();
    assert!(err.message.contains("-byte limit"), "{err}");
    assert_eq!(err.location, Location::File);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_file_is_named() {
    let err = Config::mx_client()
        .render(Path::new("specs/nope/v1.yaml"))
        .unwrap_err();
    assert!(err.to_string().starts_with("specs/nope/v1.yaml"), "{err}");
}

/// xorshift64*: a fixed seed, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..1 + rng.below(4) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(8) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => lines[i] = format!(" {}", lines[i]),
            3 => lines[i] = lines[i].trim_start().to_string(),
            4 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            5 => {
                let tokens = [
                    "$ref: '#/x'",
                    "type: array",
                    "{",
                    "- 1",
                    ": :",
                    "'",
                    "nullable: true",
                    "enum: [1]",
                    "required: [x]",
                    "~",
                ];
                lines[i] = format!(
                    "{}{}",
                    " ".repeat(rng.below(10)),
                    tokens[rng.below(tokens.len())]
                );
            }
            6 => lines.truncate(i),
            _ => {
                let mut bytes = lines[i].clone().into_bytes();
                if !bytes.is_empty() {
                    let k = rng.below(bytes.len());
                    bytes[k] = b"{}[]:-'\"#&*!|> x0"[rng.below(17)];
                }
                lines[i] = String::from_utf8_lossy(&bytes).into_owned();
            }
        }
    }
    lines.join("\n")
}

#[test]
fn mutated_specs_never_panic_the_loader_or_the_normalizer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut rng = Rng(0x005E_ED0F_4D0C_5EED);
    let mut rejected = 0;
    for (spec, rounds) in [("specs/nexus/v1.yaml", 1500), ("specs/atrium/v1.yaml", 150)] {
        let original = std::fs::read_to_string(root.join(spec)).unwrap();
        for round in 0..rounds {
            let text = mutate(&mut rng, &original);
            let path = Path::new(spec);
            let outcome = std::panic::catch_unwind(|| match load::parse(path, &text) {
                Ok(mut doc) => normalize::normalize(path, &mut doc, &[], &[]).is_err(),
                Err(_) => true,
            });
            match outcome {
                Ok(was_rejected) => rejected += usize::from(was_rejected),
                Err(_) => panic!("{spec}, round {round}: the pipeline panicked on:\n{text}"),
            }
        }
    }
    // The fuzzer must actually reach the error paths.
    assert!(rejected > 100, "only {rejected} mutants were rejected");
}

#[test]
fn random_bytes_never_panic_the_loader() {
    let mut rng = Rng(42);
    for _ in 0..500 {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len)
            .map(|_| b" \n\t:-{}[]'\"#&*!|>%@`abc123"[rng.below(26)])
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        let _ = load::parse(Path::new("random.yaml"), &text);
    }
}
