// Page helpers for driving a real JupyterLab 4 in Debian's headless Chromium with puppeteer-core:
// open a notebook, run it, click what a person clicks, and read what they see (outputs, plotly's
// data and layout, progress bars, widgets). Scenarios (scenarios/*.mjs) are written with these;
// README.md beside this file says how to add one.
//
// Actions go through the UI as a person uses it: menus, the notebook toolbar, real mouse clicks
// and key presses. Reading goes through the DOM and the objects a page holds (plotly keeps its
// data on the plot's element). The one use of JupyterLab's own API is knowing when the kernel
// is idle, which the page shows as a circle too small to read reliably.

import puppeteer from 'puppeteer-core';
import fs from 'node:fs';
import path from 'node:path';

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Calls `read` every `pollMs` until `test` passes on what it returned, and returns that; `test`
 * may throw to give up early. After `timeoutMs` fails naming `what` and the last value seen.
 */
export async function poll(what, read, test, {timeoutMs = 60_000, pollMs = 50} = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const last = await read();
    if (test(last)) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await sleep(pollMs);
  }
}

/**
 * In-page helpers, installed in every document the browser opens (window.__nb). They are plain
 * functions of the DOM so that a scenario can call them in page.waitForFunction and friends.
 */
function inPage() {
  const codeCells = () => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell.jp-CodeCell')];
  const cell = i => {
    const c = codeCells()[i];
    if (!c) throw new Error(`no code cell ${i}: the notebook has ${codeCells().length}`);
    return c;
  };
  const outputNodes = i => [...cell(i).querySelectorAll(':scope .jp-OutputArea-child')];
  const plotIn = i => cell(i).querySelector('.js-plotly-plot');
  window.__nb = {
    codeCells: () => codeCells().length,
    /** The prompt's text: '[ ]:', '[*]:' while it runs, '[3]:' once run. */
    prompt: i => (cell(i).querySelector('.jp-InputPrompt')?.textContent ?? '').trim(),
    running: i => window.__nb.prompt(i).includes('*'),
    ran: i => /\[\d+\]/.test(window.__nb.prompt(i)),
    source: i => cell(i).querySelector('.cm-content')?.textContent ?? '',
    /** The code cell whose source contains a text, or -1. */
    find: text => codeCells().findIndex(c => (c.querySelector('.cm-content')?.textContent ?? '').includes(text)),
    /** The cell's outputs as a person reads them: MIME type, text, and whether it shows nothing. */
    outputs: i => outputNodes(i).map(o => {
      const out = o.querySelector('.jp-OutputArea-output');
      return {
        mime: out?.getAttribute('data-mime-type') ?? '',
        text: (out?.innerText ?? '').trim(),
        error: !!o.querySelector('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')
          || !!out?.matches('[data-mime-type="application/vnd.jupyter.error"]') || !!o.querySelector('.jp-mod-error'),
      };
    }),
    /** The output that holds the plot and the one that holds the progress bar, by position. */
    outputIndex: (i, selector) => outputNodes(i).findIndex(o => o.querySelector(selector)),
    /**
     * What plotly holds for the first figure in a cell: every trace with its axes and point
     * count, and every axis of the full layout with its domain, anchor and the title the figure
     * gave it; null when none drew.
     */
    plotly: i => {
      const gd = plotIn(i);
      if (!gd || !gd.data || !gd._fullLayout) return null;
      const fl = gd._fullLayout;
      const axes = {};
      for (const k of Object.keys(fl).filter(k => /^[xy]axis\d*$/.test(k)).sort()) {
        // the title the figure gives (the full layout holds plotly's placeholder where it gives none)
        const given = gd.layout?.[k]?.title;
        axes[k] = {domain: fl[k].domain, anchor: fl[k].anchor, title: typeof given === 'string' ? given : (given?.text ?? '')};
      }
      return {
        id: gd.id,
        title: fl.title?.text ?? '',
        height: fl.height,
        traces: gd.data.map(t => ({name: t.name ?? '', xaxis: t.xaxis || 'x', yaxis: t.yaxis || 'y', mode: t.mode ?? '',
          points: (t.x || []).length, lastX: (t.x || []).length ? t.x[t.x.length - 1] : null})),
        axes,
        points: gd.data.reduce((n, t) => n + (t.x || []).length, 0),
      };
    },
    /** An HTML progress bar in a cell: its value (0..1) and the text beside it; null when none. */
    progress: i => {
      const bar = cell(i).querySelector('progress');
      if (!bar) return null;
      const box = bar.parentElement;
      return {value: bar.hasAttribute('value') ? Number(bar.value) / Number(bar.max || 1) : null, text: (box?.textContent ?? '').trim()};
    },
    /**
     * The widgets drawn in a cell's outputs (or in the element of the cell that `within` selects),
     * in page order, as a person reads them: sliders with their description and readout, buttons
     * with their text, whether they are enabled and their style (mod-danger, mod-primary), labels,
     * text boxes with their value, output areas with their text; null when `within` matches nothing.
     */
    widgets: (i, within = '') => {
      const root = within ? cell(i).querySelector(within) : cell(i);
      if (!root) return null;
      const description = w => w.querySelector(':scope > .widget-label')?.textContent.trim() ?? '';
      return [...root.querySelectorAll('.widget-slider, button.jupyter-button, div.widget-label, .widget-text, .widget-textarea, .widget-output')]
        .map(w => {
          if (w.matches('.widget-slider')) return {kind: 'slider', description: description(w), readout: w.querySelector('.widget-readout')?.textContent.trim() ?? ''};
          if (w.matches('button')) return {kind: 'button', text: w.textContent.trim(), enabled: !w.disabled, style: [...w.classList].filter(c => c.startsWith('mod-')).join(' ')};
          if (w.matches('div.widget-label')) return {kind: 'label', text: w.textContent.trim()};
          if (w.matches('.widget-text, .widget-textarea')) return {kind: w.matches('.widget-textarea') ? 'textarea' : 'text', description: description(w), value: w.querySelector('input, textarea')?.value ?? ''};
          // innerText is what a person reads; textContent keeps every space of a generated text
          return {kind: 'output', text: w.innerText.trim(), textContent: w.textContent};
        });
    },
    /** Tags an element so that a later look can tell the same node from a new one. */
    mark: (i, selector, tag) => {
      const el = selector === 'plot' ? plotIn(i) : cell(i).querySelector(selector);
      if (!el) return false;
      el.__notebenchMark = tag;
      return true;
    },
    marked: (i, selector, tag) => {
      const el = selector === 'plot' ? plotIn(i) : cell(i).querySelector(selector);
      return !!el && el.__notebenchMark === tag;
    },
    kernelStatus: () => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator')
      ?.getAttribute('data-status') ?? '',
    dirty: () => !!document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty'),
    /** When the last primary mouse button went down (performance.now()), to time what a click started. */
    lastMouseDown: () => window.__nbMouseDown ?? null,
  };
  document.addEventListener('mousedown', e => { if (e.button === 0) window.__nbMouseDown = performance.now(); }, true);
}

/** A browser with JupyterLab's page open; everything a scenario needs hangs off it. */
export class Lab {
  /**
   * Starts Chromium (headless, no host name resolves except the loopback address) and opens JupyterLab.
   *
   * @param {{url: string, token: string, chromium: string, out: string}} opts the server's base URL,
   *     its token, the Chromium executable and the folder for screenshots
   */
  static async start(opts) {
    const profile = fs.mkdtempSync(path.join(opts.out, '.chromium-'));
    const browser = await puppeteer.launch({
      executablePath: opts.chromium,
      headless: true,
      userDataDir: profile,
      defaultViewport: {width: 1280, height: 1000},
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-sync',
        '--disable-background-networking', '--disable-component-update', '--disable-quic',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
    });
    const page = await browser.newPage();
    const lab = new Lab(browser, page, opts, profile);
    await page.evaluateOnNewDocument(inPage);
    page.on('request', r => {
      const u = new URL(r.url());
      if (!['data:', 'blob:', 'about:'].includes(u.protocol) && u.hostname !== '127.0.0.1') lab.externalRequests.push(r.url());
    });
    // the kernel's answers to a widgets manager's request for every widget's state, read off the
    // page's kernel websockets (binary frames in JupyterLab 4's protocol, text in the older one)
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketFrameReceived', ({response}) => {
      const text = response.opcode === 2 ? Buffer.from(response.payloadData, 'base64').toString('utf8') : response.payloadData;
      if (/"method":\s*"update_states"/.test(text)) lab.widgetStateReplies++;
    });
    page.on('console', m => { if (m.type() === 'error') lab.consoleErrors.push(m.text()); });
    page.on('pageerror', e => {
      const lines = String(e.stack || e).split('\n');
      // thrown by JupyterLab's own bundles (its debugger panel throws for kernels without a debugger)
      const own = /\/static\/lab\/|\/lab\/extensions\//.test(lines[1] ?? '');
      (own ? lab.jupyterLabErrors : lab.pageErrors).push(lines.slice(0, 3).join(' | '));
    });
    return lab;
  }

  constructor(browser, page, opts, profile) {
    this.browser = browser;
    this.page = page;
    this.opts = opts;
    this.profile = profile;
    /** Requests for anything but the JupyterLab server: JupyterLab must not reach out. */
    this.externalRequests = [];
    /** Uncaught errors of scripts that are not JupyterLab's: an output's, a widget's. */
    this.pageErrors = [];
    /** Uncaught errors thrown by JupyterLab's own code. */
    this.jupyterLabErrors = [];
    /** What the page logged as errors (JupyterLab's own included, e.g. its debugger's). */
    this.consoleErrors = [];
    this.screenshots = [];
    /** How many times the kernel answered a widgets manager's request_states (update_states) on this page. */
    this.widgetStateReplies = 0;
  }

  /**
   * Opens a notebook (a path relative to the server's root) as a person does from a link, waits
   * until its cells are drawn and, unless told there is none, until its kernel is idle.
   */
  async openNotebook(notebook, {kernel = true, widgets = false, timeoutMs = 120_000} = {}) {
    // reset: a fresh workspace, not the tabs an earlier scenario left open on this server
    const url = `${this.opts.url}/lab/tree/${notebook.split('/').map(encodeURIComponent).join('/')}?reset&token=${this.opts.token}`;
    const t0 = Date.now();
    const repliesBefore = this.widgetStateReplies;
    await this.page.goto(url, {waitUntil: 'domcontentloaded', timeout: timeoutMs});
    await this.page.waitForSelector('.jp-NotebookPanel .jp-Notebook .jp-Cell', {timeout: timeoutMs});
    const nb = new Notebook(this, notebook);
    await nb.hideSidebar();
    if (kernel) await nb.waitIdle(timeoutMs - (Date.now() - t0));
    if (widgets) {
      // the kernel draws widgets only once a widgets manager announced itself (it asks for every
      // widget's state on connecting); a cell run before that shows its widgets as text
      await poll('the kernel to answer the widgets manager of the page (update_states)', () => this.widgetStateReplies,
        n => n > repliesBefore, {timeoutMs: timeoutMs - (Date.now() - t0), pollMs: 50});
    }
    return nb;
  }

  /** Saves a PNG of what the page shows now, under the output folder; returns its path. */
  async screenshot(name, {fullPage = false} = {}) {
    const file = path.join(this.opts.out, name.endsWith('.png') ? name : name + '.png');
    await this.page.screenshot({path: file, fullPage});
    this.screenshots.push(file);
    return file;
  }

  /** Presses a key or chord, e.g. 'Escape' or 'Control+s'. */
  async press(chord) {
    const keys = chord.split('+');
    for (const k of keys.slice(0, -1)) await this.page.keyboard.down(k);
    await this.page.keyboard.press(keys[keys.length - 1]);
    for (const k of keys.slice(0, -1).reverse()) await this.page.keyboard.up(k);
  }

  /**
   * Answers an open dialog by clicking its button with this label (e.g. 'Select', 'Cancel');
   * optionally picks an entry of its drop-down first. Returns the dialog's text, or null when none is open.
   */
  async answerDialog(button, {choose} = {}) {
    const dialog = await this.page.$('.jp-Dialog');
    if (!dialog) return null;
    const text = await dialog.evaluate(d => d.innerText);
    if (choose !== undefined) {
      await this.page.evaluate(label => {
        const select = document.querySelector('.jp-Dialog select');
        const option = [...(select?.options ?? [])].find(o => o.textContent.trim() === label);
        if (!option) throw new Error(`the dialog offers no '${label}'`);
        select.value = option.value;
        select.dispatchEvent(new Event('change', {bubbles: true}));
      }, choose);
    }
    const buttons = await this.page.$$('.jp-Dialog-footer button');
    for (const b of buttons) {
      if ((await b.evaluate(e => e.textContent.trim())) === button) {
        await b.click();
        await this.page.waitForSelector('.jp-Dialog', {hidden: true, timeout: 10_000});
        return text;
      }
    }
    throw new Error(`the dialog has no button '${button}': ${text}`);
  }

  async close() {
    await this.browser.close();
    fs.rmSync(this.profile, {recursive: true, force: true});
  }
}

/** The notebook open in the main area; code cells are numbered from 0, as in the .ipynb's code cells. */
export class Notebook {
  constructor(lab, file) {
    this.lab = lab;
    this.page = lab.page;
    this.file = file;
  }

  /** Runs an in-page helper (window.__nb.NAME) with arguments and returns its value. */
  async read(name, ...args) {
    return this.page.evaluate((n, a) => window.__nb[n](...a), name, args);
  }

  /**
   * Waits until an in-page helper (window.__nb.NAME) returns something that passes `test`
   * (truthy by default), polled every `pollMs`; returns it.
   */
  async until(what, name, args = [], {timeoutMs = 60_000, pollMs = 50, test = v => !!v} = {}) {
    return poll(what, () => this.read(name, ...args), test, {timeoutMs, pollMs});
  }

  async hideSidebar() {
    // a screenshot shows more of the notebook without the file browser (View > Appearance)
    await this.page.evaluate(() => {
      const app = window.jupyterapp;
      if (app && !app.shell.leftCollapsed) app.shell.collapseLeft();
    });
  }

  /** Waits until this notebook's kernel is idle. */
  async waitIdle(timeoutMs = 120_000) {
    await this.page.waitForFunction(file => {
      const app = window.jupyterapp;
      const panel = app && [...app.shell.widgets('main')].find(w => w.context?.path === file);
      return panel?.sessionContext?.kernelDisplayStatus === 'idle';
    }, {timeout: timeoutMs, polling: 100}, this.file);
  }

  /** The index of the code cell whose source contains `text`. */
  async find(text) {
    const i = await this.read('find', text);
    if (i < 0) throw new Error(`no code cell of ${this.file} contains ${JSON.stringify(text)}`);
    return i;
  }

  async clickMenu(menu, command) {
    const items = await this.page.$$('.lm-MenuBar-item');
    for (const item of items) {
      if ((await item.evaluate(e => e.textContent.trim())) === menu) {
        await item.click();
        const entry = await this.page.waitForSelector(`.lm-Menu-item[data-command="${command}"]`, {visible: true, timeout: 10_000});
        await entry.click();
        return;
      }
    }
    throw new Error(`no menu ${menu}`);
  }

  /** Run > Run All Cells. */
  async runAll() {
    await this.clickMenu('Run', 'runmenu:run-all');
  }

  /** Clicks a button of the notebook's toolbar by its command, e.g. 'notebook:interrupt-kernel'. */
  async clickToolbar(command) {
    await this.page.click(`.jp-NotebookPanel:not(.lm-mod-hidden) .jp-NotebookPanel-toolbar [data-command="${command}"]`);
  }

  /** Selects code cell i with a click on its prompt (command mode), scrolled into view. */
  async select(i) {
    const prompt = await this.page.evaluateHandle(n => [...document.querySelectorAll(
      '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell.jp-CodeCell')][n].querySelector('.jp-InputPrompt'), i);
    await prompt.evaluate(e => e.scrollIntoView({block: 'center'}));
    await prompt.click();
  }

  /** Runs code cell i with the toolbar's Run button, as a person does after selecting it. */
  async runCell(i) {
    await this.select(i);
    await this.clickToolbar('notebook:run-cell-and-select-next');
  }

  /** The toolbar's interrupt button (the square). */
  async interrupt() {
    await this.clickToolbar('notebook:interrupt-kernel');
  }

  /**
   * Waits until code cell i has run and the kernel is idle; returns the page's clock
   * (performance.now()) when it first saw that.
   */
  async waitCellDone(i, timeoutMs = 180_000) {
    const handle = await this.page.waitForFunction(n => {
      if (window.__nb.ran(n) && !window.__nb.running(n) && window.__nb.kernelStatus() === 'idle') return performance.now();
      return false;
    }, {timeout: timeoutMs, polling: 25}, i);
    return handle.jsonValue();
  }

  /** Waits until every code cell has run and the kernel is idle. */
  async waitAllDone(timeoutMs = 300_000) {
    await this.page.waitForFunction(() => {
      for (let i = 0; i < window.__nb.codeCells(); i++) if (!window.__nb.ran(i) || window.__nb.running(i)) return false;
      return window.__nb.kernelStatus() === 'idle';
    }, {timeout: timeoutMs, polling: 100});
  }

  /** File > Save (the toolbar's disk); waits until the tab is no longer marked modified. */
  async save() {
    await this.clickToolbar('docmanager:save');
    await this.page.waitForFunction(() => !window.__nb.dirty(), {timeout: 30_000, polling: 100});
  }

  /** Scrolls code cell i (or only its outputs) to the top of the notebook, for a screenshot of it. */
  async scrollTo(i, {outputs = false} = {}) {
    await this.page.evaluate((n, o) => {
      const c = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell.jp-CodeCell')][n];
      (o ? c.querySelector('.jp-Cell-outputWrapper') ?? c : c).scrollIntoView({block: 'start'});
    }, i, outputs);
    await sleep(300); // let plotly and the notebook's windowing settle before a screenshot
  }

  outputs(i) { return this.read('outputs', i); }
  widgets(i, within = '') { return this.read('widgets', i, within); }
  plotly(i) { return this.read('plotly', i); }
  progress(i) { return this.read('progress', i); }
  prompt(i) { return this.read('prompt', i); }

  // --- widgets (ipywidgets 8's DOM; for the widget scenarios) ---

  /** Clicks the widget button labelled `label` in code cell i's outputs. */
  async clickButton(i, label) {
    const button = await this.page.evaluateHandle((n, l) => {
      const c = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell.jp-CodeCell')][n];
      return [...c.querySelectorAll('.jupyter-widgets button, button.jupyter-button')].find(b => b.textContent.trim() === l) ?? null;
    }, i, label);
    if (!(await button.evaluate(b => !!b))) throw new Error(`no widget button '${label}' in code cell ${i}`);
    await button.click();
  }

  /**
   * Sets the slider whose description is `description` in code cell i's outputs to `value`, by
   * typing into its readout as a person can (ipywidgets 8 readouts are editable).
   */
  async setSlider(i, description, value) {
    const readout = await this.page.evaluateHandle((n, d) => {
      const c = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell.jp-CodeCell')][n];
      const slider = [...c.querySelectorAll('.widget-slider')].find(s => s.querySelector('.widget-label')?.textContent.trim() === d);
      return slider?.querySelector('.widget-readout') ?? null;
    }, i, description);
    if (!(await readout.evaluate(r => !!r))) throw new Error(`no slider '${description}' in code cell ${i}`);
    await readout.click({clickCount: 3});
    await this.page.keyboard.type(String(value));
    await this.page.keyboard.press('Enter');
  }

  /**
   * Moves the slider whose description is `description` in code cell i's outputs with the keyboard,
   * as a person who tabbed to its handle does: 'End' (to its maximum), 'Home', 'ArrowRight' (one
   * step up), 'ArrowLeft', 'PageUp'...
   */
  async pressOnSlider(i, description, key) {
    const handle = await this.page.evaluateHandle((n, d) => {
      const c = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell.jp-CodeCell')][n];
      const slider = [...c.querySelectorAll('.widget-slider')].find(s => s.querySelector('.widget-label')?.textContent.trim() === d);
      return slider?.querySelector('.noUi-handle') ?? null;
    }, i, description);
    if (!(await handle.evaluate(h => !!h))) throw new Error(`no slider '${description}' in code cell ${i}`);
    await handle.evaluate(h => h.scrollIntoView({block: 'center'}));
    await handle.focus();
    await this.page.keyboard.press(key);
  }

  /** Replaces the text of the widget text box or area whose description is `description` in code cell i. */
  async typeInto(i, description, text) {
    const box = await this.page.evaluateHandle((n, d) => {
      const c = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell.jp-CodeCell')][n];
      const w = [...c.querySelectorAll('.widget-text, .widget-textarea')].find(s => s.querySelector('.widget-label')?.textContent.trim() === d);
      return w?.querySelector('input, textarea') ?? null;
    }, i, description);
    if (!(await box.evaluate(b => !!b))) throw new Error(`no text box '${description}' in code cell ${i}`);
    await box.click({clickCount: 3});
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Tab'); // a box that syncs on blur (continuous_update=False) syncs now
  }
}
