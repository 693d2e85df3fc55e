// %train in JupyterLab, steered with the buttons under its view as a person does: once it has
// trained a few steps, Checkpoint now (the note beside the buttons says which checkpoint it
// wrote), then Stop. Returns what the cell showed at each point; JupyterLabIT asserts on it and
// on the run directory. The notebook (JupyterLabIT writes it) trains a character tokenizer in
// one code cell and runs a long %train in the one that follows.
//
// args: {notebook: 'widgets/train-stop.ipynb'}

import {poll} from '../jupyterlab.mjs';

const CONTROLS = '.notebench-run-controls';

/** The steps a progress text says are done: 'stop-me:   0% (12 of 100000 steps, ...' -> 12. */
const stepsDone = p => Number(/\((\d+) of /.exec(p?.text ?? '')?.[1] ?? -1);

export default async function trainStop(lab, {notebook = 'widgets/train-stop.ipynb'} = {}) {
  const nb = await lab.openNotebook(notebook, {widgets: true});
  const train = await nb.find('%train');
  await nb.runAll();

  const shown = await nb.until('Stop and Checkpoint now under the running view', 'widgets', [train, CONTROLS],
    {timeoutMs: 120_000, test: w => w?.length === 3});
  const trained = await poll('the run past its third step', () => nb.progress(train), p => stepsDone(p) >= 3,
    {timeoutMs: 120_000});

  await nb.clickButton(train, 'Checkpoint now');
  const saved = await nb.until('the note that the checkpoint was saved', 'widgets', [train, CONTROLS],
    {timeoutMs: 60_000, test: w => /^checkpoint saved/.test(w?.[2]?.text ?? '')});
  const running = await nb.read('running', train);
  await nb.scrollTo(train, {outputs: true});
  await lab.screenshot('train-stop-checkpoint-now');

  await nb.clickButton(train, 'Stop');
  const clickedAt = await nb.read('lastMouseDown');
  const doneAt = await nb.waitCellDone(train, 120_000);
  const stopped = {
    progress: await nb.progress(train),
    controls: await nb.widgets(train, CONTROLS),
    outputs: await nb.outputs(train),
    kernel: await nb.read('kernelStatus'),
  };
  await nb.scrollTo(train, {outputs: true});
  await lab.screenshot('train-stop-stopped');
  return {shown, trained, saved, running, stopped, seconds: (doneAt - clickedAt) / 1000};
}
