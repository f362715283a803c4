//! The model's names are the ones progenitor gives: read back from its
//! output, for operation ids that are keywords, start with digits or need
//! case conversion.

use std::collections::BTreeSet;
use std::path::Path;

use syn::visit::Visit;

const IDS: [&str; 9] = [
    "move",
    "type",
    "self",
    "super",
    "crate",
    "123",
    "1st",
    "update-widget",
    "getV2Items",
];

fn spec() -> String {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Names, version: '1'}\ncomponents:\n  securitySchemes:\n    bearerAuth: {type: http, scheme: bearer}\nsecurity: [{bearerAuth: []}]\npaths:\n",
    );
    for (index, id) in IDS.iter().enumerate() {
        text.push_str(&format!(
            "  /op{index}:\n    post:\n      operationId: '{id}'\n      responses:\n        '204': {{description: ok}}\n"
        ));
    }
    text
}

/// Every `OperationInfo { operation_id: "…" }` and every method of `impl Client`.
#[derive(Default)]
struct ReadBack {
    hook_ids: BTreeSet<String>,
    methods: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for ReadBack {
    fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
        if expr.path.is_ident("OperationInfo") {
            for field in &expr.fields {
                if let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(id),
                    ..
                }) = &field.expr
                {
                    self.hook_ids.insert(id.value());
                }
            }
        }
        syn::visit::visit_expr_struct(self, expr);
    }

    fn visit_item_impl(&mut self, block: &'ast syn::ItemImpl) {
        let is_client = matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if block.trait_.is_none() && is_client {
            for item in &block.items {
                if let syn::ImplItem::Fn(method) = item
                    && method.sig.receiver().is_some()
                {
                    self.methods.insert(method.sig.ident.to_string());
                }
            }
        }
        syn::visit::visit_item_impl(self, block);
    }
}

#[test]
fn operation_names_match_progenitors() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("names.yaml");
    std::fs::write(&path, spec()).expect("write the spec");

    let loaded = generator::load(&path).expect("loads");
    let api = generator::model(generator::validate(generator::normalize(loaded).unwrap()).unwrap());
    let modelled: BTreeSet<String> = api
        .operations
        .iter()
        .map(|o| o.method_name.clone())
        .collect();
    assert_eq!(modelled.len(), IDS.len());

    let generated = generator::generate(Path::new(&path)).expect("generates");
    let lib = &generated
        .files
        .iter()
        .find(|f| f.path == Path::new("src/lib.rs"))
        .expect("a lib.rs")
        .contents;
    let mut read_back = ReadBack::default();
    read_back.visit_file(&syn::parse_file(lib).expect("lib.rs parses"));
    assert_eq!(read_back.methods, modelled, "progenitor's method names");
    assert_eq!(
        read_back.hook_ids, modelled,
        "the ids progenitor's hooks see"
    );
}
