// 09-pretrained in JupyterLab, as a person reads it: Run All, wait for the last cell, then look at
// each part in turn (the run from scratch, the export, %score, the LoRA run, the before-and-after
// table, the comparison with transformers), a screenshot of each. Returns every code cell's
// outputs as text. No IT drives it yet (it takes minutes at the notebook's 300 steps): run it by
// hand against a JupyterLab serving a copy of the notebook, as README.md says.
//
// args: {notebook: 'notebooks/09-pretrained.ipynb'}

export default async function pretrainedDemo(lab, {notebook = 'notebooks/09-pretrained.ipynb'} = {}) {
  const nb = await lab.openNotebook(notebook);
  await nb.runAll();
  // the run from scratch may take minutes: wait in turns shorter than puppeteer's protocol timeout
  for (let turn = 0; ; turn++) {
    try {
      await nb.waitAllDone(120_000);
      break;
    } catch (e) {
      if (turn === 5) throw e;
    }
  }
  const views = [['from-scratch', 'TrainConfig config'], ['export', '%export --run ../build/notebooks/runs-09/llama-sotu'],
    ['score', '%score --model'], ['lora', '%train --init-from'], ['before-after', 'StringColumn text'],
    ['transformers', 'String script', {outputs: true}]];
  for (const [name, text, where] of views) {
    await nb.scrollTo(await nb.find(text), where);
    await lab.screenshot('09-pretrained-' + name);
  }
  const cellOutputs = [];
  for (let i = 0; i < await nb.read('codeCells'); i++) cellOutputs.push(await nb.outputs(i));
  return {cellOutputs};
}
