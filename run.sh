#!/usr/bin/env bash
# Runs the trust-ledger server on the embedded default (data kept in ./data), building it first
# when the jar is missing or older than the sources. Extra arguments go to the server, e.g.
#   ./run.sh --trustledger.genesis.file=founders.json
set -euo pipefail
cd "$(dirname "$0")"
jar=server/target/trust-ledger.jar
if [ ! -f "$jar" ] || [ -n "$(find ledger query issuance graphql-schema server pom.xml -newer "$jar" \
      \( -name '*.java' -o -name '*.graphqls' -o -name '*.properties' -o -name '*.html' -o -name 'pom.xml' \
         -o -name 'graph.js' -o -name 'package-lock.json' \) \
      -not -path '*/target/*' -not -path '*/node_modules/*' -print -quit)" ]; then
  echo "Building trust-ledger (first run takes a minute)..."
  mvn -B -q -DskipTests package
fi
exec java -jar "$jar" "$@"
