#!/usr/bin/env bash
# The main job, end to end, on a local emulator: no AWS account needed.
# Starts glacier-emulator on a free port, creates a vault, pipes a tar stream up,
# asks for it back (exit 75: Glacier queues a retrieval job first), waits for the job,
# and checks that the bytes that come back are the bytes that went up.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/bin"
work=$(mktemp -d)
emulator_pid=
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

# One set of credentials serves the emulator (which verifies signatures) and the client.
export AWS_ACCESS_KEY_ID=AKIADEMO0000000000
export AWS_SECRET_ACCESS_KEY=demo-secret-key
export AWS_REGION=us-east-1
export GLACIER_CACHE_DIR="$work/cache"

step "glacier-emulator --port 0 --data $work/vaults --job-delay 3 &"
node node_modules/glacier-emulator/bin/glacier-emulator.js --port 0 --data "$work/vaults" --job-delay 3 --quiet >"$work/endpoint" &
emulator_pid=$!
for _ in $(seq 1 100); do [ -s "$work/endpoint" ] && break; sleep 0.1; done
export AWS_ENDPOINT_URL_GLACIER=$(head -n 1 "$work/endpoint")
echo "emulator at $AWS_ENDPOINT_URL_GLACIER"

# Something worth archiving: this project's sources plus 20 MiB of random bytes.
mkdir -p "$work/src"
cp -r src man "$work/src/"
head -c $((20 * 1024 * 1024)) /dev/urandom >"$work/src/random.bin"

step "glacier vault create demo"
node "$bin/glacier.js" vault create demo

step "tar c -C $work/src . | glacier-upload demo --name=backup.tar --part-size 8M -"
tar c -C "$work/src" . | tee "$work/sent.tar" | node "$bin/glacier-upload.js" demo --name=backup.tar --part-size 8M -

step "glacier archive list --long demo"
node "$bin/glacier.js" archive list --long demo

step "glacier-retrieve demo backup.tar -o-        # Glacier queues a job first"
set +e
node "$bin/glacier-retrieve.js" demo backup.tar -o- >"$work/first.tar"
status=$?
set -e
echo "exit status $status (75 = job queued, run again later)"
[ "$status" = 75 ] || { echo "demo: expected exit 75" >&2; exit 1; }
[ ! -s "$work/first.tar" ] || { echo "demo: bytes on stdout before the job finished" >&2; exit 1; }

step "glacier-jobs"
node "$bin/glacier-jobs.js"

step "glacier-retrieve --wait --poll-interval 1 demo backup.tar -o- | tar t"
node "$bin/glacier-retrieve.js" --wait --poll-interval 1 demo backup.tar -o- | tee "$work/back.tar" | tar t >"$work/listing"
head -n 5 "$work/listing"; echo "... $(wc -l <"$work/listing") entries"

step "cmp sent.tar back.tar"
cmp "$work/sent.tar" "$work/back.tar"
echo "round trip verified: $(wc -c <"$work/back.tar") bytes, tree hash $(node "$bin/glacier.js" treehash - <"$work/back.tar" | cut -d' ' -f1)"
