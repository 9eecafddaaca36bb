//! Reading sources: URLs (HTTPS through reqwest with rustls, timeouts,
//! retries, bounded concurrency, a progress bar), files and folders; and
//! recognizing what they hold: an OpenAPI document, a doc page with fenced
//! spec blocks, or the docs index.

use std::path::PathBuf;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::Url;

/// Pages fetched at once.
const IN_FLIGHT: usize = 8;
/// Attempts per URL (transient failures only).
const ATTEMPTS: u32 = 3;

/// Where a document comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Url(Url),
    Path(PathBuf),
}

impl Source {
    pub fn parse(s: &str) -> Source {
        match Url::parse(s) {
            Ok(u) if u.scheme() == "http" || u.scheme() == "https" => Source::Url(u),
            _ => Source::Path(PathBuf::from(s)),
        }
    }

    fn name(&self) -> String {
        match self {
            Source::Url(u) => u.to_string(),
            Source::Path(p) => p.display().to_string(),
        }
    }
}

/// One OpenAPI document and where it came from (for conflict reports).
pub struct Doc {
    pub origin: String,
    pub value: serde_yaml::Value,
}

/// Reads every source (following an index's links) and returns the
/// documents for `spec_file`. Any page that fails is an error naming it: a
/// partial crawl is never returned as if complete.
pub async fn collect(sources: &[Source], spec_file: &str) -> Result<Vec<Doc>, String> {
    let http = crate::http_client_builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("mx-client-xtask/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let mut docs = Vec::new();
    for source in sources {
        let texts = read(&http, source).await?;
        for (origin, text, base) in texts {
            docs.extend(recognize(&http, &origin, &text, base.as_ref(), spec_file).await?);
        }
    }
    if docs.is_empty() {
        return Err(format!(
            "no document for {spec_file} was found in {}",
            names(sources)
        ));
    }
    Ok(docs)
}

fn names(sources: &[Source]) -> String {
    sources
        .iter()
        .map(Source::name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text(s) of a source: a URL, a file, or each file of a folder.
async fn read(
    http: &reqwest::Client,
    source: &Source,
) -> Result<Vec<(String, String, Option<Url>)>, String> {
    match source {
        Source::Url(u) => Ok(vec![(u.to_string(), get(http, u).await?, Some(u.clone()))]),
        Source::Path(p) if p.is_dir() => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.extension().is_some_and(|x| {
                        ["md", "yaml", "yml", "json"].contains(&&*x.to_string_lossy())
                    })
                })
                .collect();
            files.sort();
            files
                .into_iter()
                .map(|f| {
                    std::fs::read_to_string(&f)
                        .map(|t| (f.display().to_string(), t, None))
                        .map_err(|e| format!("{}: {e}", f.display()))
                })
                .collect()
        }
        Source::Path(p) => std::fs::read_to_string(p)
            .map(|t| vec![(p.display().to_string(), t, None)])
            .map_err(|e| format!("{}: cannot read: {e}", p.display())),
    }
}

/// GET with retries on transient failures (connect, timeout, 429, 5xx).
async fn get(http: &reqwest::Client, url: &Url) -> Result<String, String> {
    let mut last = String::new();
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(250 << attempt)).await;
        }
        match http.get(url.clone()).send().await {
            Ok(r) if r.status().is_success() => {
                return r
                    .text()
                    .await
                    .map_err(|e| format!("{url}: reading the answer failed: {e}"));
            }
            Ok(r) if r.status().as_u16() == 429 || r.status().is_server_error() => {
                last = format!("{url}: answered {}", r.status());
            }
            Ok(r) => return Err(format!("{url}: answered {}", r.status())),
            Err(e) if e.is_timeout() || e.is_connect() => last = format!("{url}: {}", chain(&e)),
            Err(e) => return Err(format!("{url}: {}", chain(&e))),
        }
    }
    Err(format!("{last} (after {ATTEMPTS} attempts)"))
}

/// An error and its causes on one line ("error sending request: dns
/// error: …").
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// A fenced block of a doc page: ```` ```yaml openapi/nexus/v1.yaml POST /members ````.
pub struct Block {
    pub spec_file: String,
    pub label: String,
    pub body: String,
}

/// The fenced YAML blocks of a markdown page.
pub fn blocks(page: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let fence_len = trimmed.chars().take_while(|c| *c == '`').count();
        if fence_len < 3 {
            continue;
        }
        let info = trimmed[fence_len..].trim();
        let mut words = info.split_whitespace();
        if words.next() != Some("yaml") {
            continue;
        }
        let Some(spec_file) = words.next() else {
            continue;
        };
        let label = words.collect::<Vec<_>>().join(" ");
        let fence = &trimmed[..fence_len];
        let mut body = String::new();
        for l in lines.by_ref() {
            if l.trim() == fence {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        out.push(Block {
            spec_file: spec_file.to_string(),
            label,
            body,
        });
    }
    out
}

/// The links of a docs index (`[title](url)`), resolved against its URL;
/// a page's markdown is its address with `.md`.
pub fn links(index: &str, base: Option<&Url>) -> Vec<String> {
    let mut out = Vec::new();
    for line in index.lines() {
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            let target = after[..end].trim();
            rest = &after[end..];
            let resolved = match (Url::parse(target), base) {
                (Ok(u), _) => u.to_string(),
                (Err(_), Some(b)) => match b.join(target) {
                    Ok(u) => u.to_string(),
                    Err(_) => continue,
                },
                (Err(_), None) => target.to_string(),
            };
            let resolved = if resolved.ends_with(".md")
                || resolved.ends_with(".yaml")
                || resolved.ends_with(".json")
            {
                resolved
            } else {
                format!("{}.md", resolved.trim_end_matches('/'))
            };
            if !out.contains(&resolved) {
                out.push(resolved);
            }
        }
    }
    out
}

fn parse_yaml(origin: &str, text: &str) -> Result<serde_yaml::Value, String> {
    serde_yaml::from_str(text).map_err(|e| format!("{origin}: the spec does not parse: {e}"))
}

fn is_openapi(v: &serde_yaml::Value) -> bool {
    v.get("openapi").is_some()
}

/// A page's (address, text), or why it could not be read.
type Fetched = Result<(String, String), String>;

/// What a text holds: an OpenAPI document, a page with blocks, or an index
/// (whose pages are then fetched, at most [`IN_FLIGHT`] at once).
async fn recognize(
    http: &reqwest::Client,
    origin: &str,
    text: &str,
    base: Option<&Url>,
    spec_file: &str,
) -> Result<Vec<Doc>, String> {
    let page_blocks = blocks(text);
    if !page_blocks.is_empty() {
        return page_docs(origin, &page_blocks, spec_file);
    }
    if let Ok(v) = serde_yaml::from_str::<serde_yaml::Value>(text) {
        if is_openapi(&v) {
            return Ok(vec![Doc {
                origin: origin.to_string(),
                value: v,
            }]);
        }
    }
    let pages = links(text, base);
    if pages.is_empty() {
        return Err(format!(
            "{origin}: neither an OpenAPI document, nor a doc page with a ```yaml {spec_file} block, nor an index of pages"
        ));
    }
    let bar = progress(pages.len());
    let mut fetched: Vec<(usize, Fetched)> = futures_util::stream::iter(pages.iter().enumerate())
        .map(|(i, page)| {
            let http = http.clone();
            let bar = bar.clone();
            async move {
                let result = match Source::parse(page) {
                    Source::Url(u) => get(&http, &u).await.map(|t| (page.clone(), t)),
                    Source::Path(p) => std::fs::read_to_string(&p)
                        .map(|t| (page.clone(), t))
                        .map_err(|e| format!("{page}: {e}")),
                };
                bar.inc(1);
                (i, result)
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    bar.finish_and_clear();
    fetched.sort_by_key(|(i, _)| *i);
    let mut docs = Vec::new();
    let mut failures = Vec::new();
    for (_, result) in fetched {
        match result.and_then(|(page, text)| {
            let b = blocks(&text);
            page_docs(&page, &b, spec_file)
        }) {
            Ok(d) => docs.extend(d),
            Err(e) => failures.push(e),
        }
    }
    if !failures.is_empty() {
        return Err(format!(
            "{} of {} pages of {origin} failed, so nothing is written:\n  {}",
            failures.len(),
            pages.len(),
            failures.join("\n  ")
        ));
    }
    Ok(docs)
}

/// The documents of a page's blocks that name `spec_file` (others, e.g.
/// another API's, are skipped).
fn page_docs(origin: &str, blocks: &[Block], spec_file: &str) -> Result<Vec<Doc>, String> {
    blocks
        .iter()
        .filter(|b| b.spec_file == spec_file)
        .map(|b| {
            let origin = if b.label.is_empty() {
                origin.to_string()
            } else {
                format!("{origin} ({})", b.label)
            };
            let value = parse_yaml(&origin, &b.body)?;
            if !is_openapi(&value) {
                return Err(format!("{origin}: the block is not an OpenAPI document"));
            }
            Ok(Doc { origin, value })
        })
        .collect()
}

fn progress(len: usize) -> indicatif::ProgressBar {
    if len < 4 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("fetching pages {bar:30} {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_found_with_their_spec_file_and_label() {
        let page = "# T\n\n````yaml openapi/nexus/v1.yaml POST /members\nopenapi: 3.0.0\n```\nnot the end\n```\n````\n\n```yaml other.yaml\na: 1\n```\n```json x\n{}\n```\n";
        let b = blocks(page);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].spec_file, "openapi/nexus/v1.yaml");
        assert_eq!(b[0].label, "POST /members");
        assert_eq!(b[0].body, "openapi: 3.0.0\n```\nnot the end\n```\n");
        assert_eq!(b[1].spec_file, "other.yaml");
    }

    #[test]
    fn index_links_resolve_and_get_md() {
        let base = Url::parse("https://docs.mx.com/llms.txt").unwrap();
        let index = "# MX\n- [Create member](https://docs.mx.com/api-reference/nexus/create-member.md): x\n- [Read](/api-reference/nexus/read-member)\n- [Dup](https://docs.mx.com/api-reference/nexus/create-member.md)\n";
        assert_eq!(
            links(index, Some(&base)),
            [
                "https://docs.mx.com/api-reference/nexus/create-member.md",
                "https://docs.mx.com/api-reference/nexus/read-member.md"
            ]
        );
    }
}
