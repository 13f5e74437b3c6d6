//! The filters Zola's templates use, in a page template written in Zola's style.

use crate::harness::SiteTest;
use folio::diag::Kind;

#[test]
fn a_zola_style_template_renders_every_filter() {
    let site = SiteTest::new("zola_filters").build().expect_success();
    let expected = r#"<main>

<h1>Peer Review &amp; </h1>
<time>01 March 2016 10:00 +02:00</time>
<time>2016-03-01</time>
<time>1970-01-02 00:00</time>
<p>A <em>short</em> look at <a href="/guide/">the guide</a> and <code>code</code>.</p>
<p>A <em>short</em> look at <a href="/guide/">the guide</a> and <code>code</code>.</p>

<p>A long first p...</p>
<a href="/tags/open-science/">Open Science</a>
<a href="/search/?q=Peer%20Review%20%26%20%3CQuality%3E">search</a>
<a href="/a%20b/c%3Fd">file</a>
<script type="application/json">{"path":"/a b/c?d","stamp":86400}</script>
<pre>{
  "path": "/a b/c?d",
  "stamp": 86400
}</pre>

</main>
"#;
    assert_eq!(site.page("/post/"), expected);
}

#[test]
fn a_filter_given_the_wrong_type_is_a_located_template_error() {
    for (template, location) in [
        (
            "<h1>{{ page.title }}</h1>\n<p>{{ page.weight | date }}</p>\n",
            "2:21",
        ),
        ("{{ page.extra | json_encode(pretty=\"yes\") }}\n", "1:4"),
        ("{{ page.title | markdown(inline=1) }}\n", "1:4"),
        ("{{ page.title | date(format=\"%Y %\") }}\n", "1:17"),
    ] {
        SiteTest::empty()
            .file("content/a.md", "---\ntitle: A\n---\n")
            .file("templates/page.html", template)
            .build()
            .expect_error(
                &format!("templates/page.html:{location}"),
                Kind::TemplateRender,
            );
    }
}
