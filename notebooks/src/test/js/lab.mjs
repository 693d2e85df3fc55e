// Runs one JupyterLab scenario in headless Chromium and prints what it saw as JSON.
//
//   node lab.mjs SCENARIO        (scenarios/SCENARIO.mjs)
//
// Environment (JupyterLab.java sets it):
//   NOTEBENCH_LAB_URL       the server, e.g. http://127.0.0.1:8888 (no trailing slash)
//   NOTEBENCH_LAB_TOKEN     its token
//   NOTEBENCH_CHROMIUM      the browser (Debian's /usr/bin/chromium); puppeteer-core never downloads one
//   NOTEBENCH_LAB_OUT       where screenshots go
//   NOTEBENCH_LAB_ARGS      a JSON object handed to the scenario (optional)
//
// The last line of standard output is one JSON object:
//   {"scenario": ..., "result": <what the scenario returned>, "externalRequests": [...],
//    "pageErrors": [...] (uncaught errors of outputs' scripts), "jupyterLabErrors": [...] (of JupyterLab's own),
//    "consoleErrors": [...], "screenshots": [...], "seconds": ...}
// On failure it prints the error to standard error, saves failure-SCENARIO.png and exits 1.

import {Lab} from './jupyterlab.mjs';
import path from 'node:path';
import fs from 'node:fs';
import {pathToFileURL} from 'node:url';

const name = process.argv[2];
if (!name || !/^[a-z0-9-]+$/.test(name)) {
  console.error('usage: node lab.mjs SCENARIO (a file scenarios/SCENARIO.mjs)');
  process.exit(2);
}
const need = key => {
  const v = process.env[key];
  if (!v) {
    console.error(`lab.mjs: ${key} is not set (JupyterLab.java sets it)`);
    process.exit(2);
  }
  return v;
};
const opts = {url: need('NOTEBENCH_LAB_URL'), token: need('NOTEBENCH_LAB_TOKEN'), chromium: need('NOTEBENCH_CHROMIUM'),
  out: need('NOTEBENCH_LAB_OUT')};
const args = JSON.parse(process.env.NOTEBENCH_LAB_ARGS || '{}');
fs.mkdirSync(opts.out, {recursive: true});

const here = path.dirname(new URL(import.meta.url).pathname);
const scenario = (await import(pathToFileURL(path.join(here, 'scenarios', name + '.mjs')).href)).default;
const t0 = Date.now();
const lab = await Lab.start(opts);
let status = 0;
try {
  const result = await scenario(lab, args);
  console.log(JSON.stringify({scenario: name, result, externalRequests: lab.externalRequests, pageErrors: lab.pageErrors,
    jupyterLabErrors: lab.jupyterLabErrors, consoleErrors: lab.consoleErrors,
    screenshots: lab.screenshots, seconds: (Date.now() - t0) / 1000}));
} catch (e) {
  status = 1;
  console.error(`scenario ${name} failed: ${e.stack || e}`);
  try {
    console.error(`screenshot: ${await lab.screenshot('failure-' + name)}`);
  } catch (shot) {
    console.error(`no screenshot: ${shot}`);
  }
} finally {
  await lab.close();
}
process.exit(status);
