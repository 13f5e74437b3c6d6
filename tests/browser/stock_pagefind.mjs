// Stock Pagefind's index of the given documents: the published `pagefind` package's
// Node API (its own binary, unpatched), fed the pages one by one in the order given.
//
//   node stock_pagefind.mjs DOCUMENTS.json OUTPUT_DIR
//
// DOCUMENTS.json is an array of { "url": ..., "content": ... }.
import { readFile } from "node:fs/promises";
import * as pagefind from "pagefind";

const [documentsPath, outputPath] = process.argv.slice(2);
if (!documentsPath || !outputPath) {
  console.error("usage: stock_pagefind.mjs DOCUMENTS.json OUTPUT_DIR");
  process.exit(2);
}
const documents = JSON.parse(await readFile(documentsPath, "utf8"));
const { index, errors } = await pagefind.createIndex({});
if (!index) throw new Error(`pagefind: ${errors.join("; ")}`);
for (const { url, content } of documents) {
  const added = await index.addHTMLFile({ url, content });
  if (added.errors.length) throw new Error(`${url}: ${added.errors.join("; ")}`);
}
const written = await index.writeFiles({ outputPath });
if (written.errors.length) throw new Error(written.errors.join("; "));
await pagefind.close();
