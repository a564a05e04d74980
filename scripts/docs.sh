#!/usr/bin/env bash
# The book in docs/ (mdBook).
#   scripts/docs.sh build    install mdBook if missing, build docs/book/ (fails on any warning)
#   scripts/docs.sh serve    build, then serve docs/book/ on http://127.0.0.1:3000
#   scripts/docs.sh browser  install Debian's chromium if missing (for the browser test)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

MDBOOK_VERSION="0.4.52"
TOOLS="$MQ_HOME/tools"
MDBOOK="$TOOLS/bin/mdbook"

ensure_mdbook() {
  if [ -x "$MDBOOK" ] && "$MDBOOK" --version | grep -qF "$MDBOOK_VERSION"; then
    return 0
  fi
  step "Installing mdBook $MDBOOK_VERSION from crates.io into $TOOLS (first run only, a few minutes)"
  # Only the `search` feature: the book is served by Python's http.server, not `mdbook serve`.
  cargo install mdbook --version "=$MDBOOK_VERSION" --locked --no-default-features --features search \
    --root "$TOOLS" 2>&1 | grep -E '^ *(Installing|Installed|Compiling mdbook|error|warning: )' | sed 's/^ */    /' || true
  [ -x "$MDBOOK" ] || die "mdBook did not install (see above)"
}

# Two books, each with its own language and search index, and a landing page that links both.
build() {
  ensure_mdbook
  local log language
  log=$(mktemp)
  rm -rf "$REPO_ROOT/docs/book"
  for language in en zh; do
    step "Building the $language book (docs/book/$language/)"
    if ! "$MDBOOK" build "$REPO_ROOT/docs/$language" >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      die "mdbook build failed"
    fi
    # mdBook reports a missing include or a broken SUMMARY entry as a WARN/ERROR and goes on.
    if grep -E '\b(WARN|ERROR)\b' "$log" >&2; then
      rm -f "$log"
      die "mdbook build printed warnings (above)"
    fi
  done
  rm -f "$log"
  cp "$REPO_ROOT/docs/index.html" "$REPO_ROOT/docs/book/index.html"
  info "open $REPO_ROOT/docs/book/index.html, or run: just docs-serve"
}

ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then
    return 0
  fi
  step "Installing Debian's chromium for the browser test (first run only)"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk
}

case "${1:-}" in
  build) build ;;
  serve)
    build
    step "Serving the book on http://127.0.0.1:3000 (Ctrl+C to stop)"
    exec python3 -m http.server 3000 --bind 127.0.0.1 --directory "$REPO_ROOT/docs/book"
    ;;
  browser) ensure_chromium ;;
  *) echo "usage: $0 build|serve|browser" >&2; exit 2 ;;
esac
