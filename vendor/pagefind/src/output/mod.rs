use std::path::PathBuf;
use std::time::Duration;

use crate::index::PagefindIndexes;
use crate::{SearchOptions, PAGEFIND_VERSION};
use libdeflater::{CompressionLvl, Compressor};
use futures::future::join_all;
use std::collections::BTreeMap;
use include_dir::{include_dir, Dir};
use minifier::js::minify;
use rayon::prelude::*;
use sha1::{Digest, Sha1};
use tokio::fs::{create_dir_all, File};
use tokio::io::AsyncWriteExt;
use tokio::time::sleep;

mod entry;

const GENERIC_WEB_WASM: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/wasm/pagefind_web_bg.unknown.",
    env!("CARGO_PKG_VERSION"),
    ".wasm.gz"
));
const WEB_WASM_FILES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/vendor/wasm");

const WEB_JS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_web.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const WEB_UI_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_ui.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const WEB_UI_CSS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_ui.",
    env!("CARGO_PKG_VERSION"),
    ".css"
));
const WEB_MODULAR_UI_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_modular_ui.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const WEB_MODULAR_UI_CSS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_modular_ui.",
    env!("CARGO_PKG_VERSION"),
    ".css"
));
const COMPONENT_UI_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_component_ui.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const COMPONENT_UI_CSS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_component_ui.",
    env!("CARGO_PKG_VERSION"),
    ".css"
));
const SEARCH_JS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_public_search_api.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const HIGHLIGHT_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_highlight.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));
const WORKER_JS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/pagefind_worker.",
    env!("CARGO_PKG_VERSION"),
    ".js"
));

pub struct LanguageMeta {
    pub page_count: usize,
    pub language: String,
    pub hash: String,
    pub wasm: Option<String>,
}

pub async fn write_common_to_disk(
    language_indexes: Vec<LanguageMeta>,
    output_playground: bool,
    outdir: &PathBuf,
    options: &SearchOptions,
) {
    write_common(language_indexes, output_playground, outdir, options, false).await;
}

pub async fn write_common_to_memory(
    language_indexes: Vec<LanguageMeta>,
    output_playground: bool,
    outdir: &PathBuf,
    options: &SearchOptions,
) -> Vec<SyntheticFile> {
    write_common(language_indexes, output_playground, outdir, options, true)
        .await
        .unwrap()
}

async fn write_common(
    language_indexes: Vec<LanguageMeta>,
    output_playground: bool,
    outdir: &PathBuf,
    options: &SearchOptions,
    synthetic: bool,
) -> Option<Vec<SyntheticFile>> {
    let js_version = format!("const pagefind_version = \"{PAGEFIND_VERSION}\";");
    let mut js = vec![];
    minify(&format!("{js_version}\n{WEB_JS}\n{SEARCH_JS}"))
        .expect("Minifying Pagefind JS failed")
        .write(&mut js)
        .expect("Writing minified Pagefind JS failed");

    let mut worker_js = vec![];
    minify(&format!(
        "{js_version}\n{WEB_JS}\n{}",
        String::from_utf8_lossy(WORKER_JS)
    ))
    .expect("Minifying Pagefind Worker JS failed")
    .write(&mut worker_js)
    .expect("Writing minified Pagefind Worker JS failed");

    let entry_meta = entry::PagefindEntryMeta {
        version: PAGEFIND_VERSION,
        languages: BTreeMap::from_iter(language_indexes.into_iter().map(|i| {
            (
                i.language,
                entry::PagefindEntryLanguage {
                    hash: i.hash,
                    wasm: i.wasm,
                    page_count: i.page_count,
                },
            )
        })),
        include_characters: options.include_characters.clone(),
    };
    let encoded_entry_meta = serde_json::to_string(&entry_meta).unwrap();

    let write_behavior = if synthetic {
        WriteBehavior::Synthetic
    } else {
        WriteBehavior::Disk
    };

    let mut files = vec![
        pending(
            outdir.join("pagefind.js"),
            vec![&js],
            Compress::None,
            write_behavior,
        ),
        pending(
            outdir.join("pagefind-highlight.js"),
            vec![HIGHLIGHT_JS],
            Compress::None,
            write_behavior,
        ),
        pending(
            outdir.join("pagefind-worker.js"),
            vec![&worker_js],
            Compress::None,
            write_behavior,
        ),
        pending(
            outdir.join("pagefind-ui.js"),
            vec![WEB_UI_JS],
            Compress::None,
            write_behavior,
        ),
        pending(
            outdir.join("pagefind-ui.css"),
            vec![WEB_UI_CSS],
            Compress::None,
            write_behavior,
        ),
        pending(
            outdir.join("pagefind-modular-ui.js"),
            vec![WEB_MODULAR_UI_JS],
            Compress::None,
            write_behavior,
        ),
        pending(
            outdir.join("pagefind-modular-ui.css"),
            vec![WEB_MODULAR_UI_CSS],
            Compress::None,
            write_behavior,
        ),
        pending(
            outdir.join("pagefind-component-ui.js"),
            vec![COMPONENT_UI_JS],
            Compress::None,
            write_behavior,
        ),
        pending(
            outdir.join("pagefind-component-ui.css"),
            vec![COMPONENT_UI_CSS],
            Compress::None,
            write_behavior,
        ),
        pending(
            outdir.join("wasm.unknown.pagefind"),
            vec![GENERIC_WEB_WASM],
            Compress::None,
            write_behavior,
        ),
        pending(
            outdir.join("pagefind-entry.json"),
            vec![encoded_entry_meta.as_bytes()],
            Compress::None,
            write_behavior,
        ),
    ];

    if output_playground {
        files.extend([
            pending(
                outdir.join("playground/index.html"),
                vec![crate::playground::PLAYGROUND_HTML.as_bytes()],
                Compress::None,
                write_behavior,
            ),
            pending(
                outdir.join("playground/pagefind-playground.js"),
                vec![crate::playground::PLAYGROUND_JS.as_bytes()],
                Compress::None,
                write_behavior,
            ),
            pending(
                outdir.join("playground/pagefind-playground.css"),
                vec![crate::playground::PLAYGROUND_CSS.as_bytes()],
                Compress::None,
                write_behavior,
            ),
        ]);
    }

    let output_files = write_all(files, None).await;

    if synthetic {
        Some(output_files)
    } else {
        None
    }
}

impl PagefindIndexes {
    fn lang_wasm_path(&self) -> Option<String> {
        let base_language = self.language.split('-').next().unwrap();
        let wasm_path = format!(
            "pagefind_web_bg.{}.{}.wasm.gz",
            base_language,
            env!("CARGO_PKG_VERSION")
        );

        if WEB_WASM_FILES.contains(&wasm_path) {
            Some(wasm_path)
        } else {
            None
        }
    }

    pub fn get_lang_meta(&self, options: &SearchOptions) -> LanguageMeta {
        let mut wasm_file = None;

        if self.language != "unknown" {
            if self.lang_wasm_path().is_some() {
                wasm_file = Some(self.language.to_string());
            } else {
                options.logger.v_warn(format!(
                    "Note: Pagefind doesn't support stemming for the language {}. \n\
                    Search will still work, but will not match across root words.",
                    self.language
                ));
            }
        }

        LanguageMeta {
            page_count: self.page_count,
            language: self.language.clone(),
            hash: self.meta_index.0.clone(),
            wasm: wasm_file,
        }
    }

    pub async fn write_files_to_disk(&self, options: &SearchOptions, outdir: &PathBuf) {
        self.write_files(options, outdir, false, None).await;
    }

    pub async fn write_files_to_memory(
        &self,
        options: &SearchOptions,
        outdir: &PathBuf,
        gzipped: Option<&Gzipped>,
    ) -> Vec<SyntheticFile> {
        self.write_files(options, outdir, true, gzipped).await.unwrap()
    }

    async fn write_files(
        &self,
        options: &SearchOptions,
        outdir: &PathBuf,
        synthetic: bool,
        gzipped: Option<&Gzipped>,
    ) -> Option<Vec<SyntheticFile>> {
        let immutable_write_behaviour = if synthetic {
            WriteBehavior::Synthetic
        } else {
            WriteBehavior::Immutable
        };

        let mut files = vec![pending(
            outdir.join(format!("pagefind.{}.pf_meta", &self.meta_index.0)),
            vec![&self.meta_index.1],
            Compress::GZBest,
            immutable_write_behaviour,
        )];

        if self.language != "unknown" {
            if let Some(wasm_path) = self.lang_wasm_path() {
                files.push(pending(
                    outdir.join(format!("wasm.{}.pagefind", self.language)),
                    vec![WEB_WASM_FILES
                        .get_file(wasm_path)
                        .expect("WASM should exist")
                        .contents()],
                    Compress::None,
                    if synthetic {
                        WriteBehavior::Synthetic
                    } else {
                        WriteBehavior::Disk
                    },
                ));
            } else {
                options.logger.v_warn(format!(
                    "Note: Pagefind doesn't support stemming for the language {}. \n\
                    Search will still work, but will not match across root words.",
                    self.language
                ));
            }
        }

        files.extend(self.fragments.iter().map(|(hash, fragment)| {
            pending(
                outdir.join(format!("fragment/{}.pf_fragment", hash)),
                vec![fragment.as_bytes()],
                Compress::GZFast,
                immutable_write_behaviour,
            )
        }));

        files.extend(self.word_indexes.iter().map(|(hash, index)| {
            pending(
                outdir.join(format!("index/{}.pf_index", hash)),
                vec![index],
                Compress::GZ,
                immutable_write_behaviour,
            )
        }));

        files.extend(self.filter_indexes.iter().map(|(hash, index)| {
            pending(
                outdir.join(format!("filter/{}.pf_filter", hash)),
                vec![index],
                Compress::GZ,
                immutable_write_behaviour,
            )
        }));

        let output_files = write_all(files, gzipped).await;
        if synthetic {
            Some(output_files)
        } else {
            None
        }
    }
}

#[derive(Copy, Clone)]
enum Compress {
    /// Gzip at libdeflate's level 5, for the word and filter indexes: on the word
    /// indexes of a 10,000-page site, level 6 took a fifth longer for 0.6% fewer
    /// bytes, level 8 four times as long as 5 for 3% fewer, and level 4 saved a sixth
    /// of the time for 3% more.
    GZ,
    /// Gzip at libdeflate's highest level, 12: the page list, one file that every
    /// first search downloads, and that grows with the number of pages.
    GZBest,
    /// Gzip at libdeflate's level 1, for the fragments, each a few kilobytes of a
    /// page's text: on those of a 10,000-page site, levels 2 to 4 took half as long
    /// again for 0.7% to 0.9% fewer bytes, and levels 5 and 6 three quarters longer
    /// for 1.6% fewer.
    GZFast,
    None,
}

#[derive(Copy, Clone)]
enum WriteBehavior {
    Synthetic,
    Immutable,
    Disk,
}

#[derive(Clone)]
pub struct SyntheticFile {
    pub filename: PathBuf,
    pub contents: Vec<u8>,
    /// For a gzipped file, when the caller gave [`Gzipped`] files to reuse: the key of
    /// what was compressed, under which to give the file back next time.
    pub gzip_key: Option<GzipKey>,
}

/// The key of what a gzipped file holds: a SHA-1 of its compression level and content.
pub type GzipKey = [u8; 20];

/// Gzipped files of an earlier index by their [`GzipKey`]: a file whose content was
/// compressed before at the same level is not compressed again.
pub type Gzipped = hashbrown::HashMap<GzipKey, Vec<u8>>;

/// A file to be written, once its contents are compressed.
struct PendingFile<'a> {
    filename: PathBuf,
    content_chunks: Vec<&'a [u8]>,
    compression: Compress,
    write_behavior: WriteBehavior,
}

fn pending(
    filename: PathBuf,
    content_chunks: Vec<&[u8]>,
    compression: Compress,
    write_behavior: WriteBehavior,
) -> PendingFile<'_> {
    PendingFile {
        filename,
        content_chunks,
        compression,
        write_behavior,
    }
}

/// Compresses every file in parallel (gzip is most of the time spent writing an
/// index), or takes it from `gzipped`, then writes them, returning the
/// synthetic ones in order.
async fn write_all(files: Vec<PendingFile<'_>>, gzipped: Option<&Gzipped>) -> Vec<SyntheticFile> {
    let compressed: Vec<_> = files
        .into_par_iter()
        // One file per task: the word indexes, which take longest, come last, and
        // rayon's few halves of the list would leave them all to one core.
        .with_max_len(1)
        .filter(|file| {
            // For "immutable" (hashed) files, don't re-write them as the contents _should_ be unchanged.
            !(matches!(file.write_behavior, WriteBehavior::Immutable) && file.filename.exists())
        })
        .map(|file| {
            let key = gzipped.and_then(|_| gzip_key(&file.content_chunks, file.compression));
            let reused = key.and_then(|key| gzipped?.get(&key).cloned());
            let contents =
                reused.unwrap_or_else(|| compress(&file.content_chunks, file.compression));
            (file.filename, contents, file.write_behavior, key)
        })
        .collect();
    join_all(compressed.into_iter().map(
        |(filename, contents, write_behavior, gzip_key)| {
            write(filename, contents, write_behavior, gzip_key)
        },
    ))
    .await
    .into_iter()
    .flatten()
    .collect()
}

impl Compress {
    fn level(self) -> Option<i32> {
        match self {
            Compress::GZ => Some(5),
            Compress::GZFast => Some(1),
            Compress::GZBest => Some(12),
            Compress::None => None,
        }
    }
}

/// The key of a file to gzip; none for a file left as it is.
fn gzip_key(content_chunks: &[&[u8]], compression: Compress) -> Option<GzipKey> {
    let level = compression.level()?;
    let mut hasher = Sha1::new();
    // The compressor is part of the key: another one writes other bytes.
    hasher.update(b"libdeflate");
    hasher.update([level as u8]);
    for chunk in content_chunks {
        hasher.update(b"pagefind_dcd");
        hasher.update(chunk);
    }
    Some(hasher.finalize().into())
}

fn compress(content_chunks: &[&[u8]], compression: Compress) -> Vec<u8> {
    let Some(level) = compression.level() else {
        return content_chunks.concat();
    };
    // libdeflate compresses a whole buffer at once.
    let signature = b"pagefind_dcd";
    let length = content_chunks.iter().map(|chunk| signature.len() + chunk.len());
    let mut input = Vec::with_capacity(length.sum());
    for chunk in content_chunks {
        input.extend_from_slice(signature);
        input.extend_from_slice(chunk);
    }
    let level = CompressionLvl::new(level).expect("levels from 0 to 12 are libdeflate's");
    let mut compressor = Compressor::new(level);
    let mut gzipped = vec![0; compressor.gzip_compress_bound(input.len())];
    let written = compressor
        .gzip_compress(&input, &mut gzipped)
        .expect("the bound fits what libdeflate writes");
    gzipped.truncate(written);
    gzipped
}

async fn write(
    filename: PathBuf,
    contents: Vec<u8>,
    write_behavior: WriteBehavior,
    gzip_key: Option<GzipKey>,
) -> Option<SyntheticFile> {
    if matches!(write_behavior, WriteBehavior::Synthetic) {
        return Some(SyntheticFile {
            filename,
            contents,
            gzip_key,
        });
    }
    if let Some(parent) = filename.parent() {
        create_dir_all(parent).await.unwrap();
    }

    let mut output_file = File::create(&filename).await;
    while output_file.is_err() {
        sleep(Duration::from_millis(100)).await;
        output_file = File::create(&filename).await;
    }
    let mut file = output_file.unwrap();
    file.write_all(&contents).await.unwrap();
    // `write_all` resolving only means the bytes are in tokio's
    // buffer; the blocking-pool write to disk may still be in
    // flight. Flush before the file drops, or a service-mode
    // consumer can receive the WriteFiles acknowledgement and
    // close the process while a file is half written, shipping
    // a truncated asset.
    file.flush().await.unwrap();
    None
}
