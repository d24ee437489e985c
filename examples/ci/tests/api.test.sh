#!/bin/sh
# The tests: fetch the api and check what it answers. Exits non-zero on the first failure.
set -u
failures=0

check() {
  name="$1" path="$2" expected="$3"
  body="$(wget -q -O - "$API_URL$path" 2>&1)"
  if [ "${body#*"$expected"}" != "$body" ]; then
    echo "ok   $name"
  else
    echo "FAIL $name: expected $expected in: $body"
    failures=$((failures + 1))
  fi
}

expected_items=3
[ "${CI_EXAMPLE_BREAK:-0}" = 1 ] && expected_items=4

check 'health says ok' /api/health '"status":"ok"'
check "health counts $expected_items items" /api/health "\"items\":$expected_items"

if [ "$failures" -gt 0 ]; then
  echo "$failures test(s) failed"
  exit 1
fi
echo 'all tests passed'
