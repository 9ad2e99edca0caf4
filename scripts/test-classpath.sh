# Sourced by the audits in scripts/: builds the test classes and sets $cp to their class path (the test scope, with
# the embedded broker the audits start).
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="target/test-classes:target/classes:$(cat target/classpath.txt)"
