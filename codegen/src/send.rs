//! Rewrites of each generated builder's `send()` (`syn`):
//!
//! - the request is built by a plain (not `async`) `request()`, which calls
//!   the runtime directly: the operation's wire-table entry is a constant of
//!   the method (no lookup by name), and `Hooks::pre` is a plain function,
//!   not progenitor's `ClientHooks`;
//! - what progenitor adds and the runtime would only replace is not built:
//!   the `api-version` header (the spec's `info.version` is no header MX
//!   documents) and the `Accept: application/json` (the runtime sends the
//!   documented media type);
//! - sending and taking the answer is one generic function of the runtime
//!   (`rt::call`), which `send()` returns: it sends the prepared request
//!   (`Hooks::exec`), takes a status the operation documents and decodes
//!   the answer by its type (JSON, none, a byte stream), and returns the
//!   crate's typed error. The generated module holds no `async` code: what
//!   is compiled per operation is the request's construction, and the
//!   answer's decoding is compiled where a program awaits it.
//!
//! The hook calls are rewritten or the generation fails: a request that
//! skipped them would go out without its credentials; a `send` whose
//! documented statuses are not the operation's fails it too.

use proc_macro2::TokenStream;
use quote::ToTokens;

use crate::wire::WireTable;

/// The generator whose output this rewrite expects (pinned with `=` in
/// `Cargo.toml`; a test keeps the two in step).
pub const GENERATOR: &str = "progenitor 0.15.1 (typify 0.8.0)";

/// Rewrites every builder's `send()` (see the module doc). `Err` names the
/// operation whose generated code does not have the shape rewritten here
/// (a new progenitor).
pub(crate) fn rewrite(
    file: &mut syn::File,
    rt: &TokenStream,
    wire: &WireTable,
) -> Result<Vec<(usize, syn::Type)>, String> {
    let mut answers = Vec::new();
    // Each operation's index in the wire table, by its name.
    let indexes: std::collections::HashMap<&str, usize> = wire
        .operations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.name.as_str(), i))
        .collect();
    for item in crate::rewrite::module_items(file, "builder") {
        let syn::Item::Impl(imp) = item else { continue };
        // The future borrows what the builder borrows (its client).
        let lifetimes: Vec<syn::Lifetime> = imp
            .generics
            .lifetimes()
            .map(|l| l.lifetime.clone())
            .collect();
        let lifetime = lifetimes.first().cloned().ok_or(
            "a generated builder has no lifetime: the pipeline expects the output of progenitor",
        )?;
        let mut added = Vec::new();
        for item in &mut imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            if f.sig.ident != "send" || f.sig.asyncness.is_none() {
                continue;
            }
            let Some(ok) = result_ok_type(&f.sig.output) else {
                continue;
            };
            let index = direct_calls(&mut f.block, rt, wire, &indexes)?;
            answers.push((index, ok.clone()));
            let taken = prepared(&mut f.block, rt, &wire.operations[index])?;
            let docs: Vec<syn::Attribute> = f
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect();
            f.attrs.retain(|a| !a.path().is_ident("doc"));
            f.sig.ident = syn::Ident::new("request", f.sig.ident.span());
            f.sig.asyncness = None;
            f.sig.output =
                syn::parse_quote!(-> ::std::result::Result<#rt::Prepared<#lifetime>, #rt::Failed>);
            f.vis = syn::Visibility::Inherited;
            added.push(syn::parse_quote! {
                #(#docs)*
                #[doc = " Sends the request; every failure is the crate's typed `Error`."]
                pub fn send(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<#ok, #rt::Error>,
                > + use<#(#lifetimes),*> {
                    #rt::call(self.request(), &super::OPERATIONS[#index], &[#(#taken),*])
                }
            });
        }
        imp.items.extend(added);
    }
    Ok(answers)
}

/// The body of one generated `send`, talking to the runtime directly.
/// Returns the index of its operation in the wire table.
fn direct_calls(
    block: &mut syn::Block,
    rt: &TokenStream,
    wire: &WireTable,
    indexes: &std::collections::HashMap<&str, usize>,
) -> Result<usize, String> {
    let name = operation_name(block).ok_or_else(|| {
        format!(
            "a generated `send` names no operation: the pipeline expects the output of {GENERATOR}"
        )
    })?;
    let index = *indexes
        .get(name.as_str())
        .ok_or_else(|| format!("operation `{name}` is not in the wire table"))?;
    let shape_changed = |what: &str| {
        format!("the generated `send` of `{name}` has no single {what} to rewrite: the pipeline expects the output of {GENERATOR}")
    };

    let mut seen = Seen::default();
    let mut stmts = Vec::with_capacity(block.stmts.len());
    for stmt in std::mem::take(&mut block.stmts) {
        match classify(&stmt) {
            Some(Stmt::Info) => {
                seen.info += 1;
                stmts.push(syn::parse_quote!(let op = &super::OPERATIONS[#index];));
            }
            Some(Stmt::Pre) => {
                seen.pre += 1;
                stmts.push(syn::parse_quote!(client.inner.pre(&mut request, op)?;));
            }
            // Sending is the runtime's (`rt::call`), and so is taking the
            // answer (the `post` hook's checks).
            Some(Stmt::Exec) => seen.exec += 1,
            Some(Stmt::Post) => seen.post += 1,
            Some(Stmt::Answer) => seen.answer += 1,
            Some(Stmt::ApiVersion) => {}
            None => stmts.push(stmt),
        }
    }
    block.stmts = stmts;
    for (what, n) in [
        ("`OperationInfo`", seen.info),
        ("`pre` hook call", seen.pre),
        ("`exec` hook call", seen.exec),
        ("`post` hook call", seen.post),
        ("`let response = result?`", seen.answer),
    ] {
        if n != 1 {
            return Err(shape_changed(what));
        }
    }

    let renames = &wire.operations[index].query_renames;
    let mut chain = Chain {
        rt,
        header_map_used: header_map_appended(block),
        renames,
        renamed: 0,
    };
    chain.walk_block(block);
    if chain.renamed != renames.len() {
        return Err(shape_changed(
            "`QueryParam::new` per renamed query parameter",
        ));
    }
    if chain.header_map_used {
        // Allocated at the first header parameter set, not before: an
        // optional one is mostly absent.
        for stmt in &mut block.stmts {
            if let syn::Stmt::Local(l) = stmt {
                if let (syn::Pat::Ident(p), Some(init)) = (&l.pat, &mut l.init) {
                    if p.ident == "header_map" {
                        *init.expr = syn::parse_quote!(::reqwest::header::HeaderMap::new());
                    }
                }
            }
        }
    } else {
        block.stmts.retain(|s| !declares(s, "header_map"));
    }
    if block
        .to_token_stream()
        .to_string()
        .contains("\"api-version\"")
    {
        return Err(shape_changed("`api-version` header"));
    }
    Ok(index)
}

/// The end of `request()`: progenitor's answer `match` (the body's last
/// expression) becomes the prepared request the runtime sends. Answers the
/// statuses the `match` took (each one the operation documents: progenitor
/// takes those of the answer it types, e.g. Atrium's MFA challenges take
/// 200 and leave the documented 204 to the hand-written code).
fn prepared(
    block: &mut syn::Block,
    rt: &TokenStream,
    op: &crate::wire::OperationWire,
) -> Result<Vec<u16>, String> {
    let shape_changed = || {
        format!("the generated `send` of `{}` does not end in its answer's `match` on the status: the pipeline expects the output of {GENERATOR}", op.name)
    };
    let Some(syn::Stmt::Expr(syn::Expr::Match(answer), None)) = block.stmts.last() else {
        return Err(shape_changed());
    };
    let mut statuses = Vec::new();
    for arm in &answer.arms {
        collect_statuses(&arm.pat, &mut statuses).ok_or_else(shape_changed)?;
    }
    if let Some(extra) = statuses.iter().find(|s| !op.success.contains(s)) {
        return Err(format!(
            "the generated `send` of `{}` takes the status {extra}, which the spec does not document as a success ({:?}): the pipeline expects the output of {GENERATOR}",
            op.name, op.success
        ));
    }
    let taken = statuses
        .iter()
        .map(|s| s.parse::<u16>().map_err(|_| shape_changed()))
        .collect::<Result<Vec<u16>, String>>()?;
    block.stmts.pop();
    let tail: syn::Expr = syn::parse_quote!(
        ::std::result::Result::Ok(#rt::Prepared::new(&client.inner, &client.client, request))
    );
    block.stmts.push(syn::Stmt::Expr(tail, None));
    Ok(taken)
}

/// The statuses an arm's pattern names (`200u16`, `200u16 | 202u16`; the
/// wildcard none); `None` for another pattern.
fn collect_statuses(pat: &syn::Pat, out: &mut Vec<String>) -> Option<()> {
    match pat {
        syn::Pat::Wild(_) => Some(()),
        syn::Pat::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        }) => {
            out.push(n.base10_digits().to_string());
            Some(())
        }
        syn::Pat::Or(or) => or.cases.iter().try_for_each(|c| collect_statuses(c, out)),
        _ => None,
    }
}

#[derive(Default)]
struct Seen {
    info: usize,
    pre: usize,
    exec: usize,
    post: usize,
    answer: usize,
}

/// The statements of progenitor's `send` that are rewritten.
enum Stmt {
    /// `let info = OperationInfo { operation_id: "…" };`
    Info,
    /// `client.pre(&mut request, &info).await?;`
    Pre,
    /// `let result = client.exec(request, &info).await;`
    Exec,
    /// `client.post(&result, &info).await?;`
    Post,
    /// `let response = result?;`
    Answer,
    /// `header_map.append(HeaderName::from_static("api-version"), …);`
    ApiVersion,
}

fn classify(stmt: &syn::Stmt) -> Option<Stmt> {
    match stmt {
        syn::Stmt::Local(local) => {
            let init = &local.init.as_ref()?.expr;
            match (&local.pat, &**init) {
                (syn::Pat::Ident(p), syn::Expr::Struct(s))
                    if p.ident == "info" && s.path.is_ident("OperationInfo") =>
                {
                    Some(Stmt::Info)
                }
                (syn::Pat::Ident(p), syn::Expr::Await(a))
                    if p.ident == "result" && is_client_call(&a.base, "exec") =>
                {
                    Some(Stmt::Exec)
                }
                (syn::Pat::Ident(p), syn::Expr::Try(t))
                    if p.ident == "response" && is_path(&t.expr, "result") =>
                {
                    Some(Stmt::Answer)
                }
                _ => None,
            }
        }
        syn::Stmt::Expr(expr, Some(_)) => match expr {
            syn::Expr::Try(t) => match &*t.expr {
                syn::Expr::Await(a) if is_client_call(&a.base, "pre") => Some(Stmt::Pre),
                syn::Expr::Await(a) if is_client_call(&a.base, "post") => Some(Stmt::Post),
                _ => None,
            },
            syn::Expr::MethodCall(m)
                if m.method == "append"
                    && is_path(&m.receiver, "header_map")
                    && m.args.first().is_some_and(|a| {
                        a.to_token_stream().to_string().contains("\"api-version\"")
                    }) =>
            {
                Some(Stmt::ApiVersion)
            }
            _ => None,
        },
        _ => None,
    }
}

/// `client.<method>(…)`.
fn is_client_call(expr: &syn::Expr, method: &str) -> bool {
    matches!(expr, syn::Expr::MethodCall(m) if m.method == method && is_path(&m.receiver, "client"))
}

fn is_path(expr: &syn::Expr, name: &str) -> bool {
    matches!(expr, syn::Expr::Path(p) if p.path.is_ident(name))
}

/// The `operation_id` of the body's `OperationInfo` (the method's name).
fn operation_name(block: &syn::Block) -> Option<String> {
    block.stmts.iter().find_map(|stmt| {
        let syn::Stmt::Local(local) = stmt else {
            return None;
        };
        let syn::Expr::Struct(s) = &*local.init.as_ref()?.expr else {
            return None;
        };
        if !s.path.is_ident("OperationInfo") {
            return None;
        }
        s.fields.iter().find_map(|f| match (&f.member, &f.expr) {
            (
                syn::Member::Named(n),
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }),
            ) if n == "operation_id" => Some(s.value()),
            _ => None,
        })
    })
}

/// Whether anything is still appended to `header_map` (a header
/// parameter of the operation, perhaps inside an `if let`): it is named
/// somewhere besides its `let` and the chain's `.headers(header_map)`.
fn header_map_appended(block: &syn::Block) -> bool {
    let tokens = block.to_token_stream().to_string();
    tokens
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| *w == "header_map")
        .count()
        > 2
}

/// `let [mut] <name> = …;`
fn declares(stmt: &syn::Stmt, name: &str) -> bool {
    matches!(stmt, syn::Stmt::Local(l) if matches!(&l.pat, syn::Pat::Ident(p) if p.ident == name))
}

/// Rewrites inside the request chain and the answer: drops
/// `.header(ACCEPT, …)` and an unused `.headers(header_map)`, sends renamed
/// query parameters under their wire names, and decodes JSON answers
/// through the runtime.
struct Chain<'a> {
    rt: &'a TokenStream,
    header_map_used: bool,
    /// (generated name, wire name) of the operation's renamed query
    /// parameters.
    renames: &'a [(String, String)],
    /// How many `QueryParam::new` names were put back to their wire names.
    renamed: usize,
}

impl Chain<'_> {
    fn drops(&self, m: &syn::ExprMethodCall) -> bool {
        let first = m.args.first();
        match m.method.to_string().as_str() {
            "header" => first.is_some_and(|a| {
                matches!(a, syn::Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "ACCEPT"))
            }),
            "headers" => !self.header_map_used && first.is_some_and(|a| is_path(a, "header_map")),
            _ => false,
        }
    }

    fn walk_block(&mut self, block: &mut syn::Block) {
        for stmt in &mut block.stmts {
            match stmt {
                syn::Stmt::Local(l) => {
                    if let Some(init) = &mut l.init {
                        self.walk(&mut init.expr);
                    }
                }
                syn::Stmt::Expr(e, _) => self.walk(e),
                _ => {}
            }
        }
    }

    /// Rewrites `expr` and the expressions progenitor nests in a request
    /// chain and in the answer's `match` (a rewrite missed here costs a
    /// header the runtime replaces, never a wrong request).
    fn walk(&mut self, expr: &mut syn::Expr) {
        // `a.header(ACCEPT, v)` becomes `a`.
        while matches!(expr, syn::Expr::MethodCall(m) if self.drops(m)) {
            let taken = std::mem::replace(expr, syn::Expr::Verbatim(TokenStream::new()));
            if let syn::Expr::MethodCall(m) = taken {
                *expr = *m.receiver;
            }
        }
        match expr {
            syn::Expr::Call(call) => {
                let from_response = matches!(&*call.func, syn::Expr::Path(p)
                    if p.path.segments.len() == 2
                        && p.path.segments[0].ident == "ResponseValue"
                        && p.path.segments[1].ident == "from_response");
                if from_response {
                    let rt = self.rt;
                    let args = &call.args;
                    *expr = syn::parse_quote!(#rt::json_response(#args));
                }
            }
            syn::Expr::MethodCall(m) => {
                if m.method == "query" {
                    for arg in &mut m.args {
                        self.query_name(arg);
                    }
                }
                self.walk(&mut m.receiver)
            }
            syn::Expr::Try(t) => self.walk(&mut t.expr),
            syn::Expr::Await(a) => self.walk(&mut a.base),
            syn::Expr::Match(m) => {
                for arm in &mut m.arms {
                    self.walk(&mut arm.body);
                }
            }
            syn::Expr::Block(b) => self.walk_block(&mut b.block),
            syn::Expr::Macro(m) if m.mac.path.is_ident("format") => self.path_segments(&mut m.mac),
            _ => {}
        }
    }

    /// In `&QueryParam::new("category_guids", …)`, the name a renamed
    /// parameter was generated under becomes the name it is sent under
    /// (`"category_guid[]"`).
    fn query_name(&mut self, arg: &mut syn::Expr) {
        let syn::Expr::Reference(r) = arg else { return };
        let syn::Expr::Call(call) = &mut *r.expr else {
            return;
        };
        let is_new = matches!(&*call.func, syn::Expr::Path(p)
            if p.path.segments.len() >= 2
                && p.path.segments[p.path.segments.len() - 2].ident == "QueryParam"
                && p.path.segments[p.path.segments.len() - 1].ident == "new");
        if !is_new {
            return;
        }
        let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(name),
            ..
        })) = call.args.first_mut()
        else {
            return;
        };
        if let Some((_, wire)) = self.renames.iter().find(|(g, _)| *g == name.value()) {
            *name = syn::LitStr::new(wire, name.span());
            self.renamed += 1;
        }
    }

    /// In the URL's `format!`, `encode_path(&x.to_string())` becomes
    /// `rt::Segment(&x)`: the same encoding, written into the URL without
    /// the two strings on the way.
    fn path_segments(&mut self, mac: &mut syn::Macro) {
        use syn::punctuated::Punctuated;
        let Ok(mut args) =
            mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
        else {
            return;
        };
        let rt = self.rt;
        for arg in args.iter_mut() {
            if let Some(value) = encoded_path_value(arg) {
                *arg = syn::parse_quote!(#rt::Segment(&#value));
            }
        }
        mac.tokens = args.to_token_stream();
    }
}

/// `x` of `encode_path(&x.to_string())`.
fn encoded_path_value(expr: &syn::Expr) -> Option<syn::Expr> {
    let syn::Expr::Call(call) = expr else {
        return None;
    };
    let is_encode = matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("encode_path"));
    let (true, Some(syn::Expr::Reference(r)), 1) = (is_encode, call.args.first(), call.args.len())
    else {
        return None;
    };
    match &*r.expr {
        syn::Expr::MethodCall(m) if m.method == "to_string" && m.args.is_empty() => {
            Some((*m.receiver).clone())
        }
        _ => None,
    }
}

/// `T` of a `-> Result<T, E>`.
fn result_ok_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(p) = &**ty else {
        return None;
    };
    let last = p.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::OperationWire;

    /// What `GENERATOR` names is what Cargo.toml pins, exactly.
    #[test]
    fn the_generator_named_is_the_one_pinned() {
        let manifest = include_str!("../Cargo.toml");
        for (krate, version) in [("progenitor", "0.15.1"), ("typify", "0.8.0")] {
            assert!(
                GENERATOR.contains(&format!("{krate} {version}")),
                "{GENERATOR}"
            );
            let pinned = format!("\"={version}\"");
            assert!(
                manifest
                    .lines()
                    .any(|l| l.starts_with(&format!("{krate} ")) && l.contains(&pinned)),
                "{krate} is not pinned to ={version} in codegen/Cargo.toml"
            );
        }
    }

    fn table() -> WireTable {
        WireTable {
            operations: vec![OperationWire {
                id: "readUser".into(),
                name: "read_user".into(),
                method: "get".into(),
                path: "/users".into(),
                tags: vec![],
                request_media: None,
                response_media: None,
                security: vec![],
                success: vec!["200".into()],
                errors: vec![],
                paginated: None,
                query_renames: vec![],
            }],
            ..WireTable::default()
        }
    }

    fn file(body: TokenStream) -> syn::File {
        syn::parse_quote! {
            pub mod builder {
                impl<'a> ReadUser<'a> {
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                        #body
                    }
                }
            }
        }
    }

    /// A request that skipped the hooks would go out without credentials:
    /// a generated `send` whose hook calls cannot be found fails the
    /// generation, naming the operation.
    #[test]
    fn a_send_without_its_hook_calls_is_refused() {
        let rt: TokenStream = "::rt".parse().unwrap();
        let complete = quote::quote! {
            let Self { client } = self;
            let mut request = client.client.get(url).build()?;
            let info = OperationInfo { operation_id: "read_user" };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => Ok(ResponseValue::empty(response)),
                _ => Err(Error::UnexpectedResponse(response)),
            }
        };
        let mut ok = file(complete);
        rewrite(&mut ok, &rt, &table()).unwrap();
        let code = ok.to_token_stream().to_string();
        assert!(
            code.contains("client . inner . pre (& mut request , op) ?"),
            "{code}"
        );
        // `request()` prepares the request, `send()` hands it to the
        // runtime with the statuses its answer takes.
        assert!(
            code.contains("fn request (self) -> :: std :: result :: Result < :: rt :: Prepared < 'a > , :: rt :: Failed >"),
            "{code}"
        );
        assert!(
            code.contains(
                ":: rt :: call (self . request () , & super :: OPERATIONS [0usize] , & [200u16])"
            ),
            "{code}"
        );
        assert!(!code.contains("async"), "{code}");

        // A status the spec does not document as a success fails the
        // generation.
        let undocumented = quote::quote! {
            let Self { client } = self;
            let mut request = client.client.get(url).build()?;
            let info = OperationInfo { operation_id: "read_user" };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                201u16 => Ok(ResponseValue::empty(response)),
                _ => Err(Error::UnexpectedResponse(response)),
            }
        };
        let e = rewrite(&mut file(undocumented), &rt, &table())
            .err()
            .unwrap();
        assert!(e.contains("`read_user` takes the status 201"), "{e}");

        let without_pre = quote::quote! {
            let Self { client } = self;
            let mut request = client.client.get(url).build()?;
            let info = OperationInfo { operation_id: "read_user" };
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                _ => Err(Error::UnexpectedResponse(response)),
            }
        };
        let e = rewrite(&mut file(without_pre), &rt, &table())
            .err()
            .unwrap();
        assert!(
            e.contains("`read_user`") && e.contains("`pre` hook call") && e.contains(GENERATOR),
            "{e}"
        );

        let unknown = quote::quote! {
            let info = OperationInfo { operation_id: "delete_everything" };
            client.pre(&mut request, &info).await?;
            match 1 { _ => Err(()) }
        };
        let e = rewrite(&mut file(unknown), &rt, &table()).err().unwrap();
        assert!(
            e.contains("`delete_everything` is not in the wire table"),
            "{e}"
        );
    }
}
