// Parses an AsyncAPI document with the official @asyncapi/parser (the AsyncAPI schema, references and the parser's
// own Spectral rules). Prints every diagnostic; exits 1 if one is an error. Usage: node validate-asyncapi.mjs FILE
import { Parser, fromFile, DiagnosticSeverity } from '@asyncapi/parser';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate-asyncapi.mjs FILE');
  process.exit(2);
}
const { document, diagnostics } = await fromFile(new Parser(), file).parse();
const severities = Object.fromEntries(Object.entries(DiagnosticSeverity).map(([name, level]) => [level, name]));
for (const diagnostic of diagnostics) {
  const line = diagnostic.range?.start?.line;
  console.log(`${severities[diagnostic.severity] ?? diagnostic.severity} ${diagnostic.code} at `
    + `${diagnostic.path.join('.') || '(root)'}${line === undefined ? '' : ` (line ${line + 1})`}: ${diagnostic.message}`);
}
const errors = diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error);
if (errors.length > 0 || !document) {
  console.error(`INVALID ${file}: ${errors.length} error(s)`);
  process.exit(1);
}
console.log(`VALID ${file}: AsyncAPI ${document.version()}, ${document.channels().length} channels, `
  + `${diagnostics.length} diagnostic(s), none an error`);
