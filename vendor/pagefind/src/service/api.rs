//! The programmatic service interface for integrating Pagefind into another Rust project.
//!
//! # Examples
//!
//! ```
//! use pagefind::api::{PagefindIndex};
//! use pagefind::options::{PagefindServiceConfig};
//!
//! #[tokio::main]
//! async fn main() {
//!     let options = PagefindServiceConfig::builder()
//!         .keep_index_url(true)
//!         .force_language("en".to_string())
//!         .build();
//!     let mut index = PagefindIndex::new(Some(options)).expect("Options should be valid");
//!     let indexing_response = index
//!         .add_html_file(
//!             Some("test/index.html".into()),
//!             None,
//!             "<html><body><h1>Test content</h1></body></html>".into(),
//!         )
//!         .await;
//!
//!     if let Ok(file) = indexing_response {
//!         println!("Page word count: {}", file.page_word_count);
//!         println!("Page URL: {}", file.page_url);
//!     }
//!
//!     let files_response = index.get_files().await;
//!     if let Ok(files) = files_response {
//!         println!("Have {} files to write to disk", files.len());
//!     }
//! }
//! ```

pub use crate::output::{GzipKey, Gzipped, SyntheticFile};

/// The version of Pagefind writing the index, which its files (and the JavaScript that
/// reads them) belong to: a caller keeping an index between runs keys it by this.
pub const VERSION: &str = crate::PAGEFIND_VERSION;
use anyhow::{bail, Result};
use rayon::prelude::*;
use rust_patch::Patch;
use std::{collections::BTreeMap, path::PathBuf, sync::Arc};

use crate::{
    fossick::{parser::DomParserResult, Fossicker},
    index::packed_page::IndexedPage,
    options::PagefindServiceConfig,
    PagefindInboundConfig, SearchOptions, SearchState,
};

#[derive(Debug)]
pub struct IndexedFileResponse {
    pub page_word_count: u32,
    pub page_url: String,
    pub page_meta: BTreeMap<String, String>,
}

impl From<&IndexedPage> for IndexedFileResponse {
    fn from(page: &IndexedPage) -> Self {
        Self {
            page_word_count: page.word_count as u32,
            page_url: page.url.clone(),
            page_meta: page.meta.clone(),
        }
    }
}

/// An HTML file that isn't on disk, for [`PagefindIndex::add_html_files`].
/// Either a source path or a URL must be provided.
#[derive(Debug, Clone)]
pub struct HtmlFile {
    /// The source path of the HTML file if it were to exist on disk.
    pub source_path: Option<String>,
    /// An explicit URL to use, instead of having Pagefind compute the URL based on the `source_path`.
    pub url: Option<String>,
    /// The source HTML content of the file to be parsed.
    pub content: String,
}

pub struct PagefindIndex {
    search_index: Arc<tokio::sync::Mutex<SearchState>>,
}

impl PagefindIndex {
    /// Create a new PagefindIndex instance that files can be added to.
    ///
    /// # Arguments
    /// * `config` - An optional PagefindServiceConfig to override default options for the service.
    ///
    /// # Returns
    /// A PagefindIndex instance if search options are valid, otherwise an Error.
    pub fn new(config: Option<PagefindServiceConfig>) -> Result<Self> {
        let mut service_options: PagefindInboundConfig =
            serde_json::from_str("{}").expect("All fields have serde defaults");

        service_options.service = true;
        if let Some(config) = config {
            service_options = config.apply(service_options);
        }

        let options = SearchOptions::load(service_options)?;
        Ok(Self {
            search_index: Arc::new(tokio::sync::Mutex::new(SearchState::new(options))),
        })
    }

    /// Add an HTML file that isn't on disk into this search index.
    /// Either a filepath or a URL must be provided.
    ///
    /// # Arguments
    /// * `source_path` - The source path of the HTML file if it were to exist on disk.
    /// * `url` - An explicit URL to use, instead of having Pagefind compute the URL based on the `source_path`.
    /// * `content` - The source HTML content of the file to be parsed.
    ///
    /// # Returns
    /// Metadata about the added file if successful, otherwise an Error.
    pub async fn add_html_file(
        &mut self,
        source_path: Option<String>,
        url: Option<String>,
        content: String,
    ) -> Result<IndexedFileResponse> {
        if source_path.is_none() && url.is_none() {
            bail!("Either source_path or url must be provided");
        }

        let file = Fossicker::new_synthetic(source_path.map(PathBuf::from), url, content);
        let state = Arc::clone(&self.search_index);
        tokio::task::spawn_blocking(move || {
            state
                .blocking_lock()
                .fossick_one(file)
                .map(IndexedFileResponse::from)
        })
        .await
        .map_err(|e| anyhow::anyhow!("Task join error: {e}"))?
    }

    /// Add many HTML files that aren't on disk into this search index, parsing them
    /// in parallel. Pages are added in the order given, as if by calling
    /// [`PagefindIndex::add_html_file`] on each in turn.
    ///
    /// # Returns
    /// Metadata about each added file, in the order given, if all were added;
    /// otherwise the first Error (the files before it are added).
    pub async fn add_html_files(&mut self, files: Vec<HtmlFile>) -> Result<Vec<IndexedFileResponse>> {
        if files.iter().any(|f| f.source_path.is_none() && f.url.is_none()) {
            bail!("Either source_path or url must be provided");
        }

        let state = Arc::clone(&self.search_index);
        tokio::task::spawn_blocking(move || {
            let mut state = state.blocking_lock();
            let packed: Vec<Result<IndexedPage>> = files
                .into_par_iter()
                .map(|f| {
                    state.pack(Fossicker::new_synthetic(
                        f.source_path.map(PathBuf::from),
                        f.url,
                        f.content,
                    ))
                })
                .collect();
            packed
                .into_iter()
                .map(|page| Ok(IndexedFileResponse::from(state.insert_page(page?))))
                .collect()
        })
        .await
        .map_err(|e| anyhow::anyhow!("Task join error: {e}"))?
    }

    /// Adds many HTML files as [`PagefindIndex::add_html_files`] does, but a file may
    /// come with the bytes an earlier call returned for it, and is then not parsed
    /// again. Such bytes stand for the very file they were returned for (the same URL
    /// and content) as this version of Pagefind with the same options indexes it: the
    /// caller keys them by all of that. Bytes that hold no page are ignored, and the
    /// file parsed.
    ///
    /// # Returns
    /// For each file parsed, in the order given, the bytes to give back with it next
    /// time; none for a file added from its bytes.
    pub async fn add_html_files_reusing(
        &mut self,
        files: Vec<(HtmlFile, Option<Vec<u8>>)>,
    ) -> Result<Vec<Option<Vec<u8>>>> {
        if files.iter().any(|(f, _)| f.source_path.is_none() && f.url.is_none()) {
            bail!("Either source_path or url must be provided");
        }

        let state = Arc::clone(&self.search_index);
        tokio::task::spawn_blocking(move || {
            let mut state = state.blocking_lock();
            let packed: Vec<Result<(IndexedPage, Option<Vec<u8>>)>> = files
                .into_par_iter()
                .map(|(f, kept)| {
                    if let Some(page) = kept.and_then(|bytes| state.unpack(&bytes)) {
                        return Ok((page, None));
                    }
                    let file = Fossicker::new_synthetic(
                        f.source_path.map(PathBuf::from),
                        f.url,
                        f.content,
                    );
                    state.pack_keeping(file, true)
                })
                .collect();
            packed
                .into_iter()
                .map(|page| {
                    let (page, bytes) = page?;
                    state.insert_page(page);
                    Ok(bytes)
                })
                .collect()
        })
        .await
        .map_err(|e| anyhow::anyhow!("Task join error: {e}"))?
    }

    /// Index a custom record that isn't backed by an HTML file.
    ///
    /// # Arguments
    /// * `url` - The output URL of this record. Pagefind will not alter this.
    /// * `content` - The raw content of this record.
    /// * `language` - What language is this record written in. Expects an ISO 639-1 code.
    /// * `meta` - The metadata to attach to this record. Supplying a `title` is highly recommended.
    /// * `filters` - The filters to attach to this record.
    /// * `sort` - The sort keys to attach to this record.
    ///
    /// # Returns
    /// Metadata about the added record if successful, otherwise an Error.
    pub async fn add_custom_record(
        &mut self,
        url: String,
        content: String,
        language: String,
        meta: Option<BTreeMap<String, String>>,
        filters: Option<BTreeMap<String, Vec<String>>>,
        sort: Option<BTreeMap<String, String>>,
    ) -> Result<IndexedFileResponse> {
        let force_language = self
            .search_index
            .lock()
            .await
            .options
            .force_language
            .clone();
        let data = DomParserResult {
            digest: content,
            filters: filters.unwrap_or_default(),
            sort: sort.unwrap_or_default(),
            meta: meta.unwrap_or_default(),
            anchor_content: BTreeMap::new(),
            anchor_titles: BTreeMap::new(),
            has_custom_body: false,
            force_inclusion: true,
            has_html_element: true,
            has_old_bundle_reference: false,
            has_default_ui_reference: false,
            language: force_language.unwrap_or(language),
        };
        let file = Fossicker::new_with_data(url, data);
        let state = Arc::clone(&self.search_index);
        tokio::task::spawn_blocking(move || {
            state
                .blocking_lock()
                .fossick_one(file)
                .map(IndexedFileResponse::from)
        })
        .await
        .map_err(|e| anyhow::anyhow!("Task join error: {e}"))?
    }

    /// Index a directory of HTML files from disk.
    ///
    /// # Arguments
    /// * `path` - The path to the directory to index.
    /// * `glob` - A glob pattern to match files in the directory. If not provided, the default glob pattern will be used.
    ///
    /// # Returns
    /// The number of pages indexed if successful, otherwise an Error.
    pub async fn add_directory(&mut self, path: String, glob: Option<String>) -> Result<usize> {
        let defaults: PagefindInboundConfig =
            serde_json::from_str("{}").expect("All fields have serde defaults");
        let glob = glob.unwrap_or(defaults.glob);

        let state = Arc::clone(&self.search_index);
        let page_count = tokio::task::spawn_blocking(move || {
            state.blocking_lock().fossick_many(PathBuf::from(path), glob)
        })
        .await
        .map_err(|e| anyhow::anyhow!("Task join error: {e}"))??;

        Ok(page_count)
    }

    /// Build the search index for this instance and hold it in memory.
    pub async fn build_indexes(&mut self) -> Result<()> {
        self.search_index.lock().await.build_indexes().await
    }

    /// Build the search index for this instance and write the files to disk.
    ///
    /// # Arguments
    /// * `output_path` - The path to write the files to. If not provided, the default output path will be used.
    ///
    /// # Returns
    /// The path files were written to if successful, otherwise an Error.
    pub async fn write_files(&mut self, output_path: Option<String>) -> Result<String> {
        let mut state = self.search_index.lock().await;
        state.build_indexes().await?;
        let resolved_output_path = state.write_files(output_path.map(Into::into)).await;

        Ok(resolved_output_path.to_string_lossy().into())
    }

    /// Build the search index for this instance and return the files as a list of
    /// SyntheticFileResponse.
    ///
    /// # Returns
    /// A list of SyntheticFiles containing the path and content of each file.
    pub async fn get_files(&mut self) -> Result<Vec<SyntheticFile>> {
        let mut state = self.search_index.lock().await;
        state.build_indexes().await?;
        Ok(state.get_files().await)
    }

    /// Builds the indexes and returns their files as [`PagefindIndex::get_files`]
    /// does, but takes each gzipped file from `gzipped` (files an earlier call returned,
    /// by their `gzip_key`) where it holds one made from the same content, instead of
    /// compressing it again. Every gzipped file returned has its `gzip_key`.
    pub async fn get_files_reusing(&mut self, gzipped: &Gzipped) -> Result<Vec<SyntheticFile>> {
        let mut state = self.search_index.lock().await;
        state.build_indexes().await?;
        Ok(state.get_files_reusing(Some(gzipped)).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn test_add_file() {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language("en".to_string())
            .build();
        let mut index = PagefindIndex::new(Some(options)).unwrap();
        let file_response = index
            .add_html_file(
                Some("test/index.html".into()),
                None,
                "<html><body><h1>Test content</h1></body></html>".into(),
            )
            .await;

        let file = file_response.expect("Adding a file should succeed");
        assert_eq!(file.page_word_count, 2);
        assert_eq!(file.page_url, "/test/index.html");

        let files_response = index.get_files().await;

        let files = files_response.expect("Getting files should succeed");
        let filenames: Vec<_> = files.into_iter().map(|f| f.filename).collect();
        assert!(filenames.contains(&PathBuf::from("pagefind.js")));
        assert!(filenames.contains(&PathBuf::from("pagefind-ui.js")));
        assert!(filenames.contains(&PathBuf::from("pagefind-ui.css")));
        assert!(filenames.contains(&PathBuf::from("wasm.en.pagefind")));
        assert!(filenames.contains(&PathBuf::from("pagefind-entry.json")));
        assert!(filenames
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".pf_meta")));
        assert!(filenames
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".pf_fragment")));
        assert!(filenames
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".pf_index")));
    }
}
