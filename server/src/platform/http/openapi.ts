import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { z, type ZodType } from 'zod';

extendZodWithOpenApi(z);

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('ErrorBody');

/**
 * A named schema that may be null, written as a union: `.nullable()` of a named schema makes
 * zod-to-openapi (with zod 4) register the component itself as nullable, so every other use of it
 * would read "or null" too.
 */
export function nullableRef<T extends ZodType>(schema: T, description: string) {
  return z.union([schema, z.null()]).openapi({ description });
}

export function createApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token from POST /api/v1/auth/wechat-login',
  });
  return registry;
}

/** The OpenAPI 3 document, generated from the same zod schemas that validate requests. */
export function generateOpenApiDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Check-in and points API',
      version: '1.0.0',
      description: 'Cohorts, daily check-ins, streaks and points for WeChat communities. Errors: {"error": {code, message, details}}.',
    },
    servers: [{ url: '/' }],
  });
}
