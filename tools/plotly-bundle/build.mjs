// Builds the partial plotly.js bundles in ../../assets/: plotly.js with only the trace types our
// figures draw, for the dashboard and every exported page (see README.md beside this file).
//
//   npm ci --ignore-scripts && node build.mjs
//
// The plotly.js version is pinned in package.json to the one our plotly Python package ships;
// this script refuses to build when they differ, and the tests check the committed file.

import { execFileSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import * as esbuild from "esbuild";

// File name -> trace types. scatter is always in: plotly.js's core registers it (and every
// component: legend, annotations, shapes, error bars, update menus, ...). A type missing from a
// bundle is silently drawn as scatter, so tests/test_plotly_bundle.py checks that every type a
// figure builder produces is in plotly-custom.min.js (the dashboard's, and the export's default).
// plotly-custom-basic.min.js is 0.55 MB lighter: an exported chart page that draws only
// scatter and bar traces embeds it instead.
const BUNDLES = {
  "plotly-custom.min.js": ["bar", "scattergeo", "scattergl"],
  "plotly-custom-basic.min.js": ["bar"],
};

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const require = createRequire(import.meta.url);
const plotlyDir = dirname(require.resolve("plotly.js/package.json"));
const version = JSON.parse(readFileSync(join(plotlyDir, "package.json"), "utf8")).version;

// The version the plotly Python package ships (the header of its package_data/plotly.min.js).
function pythonPlotlyJsVersion() {
  const candidates = [process.env.PYTHON, join(root, ".venv", "bin", "python"), "python3"].filter(Boolean);
  const code = "import plotly.offline as o; print(o.get_plotlyjs_version())";
  for (const python of candidates) {
    try {
      return execFileSync(python, ["-c", code], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      // not this one: try the next interpreter
    }
  }
  return null;
}

const wanted = pythonPlotlyJsVersion();
if (wanted === null) {
  console.error("cannot find a Python with plotly installed; set PYTHON=/path/to/python");
  process.exit(1);
}
if (wanted !== version) {
  console.error(`plotly (Python) ships plotly.js ${wanted} but package.json pins ${version}: ` +
    `set "plotly.js": "${wanted}" in package.json, run npm install, then build again`);
  process.exit(1);
}

// plotly.js's own licence header, as in its dist bundles (the copyright line stays theirs)
const licence = readFileSync(join(plotlyDir, "dist", "plotly.min.js"), "utf8").match(/^\/\*\*\n\* plotly\.js v[^\n]*\n((?:\*[^\n]*\n)*?)\*\//);
if (!licence) {
  console.error("cannot read the licence header of plotly.js/dist/plotly.min.js");
  process.exit(1);
}

async function build(name, traces) {
  const out = join(root, "assets", name);
  const all = ["scatter", ...traces].sort();
  const entry = [
    'var Plotly = require("plotly.js/lib/core");',
    `Plotly.register([${traces.map((t) => `require("plotly.js/lib/${t}")`).join(", ")}]);`,
    "module.exports = Plotly;",
  ].join("\n");
  // the same header and wrapper as plotly.js's own dist bundles: the licence, then window.Plotly
  const banner = `/**
* plotly.js (${all.join(", ")} - minified) v${version}
${licence[1]}*/
(
 function(root, factory) {
  if (typeof module === "object" && module.exports) {
   module.exports = factory();
  } else {
   root.moduleName = factory();
  }
} (typeof self !== "undefined" ? self : this, () => {
"use strict";`;
  const footer = `
window.Plotly = Plotly;
return Plotly;
}));`;

  await esbuild.build({
    stdin: { contents: entry, resolveDir: here, sourcefile: "plotly-custom-entry.js", loader: "js" },
    outfile: out,
    bundle: true,
    minify: true,
    format: "iife",
    globalName: "Plotly",
    target: "es2016",
    // as plotly.js's esbuild-config.js (its 'buffer' and regl aliases). The MapLibre CSS is only
    // required when a map trace is registered (src/registry.js), and none is: it is left out
    // rather than written beside the bundle.
    alias: { regl: "@plotly/regl" },
    define: { global: "window", "define.amd": "false", "process.env.NODE_DEBUG": "false" },
    loader: { ".css": "empty" },
    legalComments: "eof",
    banner: { js: banner },
    footer: { js: footer },
    logLevel: "warning",
  });
  const bytes = readFileSync(out);
  console.log(`${relative(root, out)}: plotly.js ${version} with ${all.join(", ")}: ` +
    `${statSync(out).size} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`);
}

for (const [name, traces] of Object.entries(BUNDLES)) {
  await build(name, traces);
}
