//! Math in a built site: formulas reach the page as MathML, and TeX that does not parse
//! fails the build at the formula.

use folio::diag::Kind;

use crate::harness::SiteTest;

const BOOK: &str = "[book]\ntitle = \"Test\"\n\n[markdown]\nmath = true\n";

#[test]
fn formulas_are_mathml_in_the_page() {
    let site = SiteTest::empty()
        .file("book.toml", BOOK)
        .file(
            "content/_index.md",
            "---\ntitle: Home\n---\nEuler: $e^{i\\pi} = -1$\n\n```math\n\\mathbb{R}\n```\n",
        )
        .build()
        .expect_success();
    let main = site.main("/");
    assert!(
        main.contains(
            "<p>Euler: <math display=\"inline\"><semantics><mrow><msup><mi>e</mi><mrow>\
             <mi>i</mi><mi>π</mi></mrow></msup><mo>=</mo><mi>−</mi><mn>1</mn></mrow>\
             <annotation encoding=\"application/x-tex\">e^{i\\pi} = -1</annotation>\
             </semantics></math></p>"
        ),
        "{main}"
    );
    assert!(
        main.contains(
            "<math display=\"block\"><semantics><mrow><mrow><mi>ℝ</mi></mrow></mrow>\
             <annotation encoding=\"application/x-tex\">\\mathbb{R}</annotation>"
        ),
        "{main}"
    );
}

#[test]
fn invalid_tex_fails_the_build_at_the_formula() {
    SiteTest::empty()
        .file("book.toml", BOOK)
        .file(
            "content/_index.md",
            "---\ntitle: Home\n---\nFine $x$.\n\nBroken: $\\nosuch{x}$\n",
        )
        .build()
        .expect_error("content/_index.md:6:9", Kind::Math)
        .expect_error_count(1);
}

#[test]
fn formulas_survive_on_a_page_with_raw_html() {
    SiteTest::empty()
        .file("book.toml", BOOK)
        .file(
            "content/_index.md",
            "---\ntitle: Home\n---\nPress <kbd>x</kbd> for $\\hat{x}$.\n",
        )
        .build()
        .expect_success()
        .expect_page_contains(
            "/",
            "<p>Press <kbd>x</kbd> for <math display=\"inline\"><semantics><mrow><mover>\
             <mrow><mi>x</mi></mrow><mi>^</mi></mover></mrow>\
             <annotation encoding=\"application/x-tex\">\\hat{x}</annotation></semantics></math>.</p>",
        );
}
