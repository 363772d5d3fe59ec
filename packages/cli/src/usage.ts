/** The CLI's help text: `sidenet help`, and the tail of every usage error. */
export const USAGE = `usage:
  sidenet inspect <model dir | hub id | URL> [--json] [--time]
  sidenet sweep <model dir | hub id | URL> --data <train file> (--calibration <held-out file> | --calibration-split 0.2)
      --out <dir> [--max-drop 0.5 [--risk 0.1] | --min-agreement 0.99 [--risk 0.1] | --max-cost 0.4] [--max-exits 3]
      [--criteria max-prob,margin,entropy,patience] [--taps a,b] [--pooling cls|mean|global-average] [--seed 0]
      [--dtypes fp32,fp16,q8,int8,uint8,q4,q4f16,bnb4]   (default: every onnx/model_<dtype>.onnx present)
      [--task text-classification|image-classification]   (for a model_type outside the registry)
      [--workers N]   (threads the heads train on; default: every core)
      [--attach-cache <dir> | --no-attach-cache]   (features and heads, default ~/.cache/sidenet: a second
      attach of the same MainNet and rows with another budget reuses them, an interrupted one resumes)
  sidenet attach …   (the same as sweep, printing only the choice)
  sidenet eval <sidenet dir | hub id> --data <test file> [--json] [--dtype fp32|fp16|q8|int8|uint8|q4|q4f16|bnb4] [--batch 32]
  sidenet report <sidenet dir | hub id> --data <test file> [--out <dir>] [--name <title>] [--resamples 200]
      report.html (self-contained, plots inline), report.md and SVG plots: the Pareto front, reliability
      before/after temperature, exit rate vs τ, confidence per exit, calibration with bootstrap intervals

Every command: [--revision main] [--cache-dir <dir>] (hub ids, through transformers.js's cache), [--debug]
(stack traces). Data options: [--text-column text] [--image-column image] [--label-column label]
[--limit N] [--shuffle] [--seed 0].

Data files: CSV or TSV with a header row, JSON Lines, Parquet, or (images) a folder <root>/<label>/*.png|jpg.
Text rows need a text and a label column; image rows an image column (a path relative to the file, a URL,
or the {bytes, path} struct of hub Parquet files) and a label column. Labels are names or ids of the
MainNet's id2label. --calibration must be rows the MainNet never trained on: temperature and τ are fitted
there; without such a file, --calibration-split 0.2 holds out a stratified 20 % of --data (recorded in
sidenet.json, with a warning: the MainNet may have trained on those rows).

sweep evaluates every cascade of up to two exits × τ × criterion on the calibration rows, searches longer
ones up to --max-exits (default 3; coordinate search over each exit's τ, not the full product), picks one
by the budget, prints the Pareto front, and writes the artefact (the choice, the front and the criterion in
sidenet.json; the whole sweep in sweep.json). --max-drop alone is empirical: the drop is ≤ the budget on
the calibration rows, which overshoots on new rows when they are few. --risk δ certifies it: the cheapest
cascade whose drop is below the budget with probability ≥ 1 − δ on new rows (Learn-then-Test on a random
half of the calibration rows); when none is, the MainNet alone, with the number of rows a certificate
would need. --min-agreement a: the cheapest cascade whose answers equal the MainNet's on at least a share a
of the calibration rows — with --risk δ, certified on new rows (a budget that needs no labels to hold).`;
