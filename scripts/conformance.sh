#!/usr/bin/env bash
# The participant conformance kit: checks over Kafka that a running participant (any language) keeps the messaging
# contract (docs/messaging-contract.md), one line per check, exit code 1 on any failure. It runs from the test class
# path (it is not part of the production jar). README, "Write a participant", has the whole procedure.
# Usage: scripts/conformance.sh --bootstrap HOST:PORT --participant NAME [--phase all|before-restart|after-restart]
#        [--state-file PATH] [--command-topic T] [--reply-topic T] [--reply-timeout 10s]
#        [--security-protocol SASL_SSL --sasl-mechanism SCRAM-SHA-512 --sasl-username U --sasl-password P
#         --truststore PATH --truststore-password P --truststore-type PKCS12]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="target/test-classes:target/classes:$(cat target/classpath.txt)"
exec java -cp "$cp" dev.ordersaga.conformance.ConformanceKit "$@"
