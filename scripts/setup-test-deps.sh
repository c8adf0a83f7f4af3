#!/usr/bin/env bash
# Debian packages the unit tests use beyond Node: python3 (HumanEval's native executor),
# python3-langdetect, whose 55 language profiles are the exact ones the official IFEval scorer uses
# (the npm langdetect package lacks ca and cy), and chromium, in which the HTML report is opened
# (CHROMIUM_PATH names another). Idempotent; skips quietly where apt is not ours to use.
set -euo pipefail
missing=()
command -v python3 >/dev/null 2>&1 || missing+=(python3)
[[ -d /usr/lib/python3/dist-packages/langdetect/profiles ]] || missing+=(python3-langdetect)
[[ -n "${CHROMIUM_PATH:-}" ]] || command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi
if [[ "$(id -u)" != "0" ]] && ! command -v sudo >/dev/null 2>&1; then
  echo "setup-test-deps: cannot install ${missing[*]} (not root, no sudo); tests that need them will say so" >&2
  exit 0
fi
SUDO=""; [[ "$(id -u)" == "0" ]] || SUDO="sudo"
echo "setup-test-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
