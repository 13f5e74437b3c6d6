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
    assert!(
        page.contains("<p class=\"admonition-title\">注意</p>"),
        "an alert's title"
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

#[test]
fn check_lists_per_language_the_pages_not_translated_and_the_translations_out_of_date() {
    let site = SiteTest::new("multilingual")
        .check()
        .expect_warning("content/areas/coe.md", Kind::Untranslated)
        .expect_warning("content/timeline.md", Kind::Untranslated)
        .expect_warning("content/areas/iaea.fr.md:3:18", Kind::OutdatedTranslation);
    let warnings = site.succeeded();
    let untranslated: Vec<String> = (warnings.iter())
        .filter(|w| w.kind == Kind::Untranslated)
        .map(|w| {
            format!(
                "{} {}",
                w.location().unwrap(),
                w.message.split(" (").next().unwrap()
            )
        })
        .collect();
    assert_eq!(
        untranslated,
        [
            "content/areas/_index.md not translated into `fr`",
            "content/areas/_index.md not translated into `zh`",
            "content/areas/coe.md not translated into `fr`",
            "content/areas/coe.md not translated into `zh`",
            "content/timeline.md not translated into `fr`",
        ]
    );
    // The Chinese translations record the version they were made from, which is the
    // version there is now.
    let outdated = warnings
        .iter()
        .filter(|w| w.kind == Kind::OutdatedTranslation);
    assert_eq!(outdated.count(), 1, "{warnings}");
}

#[test]
fn new_translate_starts_a_translation_that_check_finds_out_of_date_with_the_lines_changed() {
    let site = SiteTest::new("multilingual");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(&site.root)
            .output()
            .expect("run git");
        assert!(status.status.success(), "git {args:?}: {status:?}");
    };
    let made = site.run(&["new", "--translate", "content/areas/coe.md", "zh"]);
    assert!(made.status.success(), "{made:?}");
    let translation = std::fs::read_to_string(site.root.join("content/areas/coe.zh.md")).unwrap();
    assert!(
        translation.starts_with("---\ntranslated-from: \""),
        "{translation}"
    );
    assert!(translation.contains("title: Centre of Excellence"));
    let again = site.run(&["new", "--translate", "content/areas/coe.md", "zh"]);
    assert!(!again.status.success(), "never overwrites a translation");
    let undeclared = site.run(&["new", "--translate", "content/areas/coe.md", "ko"]);
    let said = String::from_utf8_lossy(&undeclared.stderr);
    assert!(
        said.contains("declare it in book.toml with `[languages.ko]`"),
        "{said}"
    );
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "site"]);
    let source = site.root.join("content/areas/coe.md");
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(
        &source,
        format!("{text}\nIt trains experts from the region.\n"),
    )
    .unwrap();
    let site = site.check();
    let warnings = site.succeeded();
    let outdated = (warnings.iter())
        .find(|w| w.location().as_deref() == Some("content/areas/coe.zh.md:2:18"))
        .unwrap_or_else(|| panic!("{warnings}"));
    assert!(
        outdated
            .message
            .ends_with("content/areas/coe.md changed since it was made (lines 6-7 now)"),
        "{}",
        outdated.message
    );
}
