//! What the built-in `figure` needs besides its arguments: its `src` as a link of the
//! page (resolved and checked like a Markdown image's) and the image's width and height,
//! read from the file's header (PNG, JPEG, GIF, WebP…; for SVG its `width`, `height`
//! or `viewBox`), so the page does not shift while the image loads.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use tera::Context;

use super::Page;
use super::args::Value;
use super::find::Call;

/// Puts the placeholder of `src` and the image's size into `context`; explicit `width`
/// and `height` win, and one given alone scales the other.
pub(super) fn prepare(
    call: &Call,
    page: &Page,
    context: &mut Context,
    link: &mut dyn FnMut(&str, Range<usize>) -> String,
) {
    let Some(src) = call.args.iter().find(|a| a.key == "src") else {
        return;
    };
    let Some(dest) = src.value.as_str() else {
        return;
    };
    context.insert("src", &link(dest, src.value_range.clone()));
    let int = |key: &str| {
        call.args
            .iter()
            .find(|a| a.key == key)
            .and_then(|a| match a.value {
                Value::Int(n) => u64::try_from(n).ok(),
                _ => None,
            })
    };
    let read = || file(page, dest).and_then(|path| size(&path));
    let (width, height) = match (int("width"), int("height")) {
        (Some(w), Some(h)) => (w, h),
        (given_w, given_h) => {
            let Some((w, h)) = read() else { return };
            match (given_w, given_h) {
                (Some(gw), None) if w > 0 => (gw, gw * h / w),
                (None, Some(gh)) if h > 0 => (gh * w / h, gh),
                _ => (w, h),
            }
        }
    };
    context.insert("width", &width);
    context.insert("height", &height);
}

/// What the sizes the page's figures read from disk depend on: the path, length and
/// modification time of each image file its `figure` calls name. The Markdown stage is
/// memoised by its input; this is the part of its input that is not the page's text, so
/// a replaced image is measured again even when no page changed.
pub fn images_key(body: &str, page: &Page) -> Vec<u8> {
    let mut key = Vec::new();
    if page.content_dir.is_none() || !body.contains("figure(") {
        return key;
    }
    let calls = super::find(body).calls;
    let sources = calls
        .iter()
        .filter(|call| call.name == "figure")
        .filter_map(|call| call.args.iter().find(|a| a.key == "src"))
        .filter_map(|src| src.value.as_str());
    for path in sources.filter_map(|dest| file(page, dest)) {
        key.extend_from_slice(path.as_os_str().as_encoded_bytes());
        if let Ok(metadata) = std::fs::metadata(&path) {
            key.extend_from_slice(&metadata.len().to_le_bytes());
            let modified = metadata.modified().ok();
            let since = modified.and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok());
            key.extend_from_slice(&since.unwrap_or_default().as_nanos().to_le_bytes());
        }
    }
    key
}

/// The image file `dest` names on `page`, when it is in the content folder.
fn file(page: &Page, dest: &str) -> Option<PathBuf> {
    let content_dir = page.content_dir?;
    let path = dest.split(['#', '?']).next()?;
    let (base, relative) = match path.strip_prefix("@/") {
        Some(rest) => ("", rest),
        None if path.starts_with('/') || path.contains(':') => return None,
        None => (
            page.content_path.rsplit_once('/').map_or("", |(f, _)| f),
            path,
        ),
    };
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for component in Path::new(relative).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(
        parts
            .iter()
            .fold(content_dir.to_path_buf(), |p, part| p.join(part)),
    )
}

/// Width and height of the image at `path`.
fn size(path: &Path) -> Option<(u64, u64)> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        return svg_size(&std::fs::read_to_string(path).ok()?);
    }
    let size = imagesize::size(path).ok()?;
    Some((size.width as u64, size.height as u64))
}

/// An SVG's size from its root element: `width` and `height` in pixels (or unitless),
/// else its `viewBox`.
fn svg_size(svg: &str) -> Option<(u64, u64)> {
    let start = svg.find("<svg")?;
    let tag = &svg[start..start + svg[start..].find('>')?];
    let attribute = |name: &str| {
        let at = tag.find(&format!(" {name}="))? + name.len() + 2;
        let quote = tag[at..].chars().next()?;
        let value = &tag[at + 1..];
        Some(&value[..value.find(quote)?])
    };
    let pixels = |value: &str| -> Option<f64> {
        value
            .trim()
            .trim_end_matches("px")
            .parse()
            .ok()
            .filter(|n: &f64| n.is_finite() && *n > 0.0)
    };
    let sized = attribute("width")
        .and_then(pixels)
        .zip(attribute("height").and_then(pixels));
    let (w, h) = sized.or_else(|| {
        let numbers: Vec<f64> = attribute("viewBox")?
            .split([' ', ','])
            .filter(|n| !n.is_empty())
            .filter_map(|n| n.parse().ok())
            .collect();
        match numbers[..] {
            [_, _, w, h] if w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite() => Some((w, h)),
            _ => None,
        }
    })?;
    Some((w.round() as u64, h.round() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_come_from_width_and_height_else_the_view_box() {
        assert_eq!(
            svg_size(r#"<svg xmlns="x" width="120" height="80px">"#),
            Some((120, 80))
        );
        assert_eq!(
            svg_size(r#"<?xml?><svg viewBox="0 0 300 150.4">"#),
            Some((300, 150))
        );
        assert_eq!(
            svg_size(r#"<svg width="100%" viewBox="0,0,40,20">"#),
            Some((40, 20))
        );
        assert_eq!(svg_size("<svg>"), None);
    }

    #[test]
    fn files_resolve_relative_to_the_page_and_stay_in_the_content_folder() {
        let page = Page {
            content_dir: Some(Path::new("/site/content")),
            content_path: "guide/setup.md",
        };
        assert_eq!(
            file(&page, "img/a.png#x"),
            Some(PathBuf::from("/site/content/guide/img/a.png"))
        );
        assert_eq!(
            file(&page, "@/b.png"),
            Some(PathBuf::from("/site/content/b.png"))
        );
        assert_eq!(file(&page, "../../etc/passwd"), None);
        assert_eq!(file(&page, "https://example.org/a.png"), None);
    }
}
