//! Multilingual sites: a fixture in English (the default), French and Chinese, where
//! the French translation of one page is out of date and one page is translated into
//! no language.

use folio::diag::Kind;

use crate::harness::SiteTest;

fn built() -> SiteTest {
    SiteTest::new("multilingual").build().expect_success()
}

#[test]
fn each_language_is_served_under_its_code_with_every_page() {
    let site = built();
    for url in [
        "/",
        "/areas/iaea/",
        "/areas/coe/",
        "/timeline/",
        "/tags/agency/",
    ] {
        site.page(url);
    }
    for url in [
        "/fr/",
        "/fr/areas/iaea/",
        "/fr/areas/coe/",
        "/fr/timeline/",
        "/fr/tags/agence/",
    ] {
        site.page(url);
    }
    for url in [
        "/zh/",
        "/zh/areas/iaea/",
        "/zh/areas/coe/",
        "/zh/timeline/",
        "/zh/tags/机构/",
    ] {
        site.page(url);
    }
    assert!(
        site.page("/zh/areas/iaea/")
            .contains("<html lang=\"zh\" dir=\"ltr\">")
    );
    assert!(
        site.page("/fr/areas/iaea/")
            .contains("<html lang=\"fr\" dir=\"ltr\">")
    );
    assert!(site.page("/zh/").contains("<title>核安保笔记</title>"));
    // Links written `@/areas/coe.md` from a Chinese page stay in Chinese.
    assert!(
        site.main("/zh/areas/iaea/")
            .contains("href=\"/zh/areas/coe/\"")
    );
    assert!(site.main("/areas/iaea/").contains("href=\"/areas/coe/\""));
    // One feed and one 404 page per language; one sitemap and robots.txt.
    site.page("/zh/atom.xml");
    site.page("/zh/404.html");
    site.page("/fr/print/");
    assert!(!site.output_path("/zh/sitemap.xml").exists());
}

#[test]
fn a_page_without_a_translation_is_shown_in_the_default_language_with_a_notice() {
    let site = built();
    let main = site.main("/zh/areas/coe/");
    assert!(
        main.contains(
            "<p class=\"fallback-notice\" role=\"note\">本页尚未译成中文，以下为原文。</p>"
        ),
        "{main}"
    );
    assert!(
        main.contains("<h1 lang=\"en\">Centre of Excellence</h1>"),
        "{main}"
    );
    assert!(
        main.contains("<div lang=\"en\"><p>The State Nuclear Security"),
        "{main}"
    );
    assert!(main.contains("Centre of Excellence"));
    let french = site.main("/fr/areas/coe/");
    assert!(
        french.contains("pas encore traduite en français"),
        "{french}"
    );
    // Its links lead on within the reader's language.
    assert!(main.contains("href=\"/zh/areas/iaea/\""), "{main}");
    assert!(!site.main("/zh/areas/iaea/").contains("fallback-notice"));
    assert!(!site.main("/areas/coe/").contains("fallback-notice"));
}

#[test]
fn the_switcher_and_hreflang_lead_to_the_same_page_in_each_language() {
    let site = built();
    let page = site.page("/zh/areas/iaea/");
    for (code, href) in [
        ("en", "/areas/iaea/"),
        ("fr", "/fr/areas/iaea/"),
        ("zh", "/zh/areas/iaea/"),
    ] {
        assert!(
            page.contains(&format!(
                "<link rel=\"alternate\" hreflang=\"{code}\" href=\"{href}\">"
            )),
            "{code} in {page}"
        );
        assert!(
            page.contains(&format!(
                "<a href=\"{href}\" hreflang=\"{code}\" lang=\"{code}\""
            )),
            "{code} in {page}"
        );
    }
    assert!(page.contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"/areas/iaea/\">"));
    assert!(page.contains("data-language=\"zh\" aria-current=\"true\">中文</a>"));
    // A fallback is in the switcher but not an hreflang alternate: it is not in that
    // language.
    let untranslated = site.page("/areas/coe/");
    assert!(untranslated.contains("<a href=\"/zh/areas/coe/\" hreflang=\"zh\""));
    assert!(!untranslated.contains("hreflang=\"zh\" href="));
    let sitemap = site.page("/sitemap.xml");
    assert!(
        sitemap
            .contains("<xhtml:link rel=\"alternate\" hreflang=\"zh\" href=\"/zh/areas/iaea/\"/>")
    );
    assert!(!sitemap.contains("<loc>/zh/areas/coe/</loc>"), "{sitemap}");
}

#[test]
fn dates_on_the_chinese_timeline_are_written_the_chinese_way() {
    let site = built();
    let chinese = site.main("/zh/timeline/");
    assert!(
        chinese.contains("<time datetime=\"2022-03-31\">2022年3月31日</time>"),
        "{chinese}"
    );
    assert!(
        chinese.contains("<time datetime=\"2016-03\">2016年3月</time>"),
        "{chinese}"
    );
    assert!(chinese.contains("经修订的公约生效。"), "{chinese}");
    let english = site.main("/timeline/");
    assert!(
        english.contains("<time datetime=\"2022-03-31\">31 March 2022</time>"),
        "{english}"
    );
    // The French translation of the one dated page has no events: the French site's
    // timeline, the English page shown untranslated, has none to tell.
    let french = site.main("/fr/timeline/");
    assert!(
        french.contains("fallback-notice") && !french.contains("<time"),
        "{french}"
    );
}

#[test]
fn theme_strings_and_relation_titles_are_in_the_reader_s_language() {
    let site = built();
    let page = site.page("/zh/areas/iaea/");
    assert!(page.contains("跳到正文"), "skip link");
    assert!(page.contains("阅读约需 1 分钟"), "reading time");
    assert!(
        page.contains("合作伙伴"),
        "relation title from [languages.zh.relations]"
    );
    assert!(site.page("/fr/areas/iaea/").contains("Aller au contenu"));
}

#[test]
fn a_page_named_for_an_undeclared_language_is_a_located_warning() {
    SiteTest::new("multilingual")
        .file("content/areas/coe.de.md", "# Zentrum\n")
        .build()
        .expect_success()
        .expect_warning("content/areas/coe.de.md:1:1", Kind::UndeclaredLanguage)
        .expect_page("/areas/coe.de/");
}

#[test]
fn a_bad_language_code_or_key_is_an_error_at_its_key() {
    SiteTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"x\"\n[languages.ZH]\nname = \"中文\"\n",
        )
        .build()
        .expect_error("book.toml:3:12", Kind::InvalidConfigValue);
    SiteTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"x\"\n[languages.fr]\nnmae = \"x\"\n",
        )
        .build()
        .expect_error("book.toml:4:1", Kind::UnknownConfigKey)
        .expect_help("did you mean `name`?");
}

#[test]
fn a_language_without_theme_strings_is_a_warning_and_a_missing_key_names_it() {
    SiteTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"x\"\n[languages.ko]\nname = \"한국어\"\n",
        )
        .build()
        .expect_success()
        .expect_warning("book.toml", Kind::MissingThemeString);
    let site = SiteTest::empty()
        .file("i18n/ko.toml", "skip_to_content = \"본문으로\"\n")
        .file(
            "book.toml",
            "[book]\ntitle = \"x\"\n[languages.ko]\nname = \"한국어\"\n",
        )
        .build()
        .expect_success()
        .expect_warning("i18n/ko.toml", Kind::MissingThemeString);
    let warnings = site.succeeded();
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("`on_this_page` has no `ko` translation")),
        "{warnings}"
    );
    assert!(site.page("/ko/").contains("본문으로"));
}
