//! The classes highlighted code is written with: one short class per colour of the
//! theme pair, named after Chroma's and Pygments' token classes (`k` keyword, `s`
//! string, `c` comment…), plus `gs`/`ge`/`gu` for bold, italic and underline. Text in
//! the block's own colour (most punctuation, identifiers) gets no span at all.
//!
//! Tokens are classified by resolving their scopes against the light theme and looking
//! the colour up; each class's colour in either palette is the colour that theme gives
//! the class's representative scope. This holds because the light and dark themes are a
//! pair with the same rules in different colours (a test checks every rule). One flat
//! span per run of same-coloured text keeps a 15-line block near 2 KB of HTML, where
//! one span per scope atom, nested and reopened on every line, took about 14 KB.

use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};
use syntect::parsing::Scope;

/// A colour class: its name and a scope that every rule of that colour shares the
/// colour of in the theme pair.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColourClass {
    pub(crate) name: &'static str,
    pub(crate) scope: &'static str,
}

pub(crate) const COLOUR_CLASSES: [ColourClass; 10] = [
    ColourClass {
        name: "c",
        scope: "comment",
    },
    ColourClass {
        name: "s",
        scope: "string",
    },
    ColourClass {
        name: "k",
        scope: "keyword",
    },
    ColourClass {
        name: "m",
        scope: "constant.numeric",
    },
    ColourClass {
        name: "nf",
        scope: "entity.name.function",
    },
    ColourClass {
        name: "nc",
        scope: "entity.name.type",
    },
    ColourClass {
        name: "nt",
        scope: "entity.name.tag",
    },
    ColourClass {
        name: "nb",
        scope: "support.function",
    },
    ColourClass {
        name: "py",
        scope: "support.type.vendored.property-name",
    },
    ColourClass {
        name: "err",
        scope: "invalid",
    },
];

/// Font styles, their classes in the order they are written, and their CSS.
pub(crate) const FONT_CLASSES: [(FontStyle, &str, &str); 3] = [
    (FontStyle::BOLD, "gs", "font-weight: bold"),
    (FontStyle::ITALIC, "ge", "font-style: italic"),
    (FontStyle::UNDERLINE, "gu", "text-decoration: underline"),
];

/// What a run of text is written as: a colour class (an index into
/// [`COLOUR_CLASSES`]) and font styles. The default is plain text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TokenClass {
    colour: Option<u8>,
    font: FontStyle,
}

impl TokenClass {
    pub(crate) fn is_plain(self) -> bool {
        self.colour.is_none() && self.font.is_empty()
    }

    /// Whether whitespace looks the same inside this class as outside it.
    pub(crate) fn hides_whitespace(self) -> bool {
        !self.font.contains(FontStyle::UNDERLINE)
    }

    /// The `class` attribute's value, e.g. `k` or `nc gs`.
    pub(crate) fn push_attribute(self, out: &mut String) {
        let mut names = self
            .colour
            .map(|index| COLOUR_CLASSES[usize::from(index)].name)
            .into_iter()
            .chain(
                FONT_CLASSES
                    .iter()
                    .filter(|(style, ..)| self.font.contains(*style))
                    .map(|(_, name, _)| *name),
            );
        if let Some(first) = names.next() {
            out.push_str(first);
        }
        for name in names {
            out.push(' ');
            out.push_str(name);
        }
    }
}

/// Maps the light theme's resolved styles to classes.
#[derive(Debug)]
pub(crate) struct Classifier {
    default_colour: Option<Color>,
    colours: Vec<Option<Color>>,
}

impl Classifier {
    pub(crate) fn new(light: &Theme) -> Self {
        let highlighter = Highlighter::new(light);
        Self {
            default_colour: light.settings.foreground,
            colours: COLOUR_CLASSES
                .iter()
                .map(|class| colour_of(&highlighter, class.scope))
                .collect(),
        }
    }

    pub(crate) fn classify(&self, style: Style) -> TokenClass {
        let colour = Some(style.foreground)
            .filter(|colour| Some(*colour) != self.default_colour)
            .and_then(|colour| self.colours.iter().position(|c| *c == Some(colour)))
            .and_then(|index| u8::try_from(index).ok());
        TokenClass {
            colour,
            font: style.font_style,
        }
    }
}

/// The foreground a theme gives `scope`, if it is a valid scope name.
pub(crate) fn colour_of(highlighter: &Highlighter<'_>, scope: &str) -> Option<Color> {
    let scope = Scope::new(scope).ok()?;
    Some(highlighter.style_for_stack(&[scope]).foreground)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::stylesheet::{DARK, LIGHT};

    #[test]
    fn every_rule_of_the_theme_pair_maps_to_a_class_of_its_colour() {
        let themes = two_face::theme::extra();
        let (light, dark) = (themes.get(LIGHT), themes.get(DARK));
        let classifier = Classifier::new(light);
        let (light_highlighter, dark_highlighter) =
            (Highlighter::new(light), Highlighter::new(dark));
        assert_eq!(light.scopes.len(), dark.scopes.len());
        for (light_rule, dark_rule) in light.scopes.iter().zip(&dark.scopes) {
            assert_eq!(light_rule.scope, dark_rule.scope, "the themes are a pair");
            let Some(light_colour) = light_rule.style.foreground else {
                continue;
            };
            if Some(light_colour) == light.settings.foreground {
                // Written as plain text, in each palette's text colour.
                assert_eq!(dark_rule.style.foreground, dark.settings.foreground);
                continue;
            }
            let class = classifier.classify(Style {
                foreground: light_colour,
                ..Style::default()
            });
            let index = usize::from(
                class
                    .colour
                    .unwrap_or_else(|| panic!("{:?} has a colour no class has", light_rule.scope)),
            );
            let scope = COLOUR_CLASSES[index].scope;
            assert_eq!(
                colour_of(&dark_highlighter, scope),
                dark_rule.style.foreground,
                "{:?} is dark-coloured unlike its class {scope}",
                light_rule.scope
            );
            assert_eq!(colour_of(&light_highlighter, scope), Some(light_colour));
        }
    }

    #[test]
    fn classes_have_distinct_colours() {
        let classifier = Classifier::new(two_face::theme::extra().get(LIGHT));
        for (index, colour) in classifier.colours.iter().enumerate() {
            assert!(colour.is_some());
            assert_ne!(*colour, classifier.default_colour);
            assert!(!classifier.colours[..index].contains(colour), "{index}");
        }
    }

    #[test]
    fn attributes_join_colour_and_font_classes() {
        let mut out = String::new();
        let class = TokenClass {
            colour: Some(5),
            font: FontStyle::BOLD | FontStyle::ITALIC,
        };
        class.push_attribute(&mut out);
        assert_eq!(out, "nc gs ge");
        assert!(TokenClass::default().is_plain());
        assert!(!class.is_plain());
    }
}
