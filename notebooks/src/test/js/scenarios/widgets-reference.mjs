// The page helpers for widgets against ipywidgets 8 with its own reference kernel (Python's
// ipykernel): if this passes and a Notebench widget scenario fails, the fault is in the kernel's
// widgets, not in the harness. The notebook (JupyterLabIT writes it) shows a Button 'Stop', a
// FloatSlider 'temperature', a Text 'prompt' and a Textarea 'notes' in its first code cell; its
// second prints what the kernel received.
//
// args: {notebook: 'widgets/reference-widgets.ipynb'}

export default async function widgetsReference(lab, {notebook = 'widgets/reference-widgets.ipynb'} = {}) {
  const nb = await lab.openNotebook(notebook);
  await nb.runCell(0);
  await nb.waitCellDone(0);
  await nb.page.waitForSelector('.jp-NotebookPanel:not(.lm-mod-hidden) .widget-button', {timeout: 30_000});
  await nb.clickButton(0, 'Stop');
  await nb.clickButton(0, 'Stop');
  await nb.setSlider(0, 'temperature', 1.3);
  await nb.typeInto(0, 'prompt', 'My fellow');
  await nb.typeInto(0, 'notes', 'hello');
  await nb.runCell(1);
  await nb.waitCellDone(1);
  await lab.screenshot('reference-widgets');
  return {printed: await nb.outputs(1)};
}
