// 08-widgets in JupyterLab, as a person uses it: run the first cell, move the "steps" slider with
// the keyboard, run the next cell (Java sees the value the page shows), move the linked slider
// back, run the rest (a short training run), then in the %generate --interactive form type a
// prompt, slide the temperature to 0 and click Generate, then slide it to 2 and click again.
// Returns what each look saw; JupyterLabIT asserts on it.
//
// args: {notebook: 'notebooks/08-widgets.ipynb', prompt: 'The state of our Union'}

import {poll} from '../jupyterlab.mjs';

const FORM = '.notebench-generate';

export default async function widgetsDemo(lab, {notebook = 'notebooks/08-widgets.ipynb', prompt = 'The state of our Union'} = {}) {
  const nb = await lab.openNotebook(notebook, {widgets: true});
  const first = await nb.find('new IntSlider()');
  const next = await nb.find('Link.of');
  const form = await nb.find('--interactive');

  // the slider: End moves it to its maximum; Java's listener rewrites the label
  await nb.runCell(first);
  await nb.waitCellDone(first);
  const drawn = await nb.until('the steps slider and its label', 'widgets', [first], {test: w => w.length === 2});
  await nb.pressOnSlider(first, 'steps', 'End');
  const moved = await nb.until('the label to follow the slider', 'widgets', [first],
    {test: w => w[1].text !== drawn[1].text});

  // the next cell reads the value in Java; its linked slider shows it too
  await nb.runCell(next);
  await nb.waitCellDone(next);
  const nextCell = {outputs: await nb.outputs(next), widgets: await nb.widgets(next)};

  // the linked slider moved one step down in the page: the first slider and its label follow
  await nb.pressOnSlider(next, 'same', 'ArrowLeft');
  const linked = await poll('the first slider and its label to follow the linked one',
    async () => ({first: await nb.widgets(first), next: await nb.widgets(next)}),
    l => l.first[1].text !== moved[1].text, {timeoutMs: 30_000});
  await nb.scrollTo(first);
  await lab.screenshot('08-widgets-sliders');

  // the rest of the notebook: a die rolled, a tokenizer, a short training run, the form
  await nb.select(next + 1);
  await nb.clickMenu('Run', 'notebook:run-all-below');
  await nb.waitAllDone();
  const cellOutputs = [];
  for (let i = 0; i < await nb.read('codeCells'); i++) cellOutputs.push(await nb.outputs(i));

  // the form: a prompt typed, the temperature slid to 0, Generate clicked
  const offered = await nb.until('the generate form', 'widgets', [form, FORM], {test: w => w?.length === 6});
  await nb.typeInto(form, 'prompt', prompt);
  await nb.pressOnSlider(form, 'temperature', 'Home');
  const set = await nb.until('the temperature at 0', 'widgets', [form, FORM], {test: w => w[1].readout === '0.00'});
  await nb.clickButton(form, 'Generate');
  const generated = await nb.until('text below the form and the Generate button back', 'widgets', [form, FORM],
    {timeoutMs: 60_000, test: w => w[5].text !== '' && w[4].enabled && w[4].text === 'Generate'});

  // again at the hottest temperature: the new sample replaces the first
  await nb.pressOnSlider(form, 'temperature', 'End');
  await nb.until('the temperature at its maximum', 'widgets', [form, FORM], {test: w => w[1].readout === '2.00'});
  await nb.clickButton(form, 'Generate');
  const hot = await nb.until('another text below the form and the Generate button back', 'widgets', [form, FORM],
    {timeoutMs: 60_000, test: w => w[5].text !== '' && w[5].textContent !== generated[5].textContent && w[4].enabled
      && w[4].text === 'Generate'});
  await nb.scrollTo(form);
  await lab.screenshot('08-widgets-generate');
  return {drawn, moved, nextCell, linked, cellOutputs, offered, set, generated, hot};
}
