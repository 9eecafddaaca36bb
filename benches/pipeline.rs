//! What generation costs: the whole pipeline (load, normalize, generate,
//! format) on each vendored spec, and on synthetic specs of 10, 100 and
//! 1,000 operations made here, to show it grows linearly.
//!
//! `cargo bench --bench pipeline`; `cargo xtask bench-report` prints the
//! time per operation and t(1000)/t(100).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mx_codegen::{Config, MX_APIS};

/// A spec of `n` operations, each with a path parameter, a query parameter
/// and its own five-field answer schema.
fn synthetic(n: usize) -> String {
    let mut s = String::from(
        "openapi: 3.0.3\ninfo: {title: Synthetic, version: '1'}\nservers: [{url: 'https://example.com'}]\n\
         security: [{key: []}]\npaths:\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "  /things{i}/{{thing_guid}}:\n    get:\n      operationId: read_thing_{i}\n      parameters:\n\
             \x20       - {{name: thing_guid, in: path, required: true, schema: {{type: string}}}}\n\
             \x20       - {{name: page, in: query, schema: {{type: integer}}}}\n\
             \x20     responses:\n        '200':\n          description: OK\n          content:\n\
             \x20           application/vnd.example.v1+json:\n              schema: {{$ref: '#/components/schemas/Thing{i}'}}\n\
             \x20       '404': {{description: Not found}}\n"
        ));
    }
    s.push_str("components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n  schemas:\n");
    for i in 0..n {
        s.push_str(&format!(
            "    Thing{i}:\n      type: object\n      required: [guid]\n      properties:\n\
             \x20       guid: {{type: string}}\n        name: {{type: string}}\n        amount: {{type: number}}\n\
             \x20       count: {{type: integer}}\n        tags: {{type: array, items: {{type: string}}}}\n"
        ));
    }
    s
}

fn pipeline(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::mx_client();

    let mut g = c.benchmark_group("pipeline_vendored");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for mx in MX_APIS {
        let api = mx_codegen::mx_api(mx, Some(root));
        g.bench_function(mx.name, |b| {
            b.iter(|| black_box(config.render_api(&api).unwrap()))
        });
    }
    g.finish();

    let dir: PathBuf = std::env::temp_dir().join(format!("mx-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut g = c.benchmark_group("pipeline_synthetic");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    for n in [10usize, 100, 1000] {
        let path = dir.join(format!("synthetic-{n}.yaml"));
        std::fs::write(&path, synthetic(n)).unwrap();
        // Sanity: the spec generates and has n operations.
        assert_eq!(config.render(&path).unwrap().wire.operations.len(), n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &path, |b, path| {
            b.iter(|| black_box(config.render(path).unwrap()))
        });
    }
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
