#!/usr/bin/env bash
# Writes three tiny random-weight llama models for the real-server test suite:
#   DIR/tiny-f32.gguf  DIR/tiny-q4_0.gguf  DIR/tiny-q8_0.gguf
# llama architecture, 2 layers, embedding 64, 4 heads, feed-forward 128, context 512, with the
# real 32,000-token SentencePiece vocabulary copied from llama.cpp's models/ggml-vocab-llama-spm.gguf.
# The weights come from a fixed seed through numpy's legacy RandomState (its stream is frozen
# across numpy versions), so every machine writes the same bytes. The quantized copies are made
# by the real llama-quantize, so their GGUF headers say what a real quantized file says.
# Nothing is downloaded: the llama.cpp tree (gguf-py, vocab, llama-quantize) is the one
# scripts/setup-llama-server.sh builds from the npm package. Cached, keyed by this script's
# content: a second run copies the files in a second. The last line printed is DIR.
#   EVALBENCH_LLAMA_CACHE  as for setup-llama-server.sh
set -euo pipefail

DIR="${1:?usage: make-tiny-models.sh DIR}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "make-tiny-models: $*" >&2; }

SERVER="$(bash "$HERE/setup-llama-server.sh" | tail -n 1)"
BIN="$(dirname "$SERVER")"
LLAMA="$(cd "$BIN/../.." && pwd)"
QUANTIZE="$BIN/llama-quantize"
[[ -x "$QUANTIZE" ]] || { log "no llama-quantize next to $SERVER"; exit 1; }

CACHE_ROOT="${EVALBENCH_LLAMA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/evalbench-test}"
KEY="$({ cat "${BASH_SOURCE[0]}"; echo "$LLAMA"; } | sha256sum | cut -c1-16)"
CACHED="$CACHE_ROOT/tiny-models-$KEY"
FILES=(tiny-f32.gguf tiny-q4_0.gguf tiny-q8_0.gguf)

copy_out() {
  mkdir -p "$DIR"
  for f in "${FILES[@]}"; do cp "$CACHED/$f" "$DIR/$f"; done
  echo "$DIR"
}

if [[ -f "$CACHED/.done" ]]; then copy_out; exit 0; fi

mkdir -p "$CACHE_ROOT"
exec 8>"$CACHE_ROOT/.tiny-models.lock"
flock 8
if [[ -f "$CACHED/.done" ]]; then copy_out; exit 0; fi

# A Python with numpy and PyYAML (gguf-py imports both): the one on PATH if it has them, else
# Debian's, with python3-numpy / python3-yaml installed by apt (CI runs as root).
PYTHON=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import numpy, yaml' 2>/dev/null; then
    PYTHON="$candidate"; break
  fi
done
if [[ -z "$PYTHON" ]]; then
  SUDO=""; [[ "$(id -u)" == "0" ]] || SUDO="sudo"
  log "installing python3-numpy python3-yaml"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 python3 python3-numpy python3-yaml >&2
  PYTHON=/usr/bin/python3
fi

WORK="$(mktemp -d "$CACHE_ROOT/.tiny-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
log "writing tiny-f32.gguf with $PYTHON"
PYTHONPATH="$LLAMA/gguf-py" "$PYTHON" - "$LLAMA/models/ggml-vocab-llama-spm.gguf" "$WORK/tiny-f32.gguf" <<'PY'
import sys
import numpy as np
import gguf

vocab_path, out_path = sys.argv[1], sys.argv[2]
N_LAYER, N_EMBD, N_HEAD, N_FF, N_CTX, SEED = 2, 64, 4, 128, 512, 20260101

vocab = gguf.GGUFReader(vocab_path)
n_vocab = len(vocab.fields["tokenizer.ggml.tokens"].data)

w = gguf.GGUFWriter(out_path, "llama")
w.add_name("evalbench-tiny")
w.add_context_length(N_CTX)
w.add_embedding_length(N_EMBD)
w.add_block_count(N_LAYER)
w.add_feed_forward_length(N_FF)
w.add_head_count(N_HEAD)
w.add_head_count_kv(N_HEAD)
w.add_layer_norm_rms_eps(1e-5)
w.add_rope_dimension_count(N_EMBD // N_HEAD)
w.add_vocab_size(n_vocab)
w.add_file_type(gguf.LlamaFileType.ALL_F32)
# The tokenizer exactly as the vocab-only file has it (model, tokens, scores, types, special ids).
for key, field in vocab.fields.items():
    if not key.startswith("tokenizer."):
        continue
    vtype = field.types[0]
    if vtype == gguf.GGUFValueType.ARRAY:
        w.add_key_value(key, field.contents(), vtype, sub_type=field.types[-1])
    else:
        w.add_key_value(key, field.contents(), vtype)

rng = np.random.RandomState(SEED)
def weight(*shape):
    # Scaled so the logits are spread (sampling at temperature 0 picks a clear winner).
    return (rng.standard_normal(shape) / np.sqrt(shape[-1])).astype(np.float32)
def ones(n):
    return np.ones((n,), dtype=np.float32)

w.add_tensor("token_embd.weight", weight(n_vocab, N_EMBD))
for i in range(N_LAYER):
    w.add_tensor(f"blk.{i}.attn_norm.weight", ones(N_EMBD))
    for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
        w.add_tensor(f"blk.{i}.{name}.weight", weight(N_EMBD, N_EMBD))
    w.add_tensor(f"blk.{i}.ffn_norm.weight", ones(N_EMBD))
    w.add_tensor(f"blk.{i}.ffn_gate.weight", weight(N_FF, N_EMBD))
    w.add_tensor(f"blk.{i}.ffn_up.weight", weight(N_FF, N_EMBD))
    w.add_tensor(f"blk.{i}.ffn_down.weight", weight(N_EMBD, N_FF))
w.add_tensor("output_norm.weight", ones(N_EMBD))
w.add_tensor("output.weight", weight(n_vocab, N_EMBD) * 4)

w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
PY

for type in Q4_0 Q8_0; do
  lower="$(echo "$type" | tr 'A-Z' 'a-z')"
  log "quantizing to $type"
  "$QUANTIZE" "$WORK/tiny-f32.gguf" "$WORK/tiny-$lower.gguf" "$type" 1 >"$WORK/quantize-$lower.log" 2>&1 \
    || { cat "$WORK/quantize-$lower.log" >&2; exit 1; }
done
rm -f "$WORK"/quantize-*.log
touch "$WORK/.done"
rm -rf "$CACHED"
mv "$WORK" "$CACHED"
trap - EXIT
copy_out
