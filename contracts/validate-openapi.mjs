// Validates an OpenAPI document with @apidevtools/swagger-parser (structure against the OpenAPI schema, $refs, path
// parameters, unique operation ids). Prints every error; exits 1 if there is one. Usage: node validate-openapi.mjs FILE
import SwaggerParser from '@apidevtools/swagger-parser';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate-openapi.mjs FILE');
  process.exit(2);
}
try {
  const api = await SwaggerParser.validate(file);
  console.log(`VALID ${file}: OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths`);
} catch (error) {
  console.error(`INVALID ${file}: ${error.message}`);
  process.exit(1);
}
