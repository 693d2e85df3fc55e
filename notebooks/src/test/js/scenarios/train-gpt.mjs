// 02-train-gpt in JupyterLab, as a person runs it: Run All, look at the training view twice while
// it trains, look again when it ends, save; then run the training cell again and stop it with the
// toolbar's interrupt button. Returns what each look saw; JupyterLabIT asserts on it.
//
// args: {notebook: 'notebooks/02-train-gpt.ipynb'}

import {poll} from '../jupyterlab.mjs';

export default async function trainGpt(lab, {notebook = 'notebooks/02-train-gpt.ipynb'} = {}) {
  const nb = await lab.openNotebook(notebook);
  const train = await nb.find('TrainRun.create');
  const cells = await nb.read('codeCells');
  const look = async () => ({
    ...await nb.page.evaluate(i => ({
      running: window.__nb.running(i),
      plot: window.__nb.plotly(i),
      progress: window.__nb.progress(i),
      outputs: window.__nb.outputs(i),
    }), train),
    at: Date.now(),
  });
  const training = l => l.running && l.plot?.points > 0 && l.progress?.value > 0 && l.progress.value < 1;
  const ended = why => l => {
    if (!l.running && l.plot) throw new Error(`the run ended ${why}: raise NOTEBENCH_DEMO_STEPS`);
    return false;
  };

  await nb.runAll();
  const ranAt = Date.now();

  // first look: the figure has points and the bar has moved, while the cell runs
  const first = await poll('the training figure and progress bar to move while the cell runs', look,
    l => training(l) || ended('before it could be watched')(l), {timeoutMs: 150_000, pollMs: 50});
  first.markedPlot = await nb.read('mark', train, 'plot', 'first-look');
  first.markedProgress = await nb.read('mark', train, '.jp-OutputArea-child:has(progress)', 'first-look');
  await nb.scrollTo(train, {outputs: true});
  await lab.screenshot('02-train-gpt-midrun');

  // second look: more points in the same plot, a longer bar, no output added
  const second = await poll('more points in the figure and a longer bar', look,
    l => (l.running && l.plot?.points > first.plot.points && l.progress?.value > first.progress.value)
      || ended('before a second look')(l), {timeoutMs: 60_000, pollMs: 100});
  second.samePlotNode = await nb.read('marked', train, 'plot', 'first-look');
  second.sameProgressNode = await nb.read('marked', train, '.jp-OutputArea-child:has(progress)', 'first-look');

  // the end of the run: the whole figure, the finished bar; then the cells after it
  await nb.waitCellDone(train, 300_000);
  const end = await look();
  await nb.waitAllDone();
  const allDone = Date.now();
  const cellOutputs = [];
  for (let i = 0; i < cells; i++) cellOutputs.push(await nb.outputs(i));
  await nb.scrollTo(train, {outputs: true});
  await lab.screenshot('02-train-gpt-end');
  await nb.save();

  // run the training cell again and stop it with the toolbar's interrupt button once it trains
  await nb.runCell(train);
  const before = await poll('the second run to train', look, training,
    {timeoutMs: 120_000, pollMs: 50});
  await nb.interrupt();
  const doneAt = await nb.waitCellDone(train, 60_000);
  const clickedAt = await nb.read('lastMouseDown');
  const after = await look();
  await nb.scrollTo(train, {outputs: true});
  await lab.screenshot('02-train-gpt-interrupted');

  const seconds = t => (t - ranAt) / 1000;
  return {
    cells, train, first, second, end, cellOutputs,
    secondsAfterRunAll: {first: seconds(first.at), second: seconds(second.at), end: seconds(end.at), allCells: seconds(allDone)},
    interrupt: {before, after, seconds: (doneAt - clickedAt) / 1000},
  };
}
