#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: git-annex (the git-annex
# end-to-end tests), openssl (benchmarks compare against it; the TLS tests make their
# certificates with it), tinyproxy (the proxy tests start one on loopback; the
# tinyproxy-bin package, without a system service), zsh and fish (the completion
# scripts are checked by each shell), man (the installed man pages are rendered) and
# script (progress lines are checked on a pseudo-terminal). Installs only when
# missing and when this machine lets us (root with apt-get); otherwise says what to do.
set -euo pipefail
missing=()
command -v git-annex >/dev/null 2>&1 || missing+=(git-annex)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v tinyproxy >/dev/null 2>&1 || missing+=(tinyproxy-bin)
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
command -v fish >/dev/null 2>&1 || missing+=(fish)
command -v man >/dev/null 2>&1 || missing+=(man-db)
command -v script >/dev/null 2>&1 || missing+=(bsdutils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} for the tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "note: ${missing[*]} not installed; the tests that need it will be skipped (install it to run them)" >&2
fi
