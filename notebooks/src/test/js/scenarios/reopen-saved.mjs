// A saved notebook opened in a JupyterLab that has no kernel for it, as someone without Notebench
// opens it: JupyterLab asks for a kernel, the person picks "No Kernel", and reads the outputs.
// Returns what the training cell shows; JupyterLabIT asserts on it.
//
// args: {notebook: 'notebooks/02-train-gpt.ipynb', cell: 'TrainRun.create' (text in the cell whose figure to read)}

export default async function reopenSaved(lab, {notebook = 'notebooks/02-train-gpt.ipynb', cell = 'TrainRun.create'} = {}) {
  const nb = await lab.openNotebook(notebook, {kernel: false});
  // JupyterLab 4 asks which kernel to use when the notebook's is not installed
  await lab.page.waitForSelector('.jp-Dialog', {timeout: 30_000});
  const dialog = await lab.answerDialog('Select', {choose: 'No Kernel'});
  const i = await nb.find(cell);
  const plot = await nb.until('the saved figure to draw', 'plotly', [i], {timeoutMs: 30_000, test: p => p && p.points > 0});
  await nb.scrollTo(i, {outputs: true});
  await lab.screenshot('02-train-gpt-reopened');
  return {
    dialog,
    kernel: await lab.page.evaluate(() => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelName')
      ?.textContent.trim() ?? ''),
    plot,
    progress: await nb.progress(i),
    outputs: await nb.outputs(i),
  };
}
